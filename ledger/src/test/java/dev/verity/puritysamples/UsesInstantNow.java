package dev.verity.puritysamples;

import java.time.Instant;

/** Impure: a now() clock read. */
public final class UsesInstantNow {
    public static long seconds() {
        return Instant.now().getEpochSecond();
    }
}
