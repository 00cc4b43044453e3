package dev.verity.ledger.rules;

import static dev.verity.ledger.rules.Rejections.reject;
import static dev.verity.ledger.rules.Rejections.require;

import dev.verity.core.Amounts;
import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.inference.trace.StepRejectedException;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.evidence.ProvableTrace;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.BisectionMove;
import dev.verity.ledger.state.ClaimPhase;
import dev.verity.ledger.state.DisputeKind;
import dev.verity.ledger.state.DisputePhase;
import dev.verity.ledger.state.DisputeRecord;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.ProgramRecord;
import dev.verity.ledger.state.ResultClaim;
import dev.verity.proofs.trace.TraceClaim;
import dev.verity.proofs.trace.TraceTree;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Payload;

/**
 * The bisection game over a result's trace tree (docs/PROTOCOL.md, "Disputes"). Both parties hold a
 * root of the tree that the result's node should have committed; the roots differ. Each round, each
 * party reveals its node values of the two halves of the disputed range; the range becomes the left
 * half if the left values differ, else the right half (and the left half, agreed, is remembered).
 * After ceil(log2 N) rounds the range is one leaf {@code k}, the first leaf where the trees differ.
 * Either party then proves the transition into index {@code k} from the agreed value at {@code k - 1};
 * the ledger executes it with the integer engine and whoever's leaf differs from the result loses.
 * A party that misses a move deadline loses; if nobody proves the step by its deadline, both lose.
 */
public final class DisputeRules {
    private DisputeRules() {}

    public static void challenge(LedgerState state, PublicKey sender, Payload.Challenge c, BlockContext ctx) {
        JobRecord job = state.jobs.get(c.jobId());
        if (job == null) {
            throw reject(RejectCode.UNKNOWN_JOB, "job " + c.jobId().hex() + " is not live: it never existed, or it finished and left the live state");
        }
        ResultClaim claim = state.claims.get(job.id());
        require(job.mode() == VerificationMode.OPTIMISTIC && claim != null, RejectCode.JOB_NOT_OPEN,
                "job " + job.id().hex() + " has no OPTIMISTIC result waiting to settle; only those can be challenged");
        require(claim.phase() == ClaimPhase.CHALLENGE_WINDOW, RejectCode.JOB_NOT_OPEN,
                "the result of job " + job.id().hex() + " is already disputed; wait for that game to end");
        require(ctx.height() <= claim.windowEnds(), RejectCode.JOB_NOT_OPEN,
                "the challenge window of job " + job.id().hex() + " closed at height " + claim.windowEnds());
        require(!sender.equals(claim.node()), RejectCode.MALFORMED, "a node cannot challenge its own result");
        Params p = state.params();
        byte[] output = c.output();
        require(output.length <= p.maxOutputBytes(), RejectCode.OVERSIZED,
                "the output is " + output.length + " bytes, more than the limit of " + p.maxOutputBytes());
        require(c.evidence().length <= p.maxEvidenceBytes(), RejectCode.OVERSIZED,
                "the evidence is " + c.evidence().length + " bytes, more than the limit of " + p.maxEvidenceBytes());
        TraceClaim challenger = claimOf(c.evidence(), "the challenge's evidence");
        ProgramRecord program = state.programs.get(job.model());
        require(challenger.bindsOutput(job.id(), claim.node(), ProvableTrace.size(state, job, program), Sha256.digest(output)),
                RejectCode.INVALID_EVIDENCE, "the challenge's output path does not prove its output under its root "
                        + "(the tree is the one the result's node " + claim.node().hex() + " should have committed)");
        require(!challenger.root().equals(claim.root()), RejectCode.INVALID_EVIDENCE,
                "the challenge's root equals the result's: there is nothing to dispute");
        Balances.debit(state, sender, p.challengerBond(), "the challenger bond");
        open(state, job, claim, DisputeKind.CHALLENGE, sender, challenger.root(), output, p.challengerBond(), ctx);
    }

