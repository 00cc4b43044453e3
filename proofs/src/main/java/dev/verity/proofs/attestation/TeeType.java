package dev.verity.proofs.attestation;

import dev.verity.core.Coded;

/**
 * A trusted-execution hardware family the chain can verify. The code is the tag byte that opens an
 * attestation document and the type's number in every on-chain encoding.
 */
public enum TeeType implements Coded {
    /** AMD SEV-SNP confidential VMs (Milan, Genoa, Turin; development chains in the same format). */
    SEV_SNP(0x51),
    /** Intel TDX trust domains. */
    TDX(0x54);

    private final int code;

    TeeType(int code) {
        this.code = code;
    }

    /** The stable code of this type in consensus bytes (ASCII 'Q' and 'T', not a position). */
    @Override
    public int code() {
        return code;
    }

    /** The type with this code; a {@link dev.verity.core.DecodingException} if none has it. */
    public static TeeType fromCode(int code) {
        return Coded.fromCode(values(), code, "TEE type");
    }
}
