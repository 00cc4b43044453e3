package dev.verity.sdk;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;

/**
 * Which events {@link VerityClient#events} lists or {@link VerityClient#streamEvents} streams: those
 * of one job, one node or one account (at most one of them; none = all events), from block
 * {@code fromHeight} on. For a list, {@code fromHeight} defaults to 0 and {@code limit} to 100 (at
 * most 1000). For a stream, a null {@code fromHeight} means live events only; a height first replays
 * the stored events from there; {@code limit} is ignored.
 */
public record EventQuery(Hash job, PublicKey node, PublicKey account, Long fromHeight, Integer limit) {

    public EventQuery {
        int subjects = (job != null ? 1 : 0) + (node != null ? 1 : 0) + (account != null ? 1 : 0);
        if (subjects > 1) {
            throw new IllegalArgumentException("filter events by at most one of job, node and account");
        }
        if (fromHeight != null && fromHeight < 0) {
            throw new IllegalArgumentException("fromHeight must not be negative, got " + fromHeight);
        }
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw new IllegalArgumentException("the limit must be 1 to 1000, got " + limit);
        }
    }

    public static EventQuery all() {
        return new EventQuery(null, null, null, null, null);
    }

    public static EventQuery forJob(Hash job) {
        return new EventQuery(job, null, null, null, null);
    }

    public static EventQuery forNode(PublicKey node) {
        return new EventQuery(null, node, null, null, null);
    }

    public static EventQuery forAccount(PublicKey account) {
        return new EventQuery(null, null, account, null, null);
    }

    public EventQuery withFromHeight(long height) {
        return new EventQuery(job, node, account, height, limit);
    }

    public EventQuery withLimit(int l) {
        return new EventQuery(job, node, account, fromHeight, l);
    }
}
