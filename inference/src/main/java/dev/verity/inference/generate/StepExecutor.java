package dev.verity.inference.generate;

import dev.verity.inference.engine.RunResult;
import dev.verity.inference.program.Tensor;
import java.util.SortedMap;

/**
 * Runs the step program once: {@code IntegerEngine::run}, or a parallel runner outside this pure module that gives
 * the same bytes.
 */
@FunctionalInterface
public interface StepExecutor {
    RunResult run(SortedMap<String, Tensor> inputs);
}