    static TraceClaim claimOf(byte[] evidence, String what) {
        try {
            return TraceClaim.decode(evidence);
        } catch (DecodingException e) {
            throw reject(RejectCode.MALFORMED, what + " is not a trace claim (root and output path): " + e.getMessage());
        }
    }

    static void open(LedgerState state, JobRecord job, ResultClaim claim, DisputeKind kind, PublicKey challenger,
                     Hash challengerRoot, byte[] challengerOutput, long bond, BlockContext ctx) {
        ProgramRecord program = state.programs.get(job.model());
        long deadline = Amounts.add(ctx.height(), state.params().moveDeadlineBlocks());
        long size = ProvableTrace.size(state, job, program);
        DisputeRecord d = new DisputeRecord(job.id(), kind, claim.node(), challenger, claim.root(), challengerRoot,
                challengerOutput, bond, size, DisputePhase.BISECT, 0, size, claim.root(), challengerRoot, 0, null, null, null,
                deadline, 0, 0, 0, ctx.height());
        ProvableRules.unschedule(state, job.id(), claim.phaseEnds());
        state.claims.put(job.id(), claim.inPhase(ClaimPhase.DISPUTED, claim.phaseEnds()));
        state.disputes.put(job.id(), d);
        ProvableRules.schedule(state, job.id(), deadline);
        state.jobs.put(job.id(), job.withStatus(JobStatus.DISPUTED, job.outputHash()));
        String who = kind == DisputeKind.CHALLENGE ? "challenger " + challenger.hex() + " (bond " + bond + ")"
                : "auditor " + challenger.hex();
        state.emit(LedgerEvent.of(EventType.JOB_DISPUTED, job.id(), claim.node(), job.client(), bond,
                who + " disputes the result of node " + claim.node().hex() + " over " + size + " trace values; "
                        + "at most " + TraceTree.depth(size) + " bisection rounds, first moves due by height " + deadline));
    }

    public static void move(LedgerState state, PublicKey sender, Payload.DisputeMove m, BlockContext ctx) {
        DisputeRecord d = dispute(state, m.jobId());
        require(d.isParty(sender), RejectCode.NOT_ASSIGNED,
                sender.hex() + " is not a party of the dispute over job " + m.jobId().hex());
        require(d.phase() == DisputePhase.BISECT, RejectCode.JOB_NOT_OPEN,
                "the dispute over job " + m.jobId().hex() + " is at its single step " + d.lo() + "; post the step proof");
        boolean defender = sender.equals(d.defender());
        require((defender ? d.defenderMove() : d.challengerMove()) == null, RejectCode.MALFORMED,
                "you already moved in round " + d.round() + " of the dispute over job " + m.jobId().hex());
        Hash mine = defender ? d.defenderNode() : d.challengerNode();
        require(Merkle.inner(m.left(), m.right()).equals(mine), RejectCode.INVALID_EVIDENCE,
                "the two halves do not hash to your value " + mine.hex() + " of range [" + d.lo() + ", " + d.hi() + ")");
        d = d.withMove(defender, new BisectionMove(m.left(), m.right()));
        state.emit(LedgerEvent.of(EventType.DISPUTE_MOVE, d.job(), defender ? d.defender() : null, sender, 0,
                (defender ? "defender" : "challenger") + " move " + (defender ? d.defenderMoves() : d.challengerMoves())
                        + ": halves of [" + d.lo() + ", " + d.hi() + ") split at " + TraceTree.split(d.lo(), d.hi())));
        if (d.defenderMove() == null || d.challengerMove() == null) {
            state.disputes.put(d.job(), d);
            return;
        }
        long mid = TraceTree.split(d.lo(), d.hi());
        long deadline = Amounts.add(ctx.height(), state.params().moveDeadlineBlocks());
        BisectionMove dm = d.defenderMove();
        BisectionMove cm = d.challengerMove();
        DisputeRecord next = !dm.left().equals(cm.left())
                ? d.narrowed(d.lo(), mid, dm.left(), cm.left(), d.agreedLo(), d.agreedNode(), deadline)
                : d.narrowed(mid, d.hi(), dm.right(), cm.right(), d.lo(), dm.left(), deadline);
        ProvableRules.unschedule(state, d.job(), d.deadline());
        state.disputes.put(d.job(), next);
        ProvableRules.schedule(state, d.job(), deadline);
        if (next.phase() == DisputePhase.STEP) {
            state.emit(LedgerEvent.of(EventType.DISPUTE_MOVE, d.job(), null, null, 0,
                    "the trees first differ at trace index " + next.lo() + "; its proof is due by height " + deadline));
        }
    }

