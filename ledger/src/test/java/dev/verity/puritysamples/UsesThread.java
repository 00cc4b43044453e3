package dev.verity.puritysamples;

/** Impure: starts a thread. */
public final class UsesThread {
    public static void background(Runnable task) {
        new Thread(task).start();
    }
}
