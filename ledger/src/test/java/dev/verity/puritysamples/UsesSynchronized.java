package dev.verity.puritysamples;

/** Impure: synchronizes (a method and a block). */
public final class UsesSynchronized {
    private long n;

    public synchronized long next() {
        return ++n;
    }

    public long nextLocked() {
        synchronized (this) {
            return ++n;
        }
    }
}
