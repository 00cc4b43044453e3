package dev.verity.proofs.attestation;

/** Attestation formats, with the tag byte that opens an attestation document on chain. */
public enum AttestationFormat {
    /** Software development enclave: a platform key stands in for the vendor's hardware key. */
    DEV(0xD1);

    private final int tag;

    AttestationFormat(int tag) {
        this.tag = tag;
    }

    public int tag() {
        return tag;
    }
}
