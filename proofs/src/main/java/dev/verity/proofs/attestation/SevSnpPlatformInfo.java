package dev.verity.proofs.attestation;

/**
 * The PLATFORM_INFO word of a SEV-SNP report (offset 0x40): how the host platform was configured when
 * the report was made. Bits without a name here are kept in {@link #raw()}.
 */
public record SevSnpPlatformInfo(long raw) {
    public boolean smtEnabled() {
        return bit(0);
    }

    /** Transparent SME: all host memory is encrypted. */
    public boolean tsmeEnabled() {
        return bit(1);
    }

    /** The platform uses error-correcting memory. */
    public boolean eccEnabled() {
        return bit(2);
    }

    /** Running Average Power Limit is disabled (a power side channel closed). */
    public boolean raplDisabled() {
        return bit(3);
    }

    public boolean ciphertextHidingDramEnabled() {
        return bit(4);
    }

    /** The boot-time DRAM alias check finished and found no aliases (AMD's BadRAM mitigation, SB-3015). */
    public boolean aliasCheckComplete() {
        return bit(5);
    }

    /** SEV-TIO (trusted I/O) is enabled. */
    public boolean tioEnabled() {
        return bit(7);
    }

    private boolean bit(int n) {
        return ((raw >>> n) & 1) != 0;
    }
}
