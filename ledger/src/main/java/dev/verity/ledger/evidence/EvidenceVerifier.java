package dev.verity.ledger.evidence;

import dev.verity.protocol.VerificationMode;

/** Checks the evidence that comes with a result, for one verification mode. */
public interface EvidenceVerifier {
    VerificationMode mode();

    /** Returns normally when the evidence holds; otherwise throws {@code TransactionRejectedException(INVALID_EVIDENCE)}. */
    void verify(EvidenceContext context);
}