    public static void proveStep(LedgerState state, PublicKey sender, Payload.ProveStep s, BlockContext ctx) {
        DisputeRecord d = dispute(state, s.jobId());
        require(d.isParty(sender), RejectCode.NOT_ASSIGNED,
                sender.hex() + " is not a party of the dispute over job " + s.jobId().hex());
        require(d.phase() == DisputePhase.STEP, RejectCode.JOB_NOT_OPEN,
                "the dispute over job " + s.jobId().hex() + " is still bisecting [" + d.lo() + ", " + d.hi() + ")");
        Params p = state.params();
        byte[] witnessBytes = s.witness();
        require(witnessBytes.length <= p.maxWitnessBytes(), RejectCode.OVERSIZED,
                "the witness is " + witnessBytes.length + " bytes, more than the limit of " + p.maxWitnessBytes());
        JobRecord job = state.jobs.get(d.job());
        long k = d.lo();
        Hash previous = null;
        if (k > 0) {
            Hash leaf = TraceTree.leaf(d.job(), d.defender(), k - 1, s.previousValue());
            Hash agreed = TraceTree.nodeFromPath(d.agreedLo(), k, k - 1, leaf, s.previousPath());
            require(agreed != null && agreed.equals(d.agreedNode()), RejectCode.INVALID_EVIDENCE,
                    "the previous value and path do not give the agreed node " + d.agreedNode().hex() + " of range ["
                            + d.agreedLo() + ", " + k + ")");
            previous = s.previousValue();
        }
        ProgramRecord program = state.programs.get(job.model());
        Hash truth;
        try {
            truth = ProvableTrace.transition(state, job, program, k, previous, witnessBytes, p.maxWitnessBytes());
        } catch (DecodingException e) {
            throw reject(RejectCode.MALFORMED, "the step witness is malformed: " + e.getMessage());
        } catch (StepRejectedException | IllegalArgumentException e) {
            throw reject(RejectCode.INVALID_EVIDENCE, "the step proof for trace index " + k + " is refused: " + e.getMessage());
        }
        Hash truthLeaf = TraceTree.leaf(d.job(), d.defender(), k, truth);
        boolean defender = sender.equals(d.defender());
        d = d.withStepProofBy(defender);
        String what = ProvableTrace.describe(state, job, program, k) + " executed on chain gives " + truth.hex();
        resolve(state, d, !d.defenderNode().equals(truthLeaf), !d.challengerNode().equals(truthLeaf), what, ctx);
    }

    /** The deadline of the current round passed: whoever did not move loses; in the step phase, both. */
    static void deadlinePassed(LedgerState state, DisputeRecord d, BlockContext ctx) {
        if (d.phase() == DisputePhase.STEP) {
            resolve(state, d, true, true, "nobody proved trace index " + d.lo() + " by height " + d.deadline(), ctx);
            return;
        }
        boolean defenderMissed = d.defenderMove() == null;
        boolean challengerMissed = d.challengerMove() == null;
        String who = defenderMissed && challengerMissed ? "neither party"
                : defenderMissed ? "the defender did not" : "the " + (d.kind() == DisputeKind.CHALLENGE ? "challenger" : "auditor")
                        + " did not";
        resolve(state, d, defenderMissed, challengerMissed,
                who + " move in round " + d.round() + " by height " + d.deadline(), ctx);
    }

    private static DisputeRecord dispute(LedgerState state, Hash job) {
        DisputeRecord d = state.disputes.get(job);
        if (d == null) {
            throw reject(RejectCode.UNKNOWN_JOB, "there is no dispute over job " + job.hex());
        }
        return d;
    }

