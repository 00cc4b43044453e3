package dev.verity.ledger.state;

import dev.verity.core.Hash;

/**
 * A verification deadline: at the end of block {@code height}, the ledger looks at job {@code job}'s
 * claim or dispute, which acts only if its current deadline is still this height (a later move or
 * phase leaves the old key stale and it is dropped).
 */
public record TimerKey(long height, Hash job) implements Comparable<TimerKey> {
    @Override
    public int compareTo(TimerKey o) {
        int c = Long.compare(height, o.height);
        return c != 0 ? c : job.compareTo(o.job);
    }
}
