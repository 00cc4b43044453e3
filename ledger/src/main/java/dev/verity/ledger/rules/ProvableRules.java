package dev.verity.ledger.rules;

import static dev.verity.ledger.rules.Rejections.require;

import dev.verity.core.Amounts;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.ClaimPhase;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.ModelRecord;
import dev.verity.ledger.state.ProgramRecord;
import dev.verity.ledger.state.ResultClaim;
import dev.verity.ledger.state.TimerKey;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Payload;

/** Programs of models, and what happens when an {@code OPTIMISTIC} or {@code SAMPLED} result is posted. */
public final class ProvableRules {
    /** Blocks between a SAMPLED result and the block whose hash draws its audit: the node cannot know that hash. */
    public static final long AUDIT_DRAW_DELAY = 2;
    /** Programs are bounded so trace indices fit in 32 bits with room to spare. */
    static final long MAX_STEPS = 1L << 30;

    private ProvableRules() {}

    public static boolean isProvable(VerificationMode mode) {
        return mode == VerificationMode.OPTIMISTIC || mode == VerificationMode.SAMPLED;
    }

    public static void registerProgram(LedgerState state, PublicKey sender, Payload.RegisterProgram r, BlockContext ctx) {
        ModelRecord model = state.models.get(r.model());
        require(model != null, RejectCode.UNKNOWN_MODEL, "model " + r.model().hex() + " is not registered");
        require(model.owner().equals(sender), RejectCode.NOT_ASSIGNED,
                "only the model's owner " + model.owner().hex() + " may register its program");
        require(!state.programs.contains(r.model()), RejectCode.MODEL_EXISTS,
                "model " + model.name() + " already has a program; a program never changes (register a new model instead)");
        require(r.stepCount() >= 1 && r.stepCount() <= MAX_STEPS, RejectCode.MALFORMED,
                "a program has 1 to " + MAX_STEPS + " steps, got " + r.stepCount());
        require(r.leafCount() >= 2 && r.leafCount() <= r.stepCount() + 1, RejectCode.MALFORMED,
                "a program has an io leaf and 1 to stepCount op leaves, got " + r.leafCount() + " leaves for "
                        + r.stepCount() + " steps");
        state.programs.put(r.model(), new ProgramRecord(r.model(), r.programRoot(), r.leafCount(), r.stepCount(), ctx.height()));
        state.emit(LedgerEvent.of(EventType.PROGRAM_REGISTERED, null, null, sender, 0,
                "model " + model.name() + " has integer program " + r.programRoot().hex() + " (" + r.stepCount()
                        + " steps); it may be served OPTIMISTIC and SAMPLED"));
    }

    /** Refuses a provable mode for a model without a program, and SAMPLED where cheating would pay. */
    static void requireServable(LedgerState state, ModelRecord model, VerificationMode mode) {
        if (!isProvable(mode)) {
            return;
        }
        require(state.programs.contains(model.id()), RejectCode.MODE_NOT_SUPPORTED,
                "model " + model.name() + " has no registered integer program, so it cannot be verified " + mode);
        if (mode == VerificationMode.SAMPLED) {
            String bet = CheatingBet.problem(state.params(), model, FeeMarket.basePrice(state));
            require(bet == null, RejectCode.MODE_NOT_SUPPORTED, bet);
        }
    }

    /** The result is held: OPTIMISTIC opens its challenge window, SAMPLED waits for its audit draw. */
    static void resultPosted(LedgerState state, JobRecord job, PublicKey node, Hash root, Hash outputHash, BlockContext ctx) {
        Params p = state.params();
        long h = ctx.height();
        ResultClaim claim;
        String what;
        if (job.mode() == VerificationMode.OPTIMISTIC) {
            long end = Amounts.add(h, p.challengeWindowBlocks());
            claim = new ResultClaim(job.id(), node, root, ClaimPhase.CHALLENGE_WINDOW, h, end, end, null, 0);
            what = "open to challenge until height " + end;
        } else {
            long draw = h + AUDIT_DRAW_DELAY;
            claim = new ResultClaim(job.id(), node, root, ClaimPhase.AWAITING_AUDIT_DRAW, h, draw, 0, null, 0);
            what = "the hash of block " + (draw - 1) + " decides at height " + draw + " whether it is audited";
        }
        state.claims.put(job.id(), claim);
        schedule(state, job.id(), claim.phaseEnds());
        state.jobs.put(job.id(), job.withStatus(JobStatus.VERIFYING, outputHash));
        state.emit(LedgerEvent.of(EventType.RESULT_PENDING, job.id(), node, job.client(), 0,
                job.mode() + " result with trace root " + root.hex() + ": " + what));
    }

    /** Removes a job's claim and its pending timer, once the result is settled or refused for good. */
    static void dropClaim(LedgerState state, Hash job) {
        ResultClaim claim = state.claims.get(job);
        if (claim != null) {
            unschedule(state, job, claim.phaseEnds());
            state.claims.remove(job);
        }
    }

    static void schedule(LedgerState state, Hash job, long height) {
        state.verificationTimers.put(new TimerKey(height, job), height);
    }

    static void unschedule(LedgerState state, Hash job, long height) {
        state.verificationTimers.remove(new TimerKey(height, job));
    }

    /** Settles a held result: the claim is gone and the payee is paid (with an auditor's fee already charged). */
    static void settle(LedgerState state, JobRecord job, PublicKey payee, Hash outputHash, long auditFeeCharged,
                       BlockContext ctx) {
        dropClaim(state, job.id());
        JobRules.settle(state, job.settled(outputHash, ctx.height()), payee, auditFeeCharged, ctx);
    }
}
