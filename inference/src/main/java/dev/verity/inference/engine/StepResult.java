package dev.verity.inference.engine;

import dev.verity.core.Hash;

/** The state after a step and its hash ({@link State#hash()}). */
public record StepResult(Step step, State state, Hash stateHash) {}
