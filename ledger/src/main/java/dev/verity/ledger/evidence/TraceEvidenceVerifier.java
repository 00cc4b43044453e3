package dev.verity.ledger.evidence;

import dev.verity.core.DecodingException;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.TransactionRejectedException;
import dev.verity.ledger.state.ProgramRecord;
import dev.verity.proofs.trace.TraceClaim;
import dev.verity.protocol.VerificationMode;

/**
 * {@code OPTIMISTIC} and {@code SAMPLED}: the evidence is a {@link TraceClaim}, the root of the trace
 * tree of the integer engine's run and the path that binds the posted output to its last leaf. Nothing
 * else is checked now; the claim is checked later by a challenge or an audit (docs/PROTOCOL.md).
 */
public final class TraceEvidenceVerifier implements EvidenceVerifier {
    private final VerificationMode mode;

    public TraceEvidenceVerifier(VerificationMode mode) {
        if (mode != VerificationMode.OPTIMISTIC && mode != VerificationMode.SAMPLED) {
            throw new IllegalArgumentException("trace evidence is for OPTIMISTIC and SAMPLED, not " + mode);
        }
        this.mode = mode;
    }

    @Override
    public VerificationMode mode() {
        return mode;
    }

    @Override
    public void verify(EvidenceContext context) {
        var job = context.job();
        ProgramRecord program = context.state().programs.get(job.model());
        if (program == null) {
            throw new TransactionRejectedException(RejectCode.INVALID_EVIDENCE,
                    "model " + job.model().hex() + " has no registered integer program, so it has no trace to commit to");
        }
        TraceClaim claim;
        try {
            claim = TraceClaim.decode(context.evidence());
        } catch (DecodingException e) {
            throw new TransactionRejectedException(RejectCode.INVALID_EVIDENCE,
                    mode + " evidence is a trace claim (root and output path): " + e.getMessage());
        }
        long size = ProvableTrace.size(context.state(), job, program);
        if (!claim.bindsOutput(job.id(), context.node().id(), size, context.outputHash())) {
            throw new TransactionRejectedException(RejectCode.INVALID_EVIDENCE,
                    "the output path does not prove this output as the last of " + size
                            + " trace values under the posted root");
        }
    }
}
