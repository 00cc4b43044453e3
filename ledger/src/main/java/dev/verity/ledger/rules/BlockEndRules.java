package dev.verity.ledger.rules;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.BlockContext;
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
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What happens at the end of every block, after its transactions: missed deadlines are
 * penalized and their jobs requeued or expired, then queued jobs are assigned.
 */
public final class BlockEndRules {
    private BlockEndRules() {}

    public static void endBlock(LedgerState state, BlockContext ctx) {
        processDeadlines(state, ctx);
        VerificationTimers.process(state, ctx);
        Backlog backlog = assignQueuedJobs(state, ctx);
        FeeMarket.endBlock(state, backlog.waitingForCapacity(), backlog.capacity());
    }

    static void processDeadlines(LedgerState state, BlockContext ctx) {
        Params p = state.params();
        List<DeadlineKey> due = new ArrayList<>();
        state.deadlines.forEach((k, v) -> k.height() <= ctx.height() && due.add(k));
        for (DeadlineKey k : due) {
            JobRecord job = state.jobs.get(k.job());
            if (job == null || job.status() != JobStatus.ASSIGNED) {
                state.deadlines.remove(k);
                continue;
            }
            state.emit(LedgerEvent.of(EventType.DEADLINE_MISSED, job.id(), job.assignedNode(), null, 0,
                    "no result by height " + job.deadlineHeight()));
            missed(state, job, ctx);
        }
    }

