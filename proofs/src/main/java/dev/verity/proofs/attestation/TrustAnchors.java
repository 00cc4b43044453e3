package dev.verity.proofs.attestation;

import java.util.ArrayList;
import java.util.List;

/**
 * What a verifier may trust, taken from chain state (set at genesis or by governance), never
 * fetched at run time; and the time to check validity at, taken from the block.
 */
public record TrustAnchors(List<Collateral> collateral, long timeEpochSeconds) {
    public TrustAnchors {
        collateral = List.copyOf(collateral);
    }

    /** Every piece of collateral of this type and kind, in the given order. */
    public List<Collateral> matching(TeeType type, CollateralKind kind) {
        List<Collateral> out = new ArrayList<>();
        for (Collateral c : collateral) {
            if (c.type() == type && c.kind() == kind) {
                out.add(c);
            }
        }
        return out;
    }

    /** The data of every piece of collateral of this type and kind, in the given order. */
    public List<byte[]> of(TeeType type, CollateralKind kind) {
        List<byte[]> out = new ArrayList<>();
        for (Collateral c : matching(type, kind)) {
            out.add(c.data());
        }
        return out;
    }

    /** The first piece of this type and kind, or null. */
    public byte[] first(TeeType type, CollateralKind kind) {
        List<byte[]> all = of(type, kind);
        return all.isEmpty() ? null : all.get(0);
    }
}
