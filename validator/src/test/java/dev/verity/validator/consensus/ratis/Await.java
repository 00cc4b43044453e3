package dev.verity.validator.consensus.ratis;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition of a running cluster, failing with what was awaited when it does not come in time. */
final class Await {
    private Await() {}

    static void until(BooleanSupplier condition, Duration patience, String what) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(100);
        }
    }
}
