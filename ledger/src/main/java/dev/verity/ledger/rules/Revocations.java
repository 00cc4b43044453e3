package dev.verity.ledger.rules;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.DeadlineKey;
import dev.verity.ledger.state.EnclaveRecord;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.protocol.VerificationMode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The fallback ladder in action: when governance revokes what an enclave was registered under,
 * the enclave loses its registration at once, and every unsettled TEE job assigned to its node
 * moves to the next mode of its ladder (back to the queue, reassigned under that mode's rules) or,
 * with no mode left, is cancelled and refunded in full. Nobody is penalized: the node did nothing wrong.
 */
final class Revocations {
    private Revocations() {}

    /** Unregisters every enclave the predicate selects; returns how many. */
    static int unregisterWhere(LedgerState state, Predicate<EnclaveRecord> revoked, String why, BlockContext ctx) {
        List<EnclaveRecord> hit = new ArrayList<>();
        for (EnclaveRecord e : state.enclaves.values()) {
            if (revoked.test(e)) {
                hit.add(e);
            }
        }
        TreeSet<PublicKey> nodes = new TreeSet<>();
        for (EnclaveRecord e : hit) {
            state.enclaves.remove(e.enclaveKey());
            NodeRecord node = state.nodes.get(e.node());
            if (node != null && e.enclaveKey().equals(node.enclaveKey())) {
                state.nodes.put(node.id(), node.withEnclave(null));
                nodes.add(node.id());
            }
            state.emit(LedgerEvent.of(EventType.ENCLAVE_REVOKED, null, e.node(), e.node(), 0,
                    e.type() + " enclave " + e.enclaveKey().hex() + " unregistered: " + why));
        }
        if (!nodes.isEmpty()) {
            moveTeeJobs(state, nodes, why, ctx);
        }
        return hit.size();
    }

    /** Assigned jobs are exactly those with a deadline, so the deadline table bounds the search. */
    private static void moveTeeJobs(LedgerState state, TreeSet<PublicKey> nodes, String why, BlockContext ctx) {
        List<DeadlineKey> affected = new ArrayList<>();
        for (DeadlineKey k : state.deadlines.keys()) {
            JobRecord job = state.jobs.get(k.job());
            if (job != null && job.status() == JobStatus.ASSIGNED && job.mode() == VerificationMode.TEE
                    && nodes.contains(job.assignedNode())) {
                affected.add(k);
            }
        }
        for (DeadlineKey k : affected) {
            JobRecord job = state.jobs.get(k.job());
            Assignments.close(state, job);
            PublicKey node = job.assignedNode();
            if (job.fallbackModes().isEmpty()) {
                cancel(state, job, node, why, ctx);
            } else {
                VerificationMode next = job.fallbackModes().get(0);
                List<VerificationMode> rest = job.fallbackModes().subList(1, job.fallbackModes().size());
                state.jobs.put(job.id(), job.movedDown(next, rest, ctx.height()));
                JobRules.enqueue(state, job);
                state.emit(LedgerEvent.of(EventType.JOB_MOVED, job.id(), node, job.client(), 0,
                        "moved from TEE to " + next + " because its enclave was revoked (" + why + ")"));
            }
        }
    }

    private static void cancel(LedgerState state, JobRecord job, PublicKey node, String why, BlockContext ctx) {
        Hash id = job.id();
        state.jobs.put(id, job.cancelled(ctx.height()));
        Balances.credit(state, job.client(), job.maxFee());
        state.emit(LedgerEvent.of(EventType.JOB_CANCELLED, id, node, job.client(), 0,
                "its enclave was revoked and no fallback mode is left (" + why + ")"));
        state.emit(LedgerEvent.of(EventType.CLIENT_REFUNDED, id, null, job.client(), job.maxFee(),
                "full escrow returned: the job was cancelled by a revocation"));
    }
}
