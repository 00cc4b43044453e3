package dev.verity.proofs.attestation;

import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;

/**
 * One piece of verification collateral the chain trusts, set at genesis or by governance and never
 * fetched at run time. Its id is SHA-256 of {@code u8 type || u8 kind || data}.
 */
public record Collateral(TeeType type, CollateralKind kind, byte[] data) {
    public Collateral {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public Hash id() {
        return Sha256.digest(new Encoder(data.length + 8).u8(type.code()).u8(kind.code()).fixed(data).toByteArray());
    }
}
