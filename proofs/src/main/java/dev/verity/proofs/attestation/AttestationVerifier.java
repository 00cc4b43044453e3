package dev.verity.proofs.attestation;

/**
 * Checks one attestation format. Each hardware vendor's format (and the software development
 * enclave) has its own verifier; {@link AttestationVerifiers} picks one by the document's format.
 */
public interface AttestationVerifier {
    AttestationFormat format();

    AttestationVerdict verify(byte[] document, TrustAnchors anchors);
}
