package dev.verity.ledger.rules;

import static dev.verity.ledger.rules.Rejections.reject;
import static dev.verity.ledger.rules.Rejections.require;

import dev.verity.core.Amounts;
import dev.verity.core.Bytes;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.evidence.ProvableTrace;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.ClaimPhase;
import dev.verity.ledger.state.DisputeKind;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.ModelRecord;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.state.NodeStatus;
import dev.verity.ledger.state.ProgramRecord;
import dev.verity.ledger.state.ResultClaim;
import dev.verity.proofs.trace.TraceClaim;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Payload;
import java.util.ArrayList;
import java.util.List;

/**
 * Random audits of {@code SAMPLED} results. The draw is
 * {@code u64(SHA-256("verity-audit-v1" || previousBlockHash || jobId)[0..8]) mod 10000 < auditProbabilityBps},
 * made at the end of block {@code postedAt + 2}, so the deciding hash is that of block {@code postedAt + 1},
 * produced after the result was in. The auditor is a stake-weighted choice among the other active nodes
 * that serve the model in {@code SAMPLED} mode.
 */
public final class AuditRules {
    private static final byte[] DOMAIN = Bytes.utf8("verity-audit-v1");

    private AuditRules() {}

    /** The draw in [0, 10000) for a job at a block whose previous hash is {@code previousHash}. */
    public static long draw(Hash previousHash, Hash job) {
        Hash seed = Sha256.digest(new Encoder(80).fixed(DOMAIN).hash(previousHash).hash(job).toByteArray());
        return Long.remainderUnsigned(seed.prefixLong(), 10_000);
    }

    static void draw(LedgerState state, JobRecord job, ResultClaim claim, BlockContext ctx) {
        long d = draw(ctx.previousHash(), job.id());
        long p = state.params().auditProbabilityBps();
        if (d >= p) {
            state.emit(LedgerEvent.of(EventType.AUDIT_SKIPPED, job.id(), claim.node(), job.client(), 0,
                    "not drawn for audit: draw " + d + " >= " + p + " (audit probability in basis points)"));
            ProvableRules.settle(state, job, claim.node(), job.outputHash(), 0, ctx);
            return;
        }
        assign(state, job, claim, 0, "drawn for audit: draw " + d + " < " + p, ctx);
    }

    private static void assign(LedgerState state, JobRecord job, ResultClaim claim, int attempt, String why, BlockContext ctx) {
        List<NodeRecord> candidates = new ArrayList<>();
        Params p = state.params();
        for (NodeRecord n : state.nodes.values()) {
            if (n.status() == NodeStatus.ACTIVE && n.stake() >= p.minStake() && !n.id().equals(claim.node())
                    && !n.id().equals(claim.auditor()) && n.serves(job.model(), VerificationMode.SAMPLED)) {
                candidates.add(n);
            }
        }
        if (candidates.isEmpty()) {
            state.emit(LedgerEvent.of(EventType.AUDIT_SKIPPED, job.id(), claim.node(), job.client(), 0,
                    why + ", but no other node serves the model in SAMPLED mode; the result settles unaudited"));
            ProvableRules.settle(state, job, claim.node(), job.outputHash(), 0, ctx);
            return;
        }
        List<NodeRecord> withRoom = new ArrayList<>();
        for (NodeRecord n : candidates) {
            if (n.inFlight() < n.capacity()) {
                withRoom.add(n);
            }
        }
        if (withRoom.isEmpty()) {
            // Never more work than a node declared: the audit waits for room (audits are assigned before queued jobs).
            long next = Amounts.add(ctx.height(), 1);
            state.claims.put(job.id(), new ResultClaim(claim.job(), claim.node(), claim.root(), ClaimPhase.AWAITING_AUDITOR,
                    claim.postedAt(), next, claim.windowEnds(), claim.auditor(), attempt));
            ProvableRules.schedule(state, job.id(), next);
            return;
        }
        NodeRecord auditor = NodeSelection.pick(withRoom, ctx.previousHash(), job.id(), 1_000 + attempt);
        long due = Amounts.add(ctx.height(), job.deadlineBlocks());
        Assignments.openAudit(state, auditor.id());
        state.claims.put(job.id(), claim.auditedBy(auditor.id(), due, attempt));
        ProvableRules.schedule(state, job.id(), due);
        state.emit(LedgerEvent.of(EventType.AUDIT_ASSIGNED, job.id(), auditor.id(), job.client(), 0,
                why + "; auditor " + auditor.id().hex() + " must report by height " + due));
    }

