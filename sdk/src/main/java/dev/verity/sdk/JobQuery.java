package dev.verity.sdk;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import java.util.Locale;

/**
 * Which jobs {@link VerityClient#jobs} lists: every filter is optional (null = any). {@code status} is
 * QUEUED, ASSIGNED, VERIFYING, DISPUTED, SETTLED, FAILED, EXPIRED or CANCELLED; {@code limit} defaults to 100 on the
 * node, at most 1000. Build with {@link #all()} and the {@code with...} methods.
 *
 * <p>{@code order} is {@value #NEWEST} (the default, also when null: newest first by submission height, the
 * {@code limit} newest) or {@value #DEADLINE}: assigned jobs only, earliest deadline first (deadline height, then job
 * id), page by page. A deadline-ordered listing is read with {@link VerityClient#jobPage}, whose {@link JobPage#next()}
 * cursor goes into {@code after} to get the next page; {@link VerityClient#assignedJobs} does that for a node's work.
 *
 * @param after a cursor {@code <deadlineHeight>:<jobId>} (only with the deadline order): the page starts after that job
 */
public record JobQuery(String status, PublicKey node, PublicKey client, Hash model, Integer limit, String order,
                       String after) {
    /** Newest first (the default order). */
    public static final String NEWEST = "newest";
    /** Assigned jobs, earliest deadline first, with a cursor. */
    public static final String DEADLINE = "deadline";

    public JobQuery {
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw new IllegalArgumentException("the limit must be 1 to 1000, got " + limit);
        }
        if (order != null) {
            order = order.strip().toLowerCase(Locale.ROOT);
            if (!order.equals(NEWEST) && !order.equals(DEADLINE)) {
                throw new IllegalArgumentException("the order is '" + NEWEST + "' or '" + DEADLINE + "', got '" + order + "'");
            }
        }
        if (after != null && !DEADLINE.equals(order)) {
            throw new IllegalArgumentException("a cursor ('after') pages the deadline order; use byDeadline() with it");
        }
        if (after != null) {
            JobPage.requireCursor(after);
        }
    }

    /** A query in the default order (newest first). */
    public JobQuery(String status, PublicKey node, PublicKey client, Hash model, Integer limit) {
        this(status, node, client, model, limit, null, null);
    }

    public static JobQuery all() {
        return new JobQuery(null, null, null, null, null);
    }

    /** Jobs assigned to {@code node} and waiting for its result: what a compute node has to do (newest first). */
    public static JobQuery assignedTo(PublicKey node) {
        return new JobQuery("ASSIGNED", node, null, null, null);
    }

    /** Jobs assigned to {@code node}, earliest deadline first: the first page of a compute node's work. */
    public static JobQuery assignedByDeadline(PublicKey node) {
        return assignedTo(node).byDeadline();
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
        return new JobQuery(s, node, client, model, limit, order, after);
    }

    public JobQuery withNode(PublicKey n) {
        return new JobQuery(status, n, client, model, limit, order, after);
    }

    public JobQuery withClient(PublicKey c) {
        return new JobQuery(status, node, c, model, limit, order, after);
    }

    public JobQuery withModel(Hash m) {
        return new JobQuery(status, node, client, m, limit, order, after);
    }

    public JobQuery withLimit(int l) {
        return new JobQuery(status, node, client, model, l, order, after);
    }

    /** The deadline order: assigned jobs, earliest deadline first, page by page. */
    public JobQuery byDeadline() {
        return new JobQuery(status, node, client, model, limit, DEADLINE, after);
    }

    /** The page after {@code cursor} (a {@link JobPage#next()}; null: the first page) of the deadline order. */
    public JobQuery after(String cursor) {
        return new JobQuery(status, node, client, model, limit, DEADLINE, cursor);
    }
}
