package dev.verity.ledger.rules;

import static dev.verity.ledger.rules.Rejections.reject;
import static dev.verity.ledger.rules.Rejections.require;

import dev.verity.core.DecodingException;
import dev.verity.core.PublicKey;
import dev.verity.inference.trace.StepRejectedException;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.evidence.ProvableTrace;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.evidence.TeeEvidenceVerifier;
import dev.verity.ledger.evidence.TeeFailureStatement;
import dev.verity.ledger.state.JobFailure;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.state.ProgramRecord;
import dev.verity.protocol.tx.FailureReason;
import dev.verity.protocol.tx.Payload;
import java.util.Optional;

/**
 * A node's signed report that it could not run its job (docs/SLASHING.md, "Failure results"). Who pays follows
 * whose fault it was: an input the runtime or the model refused is the client's, so the node is paid its fee from
 * the escrow, as for a result, and poisoning nodes is never free; a failure of the node itself is a missed job.
 * An input refusal carries the evidence of the job's mode, so a node cannot be paid for work it declined:
 * <ul>
 *   <li>{@code NONE}: nothing but the node's own signature (the client trusts the node in this mode);</li>
 *   <li>{@code TEE}: the registered enclave's signature over a {@link TeeFailureStatement}, as for a result;</li>
 *   <li>{@code OPTIMISTIC}, {@code SAMPLED}: the integer program's input witness (its io leaf and path to the
 *       registered program root); the chain executes trace index 0 on the job's input and accepts the failure only
 *       if the engine refuses it. The refusal is deterministic, so this one step decides it outright.</li>
 * </ul>
 */
public final class FailureRules {
    private FailureRules() {}

    public static void fail(LedgerState state, PublicKey sender, Payload.SubmitFailure f, BlockContext ctx) {
        JobRecord job = JobRules.answerable(state, sender, f.jobId(), ctx);
        require(!f.message().isBlank(), RejectCode.MALFORMED, "a failure report says what happened; the message is empty");
        byte[] evidence = f.evidence();
        NodeRecord node = StakingRules.node(state, sender);
        String id = job.id().hex();
        if (f.reason() == FailureReason.NODE_FAULT) {
            require(evidence.length == 0, RejectCode.INVALID_EVIDENCE, "a node's own failure carries no evidence");
            state.emit(LedgerEvent.of(EventType.JOB_FAILED, job.id(), sender, job.client(), 0,
                    "NODE_FAULT: node " + sender.hex() + " could not run job " + id + " (" + f.message()
                            + "); counted as a missed job").withMode(job.mode()));
            BlockEndRules.missed(state, job, ctx);
            return;
        }
        String proof = verifyInputRefusal(state, job, node, f, evidence);
        Assignments.close(state, job);
        // A refused generation request is charged for its prompt: no token was generated.
        JobRecord failed = JobRules.chargedFor(state, job.failed(ctx.height()), null);
        state.jobFailures.put(job.id(), new JobFailure(f.reason(), f.message(), sender, ctx.height()));
        JobRules.pay(state, failed, sender, 0, ctx);
        state.emit(LedgerEvent.of(EventType.JOB_FAILED, job.id(), sender, job.client(), failed.fee(),
                "INPUT_REJECTED: " + f.message() + " (" + proof + "); the node is paid its fee from the escrow")
                .withMode(job.mode()));
    }

    /** Checks the refusal's evidence for the job's mode; returns how it was verified, for the event. */
    private static String verifyInputRefusal(LedgerState state, JobRecord job, NodeRecord node, Payload.SubmitFailure f,
                                             byte[] evidence) {
        return switch (job.mode()) {
            case NONE -> {
                require(evidence.length == 0, RejectCode.INVALID_EVIDENCE, "a NONE job's failure carries no evidence");
                yield "reported by the node";
            }
            case TEE -> {
                TeeFailureStatement statement = new TeeFailureStatement(job.id(), job.model(), job.inputHash(), f.reason(),
                        f.message());
                TeeEvidenceVerifier.verifyEnclaveSignature(state, node, statement.signingBytes(), evidence,
                        "this job's input refusal and message");
                yield "signed by the node's enclave";
            }
            case OPTIMISTIC, SAMPLED -> engineRefusal(state, job, evidence);
            case ZK -> throw reject(RejectCode.MODE_NOT_SUPPORTED, "ZK jobs take no failure reports");
        };
    }

    private static String engineRefusal(LedgerState state, JobRecord job, byte[] evidence) {
        ProgramRecord program = state.programs.get(job.model());
        if (program == null) {
            throw reject(RejectCode.INVALID_EVIDENCE, "model " + job.model().hex() + " has no registered program");
        }
        Optional<String> refusal;
        try {
            refusal = ProvableTrace.inputRefusal(state, job, program, evidence, state.params().maxWitnessBytes());
        } catch (DecodingException | IllegalArgumentException e) {
            throw reject(RejectCode.INVALID_EVIDENCE, "the input witness is malformed: " + e.getMessage());
        } catch (StepRejectedException e) {
            throw reject(RejectCode.INVALID_EVIDENCE, "the input witness is refused: " + e.getMessage());
        }
        if (refusal.isEmpty()) {
            throw reject(RejectCode.INVALID_EVIDENCE, "the integer engine accepts this job's input (checked at trace index 0); "
                    + "answer it with a result");
        }
        return "the chain executed trace index 0: " + refusal.get();
    }
}
