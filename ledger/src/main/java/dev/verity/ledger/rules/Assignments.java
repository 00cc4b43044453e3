package dev.verity.ledger.rules;

import dev.verity.core.PublicKey;
import dev.verity.ledger.state.DeadlineKey;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.NodeRecord;

/**
 * The open assignments: a job waiting for its node's answer has exactly one deadline entry, and counts once in
 * that node's {@code inFlight}; an open audit counts once in its auditor's. Every rule that assigns a job or takes it back goes through here, so a node's
 * count of jobs in flight (which its capacity bounds) never drifts from the jobs it really holds.
 */
final class Assignments {
    private Assignments() {}

    static void open(LedgerState state, JobRecord assigned) {
        state.deadlines.put(new DeadlineKey(assigned.deadlineHeight(), assigned.id()), 0L);
        adjust(state, assigned.assignedNode(), +1);
    }

    /** Closes the assignment of {@code job} (as it was assigned: its deadline height and node). */
    static void close(LedgerState state, JobRecord job) {
        DeadlineKey key = new DeadlineKey(job.deadlineHeight(), job.id());
        if (state.deadlines.contains(key)) {
            state.deadlines.remove(key);
            adjust(state, job.assignedNode(), -1);
        }
    }

    /** An audit is work in flight too: it takes room under the auditor's capacity until it is reported or missed. */
    static void openAudit(LedgerState state, PublicKey auditor) {
        adjust(state, auditor, +1);
    }

    static void closeAudit(LedgerState state, PublicKey auditor) {
        adjust(state, auditor, -1);
    }

    private static void adjust(LedgerState state, PublicKey nodeId, int delta) {
        NodeRecord n = nodeId == null ? null : state.nodes.get(nodeId);
        if (n != null) {
            state.nodes.put(nodeId, n.withInFlight(Math.max(0, n.inFlight() + delta)));
        }
    }
}
