package dev.verity.sdk;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;

/**
 * Which events {@link VerityClient#events} lists or {@link VerityClient#streamEvents} streams: those
 * of one job, one node or one account (at most one of them; none = all events), from block
 * {@code fromHeight} on. For a list, {@code fromHeight} defaults to 0 and {@code limit} to 100 (at
 * most 1000), and {@code fromIndex} (default 0) skips the events of block {@code fromHeight} before that
 * index, so a reader pages by position (height, index): ask again from the last event's height with
 * {@code fromIndex} one past its index. For a stream, a null {@code fromHeight} means live events only; a
 * height first replays the stored events from there; {@code limit} and {@code fromIndex} are ignored.
 */
public record EventQuery(Hash job, PublicKey node, PublicKey account, Long fromHeight, Integer fromIndex, Integer limit) {

    public EventQuery {
        int subjects = (job != null ? 1 : 0) + (node != null ? 1 : 0) + (account != null ? 1 : 0);
        if (subjects > 1) {
            throw new IllegalArgumentException("filter events by at most one of job, node and account");
        }
        if (fromHeight != null && fromHeight < 0) {
            throw new IllegalArgumentException("fromHeight must not be negative, got " + fromHeight);
        }
        if (fromIndex != null && fromIndex < 0) {
            throw new IllegalArgumentException("fromIndex must not be negative, got " + fromIndex);
        }
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw new IllegalArgumentException("the limit must be 1 to 1000, got " + limit);
        }
    }

    /** A query from {@code fromHeight} (events of that block from index 0). */
    public EventQuery(Hash job, PublicKey node, PublicKey account, Long fromHeight, Integer limit) {
        this(job, node, account, fromHeight, null, limit);
    }

    public static EventQuery all() {
        return new EventQuery(null, null, null, null, null, null);
    }

    public static EventQuery forJob(Hash job) {
        return new EventQuery(job, null, null, null, null, null);
    }

    public static EventQuery forNode(PublicKey node) {
        return new EventQuery(null, node, null, null, null, null);
    }

    public static EventQuery forAccount(PublicKey account) {
        return new EventQuery(null, null, account, null, null, null);
    }

    /** Events from block {@code height} on (all of that block's: the index starts over). */
    public EventQuery withFromHeight(long height) {
        return new EventQuery(job, node, account, height, null, limit);
    }

    /** Events from position ({@code height}, {@code index}) on: the next page after the event at {@code index - 1}. */
    public EventQuery withFromPosition(long height, int index) {
        return new EventQuery(job, node, account, height, index, limit);
    }

    public EventQuery withLimit(int l) {
        return new EventQuery(job, node, account, fromHeight, fromIndex, l);
    }
}
