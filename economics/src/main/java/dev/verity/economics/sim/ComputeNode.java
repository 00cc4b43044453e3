package dev.verity.economics.sim;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.economics.calculator.GpuSpec;
import dev.verity.ledger.state.ClaimPhase;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.ResultClaim;
import dev.verity.protocol.VerificationMode;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One simulated compute node: an operator's GPU that works the jobs and audits the chain assigns it one at a
 * time, first come first served, so a busy node builds a backlog. Its service time for a job is the job's compute
 * units over the GPU's throughput, times the ZK cost multiple for a ZK job. A rational node does not start work it
 * cannot deliver by the deadline (the ledger then penalizes the miss and requeues the job), and drops work the
 * chain took from it (a job moved by a revocation, an audit reassigned).
 */
final class ComputeNode {
    enum Kind { RESULT, AUDIT }

    /** Assigned work: a job to answer or a result to audit ({@code resultNode} is the node whose result it is). */
    record WorkItem(Kind kind, Hash job, VerificationMode mode, int input, long assignedAt, long dueHeight,
                    long availableAtMs, long serviceMs, PublicKey resultNode) {}

    /** Work finished at {@code finishMs}, to be sent in block {@code block}. */
    record Completion(long block, long finishMs, ComputeNode node, WorkItem item) {}

    final int index;
    final String name;
    final PrivateKey key;
    final GpuSpec gpu;
    final PrivateKey enclave;
    final long stake;
    final OperatorCosts costs;
    final OperatorAccount account;
    private final ArrayDeque<WorkItem> queue = new ArrayDeque<>();
    private long freeAtMs;
    /** The height from which the node may unjail itself, or -1. */
    long unjailAt = -1;
    /** The day the operator left, or -1. */
    int exitDay = -1;
    long withdrawAt = -1;
    int daysBelowRental;
    long skipped;

    ComputeNode(int index, GpuSpec gpu, boolean hasEnclave, long stake, OperatorCosts costs, int days) {
        this.index = index;
        this.name = String.format(java.util.Locale.ROOT, "node-%02d", index + 1);
        this.key = PrivateKey.deterministic("sim/" + name);
        this.gpu = gpu;
        this.enclave = hasEnclave ? PrivateKey.deterministic("sim/" + name + "/enclave") : null;
        this.stake = stake;
        this.costs = costs;
        this.account = new OperatorAccount(days);
    }

    PublicKey id() {
        return key.publicKey();
    }

    boolean exited() {
        return exitDay >= 0;
    }

    void assign(WorkItem item) {
        queue.addLast(item);
    }

    int backlog() {
        return queue.size();
    }

    /**
     * Starts every queued item whose start comes before {@code horizonMs} (the end of the next block, before which
     * the node knows no newer state than {@code state}), handing each finished item to {@code done}.
     */
    void advance(long horizonMs, long blockMillis, LedgerState state, Consumer<Completion> done) {
        while (!queue.isEmpty()) {
            WorkItem w = queue.peekFirst();
            long start = Math.max(freeAtMs, w.availableAtMs());
            if (start >= horizonMs) {
                return;
            }
            queue.pollFirst();
            if (!stillMine(w, state)) {
                continue;
            }
            long finish = start + w.serviceMs();
            long block = Math.ceilDiv(finish, blockMillis);
            if (block > w.dueHeight()) {
                skipped++;
                continue;
            }
            account.busy(start, finish);
            freeAtMs = finish;
            done.accept(new Completion(block, finish, this, w));
        }
    }

    private boolean stillMine(WorkItem w, LedgerState state) {
        if (w.kind() == Kind.RESULT) {
            JobRecord job = state.jobs.get(w.job());
            return job != null && job.status() == JobStatus.ASSIGNED && id().equals(job.assignedNode())
                    && job.assignedAt() == w.assignedAt();
        }
        ResultClaim claim = state.claims.get(w.job());
        return claim != null && claim.phase() == ClaimPhase.AUDITING && id().equals(claim.auditor())
                && claim.phaseEnds() == w.dueHeight();
    }
}
