package dev.verity.sdk;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;

/**
 * Which jobs {@link VerityClient#jobs} lists: every filter is optional (null = any). {@code status} is
 * QUEUED, ASSIGNED, SETTLED, EXPIRED or CANCELLED; {@code limit} defaults to 100 on the node, at most 1000.
 * Jobs come newest first. Build with {@link #all()} and the {@code with...} methods.
 */
public record JobQuery(String status, PublicKey node, PublicKey client, Hash model, Integer limit) {

    public JobQuery {
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw new IllegalArgumentException("the limit must be 1 to 1000, got " + limit);
        }
    }

    public static JobQuery all() {
        return new JobQuery(null, null, null, null, null);
    }

    /** Jobs assigned to {@code node} and waiting for its result: what a compute node has to do. */
    public static JobQuery assignedTo(PublicKey node) {
        return new JobQuery("ASSIGNED", node, null, null, null);
    }

    /** Jobs assigned to (or settled by) {@code node}, any status. */
    public static JobQuery forNode(PublicKey node) {
        return new JobQuery(null, node, null, null, null);
    }

    /** Jobs submitted by {@code client}. */
    public static JobQuery forClient(PublicKey client) {
        return new JobQuery(null, null, client, null, null);
    }

    public JobQuery withStatus(String s) {
        return new JobQuery(s, node, client, model, limit);
    }

    public JobQuery withNode(PublicKey n) {
        return new JobQuery(status, n, client, model, limit);
    }

    public JobQuery withClient(PublicKey c) {
        return new JobQuery(status, node, c, model, limit);
    }

    public JobQuery withModel(Hash m) {
        return new JobQuery(status, node, client, m, limit);
    }

    public JobQuery withLimit(int l) {
        return new JobQuery(status, node, client, model, l);
    }
}
