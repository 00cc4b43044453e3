package dev.verity.proofs.attestation;

/** The guest POLICY word of a SEV-SNP report (offset 0x08), fixed when the guest was launched. */
public record SevSnpGuestPolicy(long raw) {
    /** Bit 19: the host may debug (and so read) the guest. */
    public static final long DEBUG = 1L << 19;

    /** Lowest firmware ABI minor version the guest accepts. */
    public int abiMinor() {
        return (int) (raw & 0xFF);
    }

    /** Lowest firmware ABI major version the guest accepts. */
    public int abiMajor() {
        return (int) ((raw >>> 8) & 0xFF);
    }

    public boolean smtAllowed() {
        return bit(16);
    }

    public boolean migrateMaAllowed() {
        return bit(18);
    }

    public boolean debugAllowed() {
        return (raw & DEBUG) != 0;
    }

    public boolean singleSocketRequired() {
        return bit(20);
    }

    public boolean cxlAllowed() {
        return bit(21);
    }

    /** AES-256-XTS memory encryption is required. */
    public boolean memAes256XtsRequired() {
        return bit(22);
    }

    public boolean raplDisabledRequired() {
        return bit(23);
    }

    public boolean ciphertextHidingRequired() {
        return bit(24);
    }

    /** The guest may not use the page move and swap commands. */
    public boolean pageSwapDisabled() {
        return bit(25);
    }

    private boolean bit(int n) {
        return ((raw >>> n) & 1) != 0;
    }
}
