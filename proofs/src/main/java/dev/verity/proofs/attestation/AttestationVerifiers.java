package dev.verity.proofs.attestation;

import java.util.EnumMap;
import java.util.List;

/** Dispatches an attestation document to the verifier of its format (the first byte). */
public final class AttestationVerifiers {
    private final EnumMap<AttestationFormat, AttestationVerifier> byFormat = new EnumMap<>(AttestationFormat.class);

    public AttestationVerifiers(List<AttestationVerifier> verifiers) {
        for (AttestationVerifier v : verifiers) {
            byFormat.put(v.format(), v);
        }
    }

    public static AttestationVerifiers standard() {
        return new AttestationVerifiers(List.of(new DevAttestationVerifier()));
    }

    public AttestationVerdict verify(byte[] document, TrustAnchors anchors) {
        if (document.length == 0) {
            return new AttestationVerdict.Invalid("the attestation document is empty");
        }
        int tag = document[0] & 0xFF;
        for (AttestationFormat f : AttestationFormat.values()) {
            if (f.tag() == tag) {
                AttestationVerifier v = byFormat.get(f);
                return v == null
                        ? new AttestationVerdict.Invalid("attestation format " + f + " is not enabled")
                        : v.verify(document, anchors);
            }
        }
        return new AttestationVerdict.Invalid("unknown attestation format tag 0x" + Integer.toHexString(tag));
    }
}
