package dev.verity.ledger.state;

import dev.verity.core.Hash;

/** Orders assigned jobs by the height at which their result is due. */
public record DeadlineKey(long height, Hash job) implements Comparable<DeadlineKey> {
    @Override
    public int compareTo(DeadlineKey o) {
        int c = Long.compare(height, o.height);
        return c != 0 ? c : job.compareTo(o.job);
    }
}
