package dev.verity.proofs.attestation;

import dev.verity.core.DecodingException;

/** Verifies {@link DevAttestation} documents against the chain's trusted development platform keys. */
public final class DevAttestationVerifier implements AttestationVerifier {
    @Override
    public AttestationFormat format() {
        return AttestationFormat.DEV;
    }

    @Override
    public AttestationVerdict verify(byte[] document, TrustAnchors anchors) {
        DevAttestation a;
        try {
            a = DevAttestation.decode(document);
        } catch (DecodingException | IllegalArgumentException e) {
            return new AttestationVerdict.Invalid("malformed development attestation: " + e.getMessage());
        }
        if (a.version() != DevAttestation.VERSION) {
            return new AttestationVerdict.Invalid("unsupported development attestation version " + a.version());
        }
        if (!anchors.devPlatformKeys().contains(a.platformKey())) {
            return new AttestationVerdict.Invalid("platform key " + a.platformKey().hex() + " is not trusted by the chain");
        }
        byte[] signed = DevAttestation.signedBytes(a.version(), a.platformKey(), a.measurement(), a.reportData());
        if (!a.platformKey().verify(signed, a.signature())) {
            return new AttestationVerdict.Invalid("the platform signature over the attestation does not verify");
        }
        return new AttestationVerdict.Valid(AttestationFormat.DEV, a.measurement(), a.reportData());
    }
}
