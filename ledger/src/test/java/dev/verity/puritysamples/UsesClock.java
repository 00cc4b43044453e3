package dev.verity.puritysamples;

/** Impure: reads the wall clock. */
public final class UsesClock {
    public static long stamp() {
        return System.currentTimeMillis();
    }
}
