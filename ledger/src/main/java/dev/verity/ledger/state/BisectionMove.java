package dev.verity.ledger.state;

import dev.verity.core.Hash;

/** One party's move: its node values of the two halves of the disputed range. */
public record BisectionMove(Hash left, Hash right) {}