    private static void resolve(LedgerState state, DisputeRecord d, boolean defenderLost, boolean challengerLost,
                                String why, BlockContext ctx) {
        Params p = state.params();
        JobRecord job = state.jobs.get(d.job());
        ResultClaim claim = state.claims.get(d.job());
        String challengerRole = d.kind() == DisputeKind.CHALLENGE ? "challenger" : "auditor";
        String moves = d.defenderMoves() + " defender and " + d.challengerMoves() + " " + challengerRole + " moves";
        long slashed = 0;
        if (defenderLost) {
            slashed += Slashing.slashNode(state, d.defender(), p.disputeSlashBps(), d.job(),
                    "lost the dispute over its result for job " + d.job().hex() + ": " + why);
        }
        if (d.kind() == DisputeKind.AUDIT) {
            if (challengerLost) {
                slashed += Slashing.slashNode(state, d.challenger(), p.disputeSlashBps(), d.job(),
                        "lost the dispute over its audit of job " + d.job().hex() + ": " + why);
            }
        } else {
            long kept = challengerLost ? Amounts.basisPoints(d.bond(), p.disputeSlashBps()) : 0;
            if (kept > 0) {
                slashed += kept;
                state.emit(LedgerEvent.of(EventType.BOND_SLASHED, d.job(), null, d.challenger(), kept,
                        "lost the challenge of job " + d.job().hex() + ": " + why + " (" + p.disputeSlashBps()
                                + " basis points of the bond)"));
            }
            Balances.credit(state, d.challenger(), d.bond() - kept);
            state.emit(LedgerEvent.of(EventType.BOND_RETURNED, d.job(), null, d.challenger(), d.bond() - kept,
                    "challenger bond returned" + (kept > 0 ? " less the slash" : "")));
        }
        long reward = 0;
        PublicKey winner = defenderLost == challengerLost ? null : defenderLost ? d.challenger() : d.defender();
        if (winner != null) {
            reward = Amounts.basisPoints(slashed, p.winnerShareBps());
            Balances.credit(state, winner, reward);
            if (reward > 0) {
                state.emit(LedgerEvent.of(EventType.DISPUTE_REWARD, d.job(), null, winner, reward,
                        p.winnerShareBps() + " basis points of the loser's slash for winning the dispute over job "
                                + d.job().hex()).withMode(Slashing.modeOf(state, d.job())));
            }
        }
        Balances.creditTreasury(state, slashed - reward);
        ProvableRules.unschedule(state, d.job(), d.deadline());
        state.disputes.remove(d.job());
        String outcome = defenderLost && challengerLost ? "both parties lost"
                : defenderLost ? "the " + challengerRole + " won" : "the result's node won";
        state.emit(LedgerEvent.of(EventType.DISPUTE_RESOLVED, d.job(), d.defender(), d.challenger(), slashed,
                outcome + ": " + why + "; " + moves + " in " + d.round() + " rounds"));
        if (defenderLost && !challengerLost) {
            byte[] output = d.challengerOutput();
            state.jobOutputs.put(d.job(), output);
            ProvableRules.settle(state, job, d.challenger(), Sha256.digest(output), 0, ctx);
        } else if (defenderLost) {
            ProvableRules.dropClaim(state, d.job());
            BlockEndRules.expire(state, job.expired(ctx.height(), job.missedBy()),
                    "both parties of the dispute over its result were wrong");
        } else if (d.kind() == DisputeKind.CHALLENGE && ctx.height() < claim.windowEnds()) {
            state.claims.put(d.job(), claim.inPhase(ClaimPhase.CHALLENGE_WINDOW, claim.windowEnds()));
            ProvableRules.schedule(state, d.job(), claim.windowEnds());
            state.jobs.put(d.job(), job.withStatus(JobStatus.VERIFYING, job.outputHash()));
        } else {
            ProvableRules.settle(state, job, d.defender(), job.outputHash(), 0, ctx);
        }
    }
}
