package dev.verity.puritysamples;

/** Impure: a float component, with no arithmetic at all. */
public record FloatRecord(String name, float weight) {
}
