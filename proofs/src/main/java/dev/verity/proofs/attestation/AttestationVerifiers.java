package dev.verity.proofs.attestation;

import dev.verity.core.DecodingException;
import java.util.EnumMap;
import java.util.List;

/** Decodes an attestation document and hands it to the verifier of its type. */
public final class AttestationVerifiers {
    private final EnumMap<TeeType, AttestationVerifier> byType = new EnumMap<>(TeeType.class);

    public AttestationVerifiers(List<AttestationVerifier> verifiers) {
        for (AttestationVerifier v : verifiers) {
            byType.put(v.type(), v);
        }
    }

    public static AttestationVerifiers standard() {
        return new AttestationVerifiers(List.of(new SevSnpAttestationVerifier(), new TdxAttestationVerifier()));
    }

    public AttestationVerdict verify(byte[] document, TrustAnchors anchors) {
        AttestationEvidence evidence;
        try {
            evidence = AttestationEvidence.decode(document);
        } catch (DecodingException | IllegalArgumentException e) {
            return new AttestationVerdict.Invalid("malformed attestation document: " + e.getMessage());
        }
        AttestationVerifier v = byType.get(evidence.type());
        return v == null
                ? new AttestationVerdict.Invalid(evidence.type() + " attestation is not enabled")
                : v.verify(evidence, anchors);
    }
}
