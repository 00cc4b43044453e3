package dev.verity.proofs.attestation;

/**
 * Checks the evidence of one hardware family; {@link AttestationVerifiers} picks one by the
 * document's type.
 */
public interface AttestationVerifier {
    TeeType type();

    AttestationVerdict verify(AttestationEvidence evidence, TrustAnchors anchors);
}
