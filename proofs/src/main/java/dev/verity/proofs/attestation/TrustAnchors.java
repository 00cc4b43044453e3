package dev.verity.proofs.attestation;

import dev.verity.core.PublicKey;
import java.util.List;

/**
 * What a verifier may trust, taken from chain state (set at genesis or by governance), never
 * fetched at run time.
 */
public record TrustAnchors(List<PublicKey> devPlatformKeys) {
    public TrustAnchors {
        devPlatformKeys = List.copyOf(devPlatformKeys);
    }
}