    /**
     * A job its node did not answer (deadline passed, or the node reported its own failure): closes the assignment,
     * penalizes the node, and requeues the job for another node or, after the last reassignment, expires it.
     */
    static void missed(LedgerState state, JobRecord job, BlockContext ctx) {
        Params p = state.params();
        Assignments.close(state, job);
        PublicKey late = job.assignedNode();
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

    static void expire(LedgerState state, JobRecord job, String why) {
        state.jobs.put(job.id(), job);
        Balances.credit(state, job.client(), job.maxFee());
        state.emit(LedgerEvent.of(EventType.JOB_EXPIRED, job.id(), null, job.client(), 0, why));
        state.emit(LedgerEvent.of(EventType.CLIENT_REFUNDED, job.id(), null, job.client(), job.maxFee(),
                "full escrow returned: " + why));
    }

    /** What assignment left behind: jobs that wait only because every node serving them is at capacity, and the capacity of all assignable nodes. */
    record Backlog(long waitingForCapacity, long capacity) {}

    /**
     * Assigns queued jobs in queue order to nodes with room under their declared capacity. A job that finds no
     * room keeps its place in the queue; one that waited {@code maxQueueBlocks} expires with its escrow refunded.
     */
    static Backlog assignQueuedJobs(LedgerState state, BlockContext ctx) {
        Params p = state.params();
        List<NodeRecord> active = new ArrayList<>();
        TreeMap<PublicKey, Integer> room = new TreeMap<>();
        long capacity = 0;
        for (NodeRecord n : state.nodes.values()) {
            if (n.status() == NodeStatus.ACTIVE && n.stake() >= p.minStake()) {
                active.add(n);
                room.put(n.id(), Math.max(0, n.capacity() - n.inFlight()));
                capacity += n.capacity();
            }
        }
        long waiting = 0;
        long roomLeft = 0;
        for (int r : room.values()) {
            roomLeft += r;
        }
        ServedModes served = new ServedModes(active);
        for (Map.Entry<QueueKey, Hash> entry : state.queue.rows(QueueKey.FIRST, p.maxAssignmentsPerBlock())) {
            JobRecord job = state.jobs.get(entry.getValue());
            if (job == null || job.status() != JobStatus.QUEUED) {
                state.queue.remove(entry.getKey());
                continue;
            }
            // With no room left anywhere the rest of the queue only waits (or expires): it is classified without a
            // search, to the same outcome a search would give, so a long queue costs a lookup per job.
            Outcome outcome = roomLeft > 0 ? tryAssign(state, job, active, room, ctx)
                    : served.anyFor(state, job) ? Outcome.NO_ROOM : Outcome.NO_NODE;
            if (outcome == Outcome.ASSIGNED) {
                roomLeft--;
                state.queue.remove(entry.getKey());
            } else if (ctx.height() - job.queuedAt() >= p.maxQueueBlocks()) {
                state.queue.remove(entry.getKey());
                expire(state, job.expired(ctx.height(), job.missedBy()), outcome == Outcome.NO_ROOM
                        ? "every node serving model " + job.model().hex() + " in modes " + modes(job) + " stayed at its capacity for "
                                + p.maxQueueBlocks() + " blocks"
                        : "no eligible node for model " + job.model().hex() + " in modes " + modes(job) + " within "
                                + p.maxQueueBlocks() + " blocks");
            } else if (outcome == Outcome.NO_ROOM) {
                waiting++;
            }
        }
        return new Backlog(waiting, capacity);
    }

    private enum Outcome { ASSIGNED, NO_ROOM, NO_NODE }

    /** Which modes some active node serves each model in, for classifying jobs once no node has room. */
    private static final class ServedModes {
        private final List<NodeRecord> active;
        private TreeMap<Hash, TreeSet<VerificationMode>> byModel;

        ServedModes(List<NodeRecord> active) {
            this.active = active;
        }

        /** Whether some active node serves the job's model in a mode of its ladder whose price fits its max fee. */
        boolean anyFor(LedgerState state, JobRecord job) {
            if (byModel == null) {
                byModel = new TreeMap<>();
                for (NodeRecord n : active) {
                    for (Hash m : n.models()) {
                        for (VerificationMode mode : n.modes()) {
                            if (n.serves(m, mode)) {
                                byModel.computeIfAbsent(m, k -> new TreeSet<>()).add(mode);
                            }
                        }
                    }
                }
            }
            TreeSet<VerificationMode> modes = byModel.get(job.model());
            if (modes == null) {
                return false;
            }
            ModelRecord model = state.models.get(job.model());
            for (VerificationMode mode : modes(job)) {
                if (modes.contains(mode) && Pricing.minCharge(state.params(), JobUnits.reserved(state, model, job.id()), mode,
                        job.basePrice()) <= job.maxFee()) {
                    return true;
                }
            }
            return false;
        }
    }

    private static List<VerificationMode> modes(JobRecord job) {
        List<VerificationMode> all = new ArrayList<>();
        all.add(job.mode());
        all.addAll(job.fallbackModes());
        return all;
    }

    /**
     * Tries the job's mode, then each fallback in order; the first mode some node with room serves wins. A job
     * that some node serves but none has room for waits in its mode rather than falling to a weaker one.
     */
    private static Outcome tryAssign(LedgerState state, JobRecord job, List<NodeRecord> active, TreeMap<PublicKey, Integer> room,
                                     BlockContext ctx) {
        ModelRecord model = state.models.get(job.model());
        long units = JobUnits.reserved(state, model, job.id());
        List<VerificationMode> ladder = modes(job);
        for (int i = 0; i < ladder.size(); i++) {
            VerificationMode mode = ladder.get(i);
            if (Pricing.minCharge(state.params(), units, mode, job.basePrice()) > job.maxFee()) {
                continue;
            }
            long fee = Pricing.cappedFee(state.params(), units, mode, job.basePrice(), job.tip(), job.maxFee());
            List<NodeRecord> serving = candidates(active, job, mode);
            if (serving.isEmpty()) {
                continue;
            }
            List<NodeRecord> candidates = new ArrayList<>(serving.size());
            for (NodeRecord n : serving) {
                if (room.get(n.id()) > 0) {
                    candidates.add(n);
                }
            }
            if (candidates.isEmpty()) {
                return Outcome.NO_ROOM;
            }
            NodeRecord chosen = NodeSelection.pick(candidates, ctx.previousHash(), job.id(), job.reassignments());
            room.put(chosen.id(), room.get(chosen.id()) - 1);
            List<VerificationMode> rest = ladder.subList(i + 1, ladder.size());
            JobRecord assigned = job.assigned(chosen.id(), ctx.height(), mode, rest, fee);
            state.jobs.put(job.id(), assigned);
            Assignments.open(state, assigned);
            if (i > 0) {
                state.emit(LedgerEvent.of(EventType.MODE_FALLBACK, job.id(), null, job.client(), fee,
                        "no node serves " + job.mode() + " for this model; falling back to " + mode).withMode(mode));
            }
            state.emit(LedgerEvent.of(EventType.JOB_ASSIGNED, job.id(), chosen.id(), job.client(), fee,
                    mode + " job assigned, result due by height " + assigned.deadlineHeight()).withMode(mode));
            return Outcome.ASSIGNED;
        }
        return Outcome.NO_NODE;
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
