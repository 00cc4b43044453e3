package dev.verity.ledger.state;

/** A queued job's place: highest tip first, then first come first served. */
public record QueueKey(long tip, long seq) implements Comparable<QueueKey> {
    /** Sorts before every key. */
    public static final QueueKey FIRST = new QueueKey(Long.MAX_VALUE, 0);

    @Override
    public int compareTo(QueueKey o) {
        int c = Long.compare(o.tip, tip);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }
}
