package dev.verity.ledger.rules;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.Params;
import dev.verity.ledger.VerificationMode;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.DeadlineKey;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.ModelRecord;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.state.NodeStatus;
import dev.verity.ledger.state.QueueKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What happens at the end of every block, after its transactions: missed deadlines are
 * penalized and their jobs requeued or expired, then queued jobs are assigned.
 */
public final class BlockEndRules {
    private BlockEndRules() {}

    public static void endBlock(LedgerState state, BlockContext ctx) {
        processDeadlines(state, ctx);
        VerificationTimers.process(state, ctx);
        assignQueuedJobs(state, ctx);
        FeeMarket.endBlock(state);
    }

    static void processDeadlines(LedgerState state, BlockContext ctx) {
        Params p = state.params();
        List<DeadlineKey> due = new ArrayList<>();
        for (DeadlineKey k : state.deadlines.view().keySet()) {
            if (k.height() > ctx.height()) {
                break;
            }
            due.add(k);
        }
        for (DeadlineKey k : due) {
            state.deadlines.remove(k);
            JobRecord job = state.jobs.get(k.job());
            if (job == null || job.status() != JobStatus.ASSIGNED) {
                continue;
            }
            PublicKey late = job.assignedNode();
            state.emit(LedgerEvent.of(EventType.DEADLINE_MISSED, job.id(), late, null, 0,
                    "no result by height " + job.deadlineHeight()));
            StakingRules.penalizeMissedDeadline(state, late, job.id(), ctx);
            List<PublicKey> missed = new ArrayList<>(job.missedBy());
            missed.add(late);
            if (job.reassignments() < p.maxReassignments()) {
                state.jobs.put(job.id(), job.requeued(missed, ctx.height()));
                JobRules.enqueue(state, job);
                state.emit(LedgerEvent.of(EventType.JOB_REQUEUED, job.id(), late, job.client(), 0,
                        "reassignment " + (job.reassignments() + 1) + " of " + p.maxReassignments()));
            } else {
                expire(state, job.expired(ctx.height(), missed),
                        "no result after " + (p.maxReassignments() + 1) + " assignments");
            }
        }
    }

    static void expire(LedgerState state, JobRecord job, String why) {
        state.jobs.put(job.id(), job);
        Balances.credit(state, job.client(), job.maxFee());
        state.emit(LedgerEvent.of(EventType.JOB_EXPIRED, job.id(), null, job.client(), 0, why));
        state.emit(LedgerEvent.of(EventType.CLIENT_REFUNDED, job.id(), null, job.client(), job.maxFee(),
                "full escrow returned: " + why));
    }

    static void assignQueuedJobs(LedgerState state, BlockContext ctx) {
        Params p = state.params();
        List<NodeRecord> active = new ArrayList<>();
        for (NodeRecord n : state.nodes.view().values()) {
            if (n.status() == NodeStatus.ACTIVE && n.stake() >= p.minStake()) {
                active.add(n);
            }
        }
        for (Map.Entry<QueueKey, Hash> entry : state.queue.snapshotFrom(QueueKey.FIRST, p.maxAssignmentsPerBlock())) {
            JobRecord job = state.jobs.get(entry.getValue());
            state.queue.remove(entry.getKey());
            if (job == null || job.status() != JobStatus.QUEUED) {
                continue;
            }
            if (!tryAssign(state, job, active, ctx)) {
                if (ctx.height() - job.queuedAt() >= p.maxQueueBlocks()) {
                    expire(state, job.expired(ctx.height(), job.missedBy()),
                            "no eligible node for model " + job.model().hex() + " in modes " + modes(job) + " within "
                                    + p.maxQueueBlocks() + " blocks");
                } else {
                    JobRules.enqueue(state, job);
                }
            }
        }
    }

    private static List<VerificationMode> modes(JobRecord job) {
        List<VerificationMode> all = new ArrayList<>();
        all.add(job.mode());
        all.addAll(job.fallbackModes());
        return all;
    }

    /** Tries the job's mode, then each fallback in order; the first mode some node serves wins. */
    private static boolean tryAssign(LedgerState state, JobRecord job, List<NodeRecord> active, BlockContext ctx) {
        ModelRecord model = state.models.get(job.model());
        List<VerificationMode> ladder = modes(job);
        for (int i = 0; i < ladder.size(); i++) {
            VerificationMode mode = ladder.get(i);
            if (Pricing.minCharge(state.params(), model, mode, job.basePrice()) > job.maxFee()) {
                continue;
            }
            long fee = Pricing.cappedFee(state.params(), model, mode, job.basePrice(), job.tip(), job.maxFee());
            List<NodeRecord> candidates = candidates(active, job, mode);
            if (candidates.isEmpty()) {
                continue;
            }
            NodeRecord chosen = NodeSelection.pick(candidates, ctx.previousHash(), job.id(), job.reassignments());
            List<VerificationMode> rest = ladder.subList(i + 1, ladder.size());
            JobRecord assigned = job.assigned(chosen.id(), ctx.height(), mode, rest, fee);
            state.jobs.put(job.id(), assigned);
            state.deadlines.put(new DeadlineKey(assigned.deadlineHeight(), job.id()), 0L);
            if (i > 0) {
                state.emit(LedgerEvent.of(EventType.MODE_FALLBACK, job.id(), null, job.client(), fee,
                        "no node serves " + job.mode() + " for this model; falling back to " + mode).withMode(mode));
            }
            state.emit(LedgerEvent.of(EventType.JOB_ASSIGNED, job.id(), chosen.id(), job.client(), fee,
                    mode + " job assigned, result due by height " + assigned.deadlineHeight()).withMode(mode));
            return true;
        }
        return false;
    }

    /** Active nodes serving the model in the mode; nodes that already missed this job only if nobody else can. */
    private static List<NodeRecord> candidates(List<NodeRecord> active, JobRecord job, VerificationMode mode) {
        List<NodeRecord> fresh = new ArrayList<>();
        List<NodeRecord> all = new ArrayList<>();
        for (NodeRecord n : active) {
            if (n.serves(job.model(), mode)) {
                all.add(n);
                if (!job.missedBy().contains(n.id())) {
                    fresh.add(n);
                }
            }
        }
        return fresh.isEmpty() ? all : fresh;
    }
}
