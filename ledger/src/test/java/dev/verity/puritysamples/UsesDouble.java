package dev.verity.puritysamples;

/** Impure: floating-point arithmetic. */
public final class UsesDouble {
    public static double average(long a, long b) {
        return (a + b) / 2.0;
    }
}
