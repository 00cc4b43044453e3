package dev.verity.puritysamples;

import java.util.concurrent.atomic.AtomicLong;

/** Impure: java.util.concurrent. */
public final class UsesAtomic {
    private static final AtomicLong COUNTER = new AtomicLong();

    public static long next() {
        return COUNTER.incrementAndGet();
    }
}