    /** A drawn audit that waited a block for a node with room tries again. */
    static void retryAssign(LedgerState state, JobRecord job, ResultClaim claim, BlockContext ctx) {
        assign(state, job, claim, claim.auditAttempts(), "drawn for audit (waited for an auditor with room)", ctx);
    }

    /** The auditor let its deadline pass: it is penalized like a node that misses a result, and the audit moves on. */
    static void auditorMissed(LedgerState state, JobRecord job, ResultClaim claim, BlockContext ctx) {
        Assignments.closeAudit(state, claim.auditor());
        StakingRules.penalizeMissedDeadline(state, claim.auditor(), job.id(), ctx);
        if (claim.auditAttempts() < state.params().maxReassignments()) {
            assign(state, job, claim, claim.auditAttempts() + 1,
                    "auditor " + claim.auditor().hex() + " did not report; audit reassigned", ctx);
        } else {
            state.emit(LedgerEvent.of(EventType.AUDIT_SKIPPED, job.id(), claim.node(), job.client(), 0,
                    "no auditor reported after " + (claim.auditAttempts() + 1) + " assignments; the result settles unaudited"));
            ProvableRules.settle(state, job, claim.node(), job.outputHash(), 0, ctx);
        }
    }

    public static void report(LedgerState state, PublicKey sender, Payload.AuditReport r, BlockContext ctx) {
        JobRecord job = state.jobs.get(r.jobId());
        if (job == null) {
            throw reject(RejectCode.UNKNOWN_JOB, "job " + r.jobId().hex() + " is not live: it never existed, or it finished and left the live state");
        }
        ResultClaim claim = state.claims.get(job.id());
        require(claim != null && claim.phase() == ClaimPhase.AUDITING, RejectCode.JOB_NOT_OPEN,
                "job " + job.id().hex() + " is not being audited");
        require(sender.equals(claim.auditor()), RejectCode.NOT_ASSIGNED,
                "the audit of job " + job.id().hex() + " is assigned to " + claim.auditor().hex() + ", not to " + sender.hex());
        Params p = state.params();
        byte[] output = r.output();
        require(output.length <= p.maxOutputBytes(), RejectCode.OVERSIZED,
                "the output is " + output.length + " bytes, more than the limit of " + p.maxOutputBytes());
        TraceClaim audit = DisputeRules.claimOf(r.evidence(), "the audit's evidence");
        Assignments.closeAudit(state, sender);
        ProgramRecord program = state.programs.get(job.model());
        Hash outputHash = Sha256.digest(output);
        require(audit.bindsOutput(job.id(), claim.node(), ProvableTrace.size(state, job, program), outputHash), RejectCode.INVALID_EVIDENCE,
                "the audit's output path does not prove its output under its root (the tree is the one the result's node "
                        + claim.node().hex() + " should have committed)");
        if (audit.root().equals(claim.root())) {
            ModelRecord model = state.models.get(job.model());
            long fee = Pricing.auditFee(p, JobUnits.used(model, state.jobInputs.get(job.id()), state.jobOutputs.get(job.id())),
                    job.basePrice());
            Balances.credit(state, sender, fee);
            NodeRecord auditor = state.nodes.get(sender);
            state.nodes.put(sender, auditor.paid(fee));
            state.emit(LedgerEvent.of(EventType.AUDIT_PASSED, job.id(), claim.node(), job.client(), 0,
                    "auditor " + sender.hex() + " re-ran the job and reports the same trace root"));
            state.emit(LedgerEvent.of(EventType.AUDITOR_PAID, job.id(), sender, sender, fee,
                    "audit fee (the model's NONE price) for re-running job " + job.id().hex()).withMode(job.mode()));
            ProvableRules.settle(state, job, claim.node(), job.outputHash(), fee, ctx);
            return;
        }
        DisputeRules.open(state, job, claim, DisputeKind.AUDIT, sender, audit.root(), output, 0, ctx);
    }
}
