package dev.verity.proofs.attestation;

/**
 * A trusted-execution hardware family the chain can verify. The code is the tag byte that opens an
 * attestation document and the type's number in every on-chain encoding.
 */
public enum TeeType {
    /** AMD SEV-SNP confidential VMs (Milan, Genoa, Turin; development chains in the same format). */
    SEV_SNP(0x51),
    /** Intel TDX trust domains. */
    TDX(0x54);

    private final int code;

    TeeType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type with this code, or null. */
    public static TeeType fromCode(int code) {
        for (TeeType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
