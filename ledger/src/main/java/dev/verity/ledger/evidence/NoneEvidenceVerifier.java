package dev.verity.ledger.evidence;

import dev.verity.ledger.RejectCode;
import dev.verity.ledger.TransactionRejectedException;
import dev.verity.protocol.VerificationMode;

/**
 * {@code NONE}: the result transaction is signed by the assigned node (checked before any
 * verifier runs), and that signature is all the evidence there is.
 */
public final class NoneEvidenceVerifier implements EvidenceVerifier {
    @Override
    public VerificationMode mode() {
        return VerificationMode.NONE;
    }

    @Override
    public void verify(EvidenceContext context) {
        if (context.evidence().length != 0) {
            throw new TransactionRejectedException(RejectCode.INVALID_EVIDENCE,
                    "a NONE result carries no evidence, got " + context.evidence().length + " bytes");
        }
    }
}
