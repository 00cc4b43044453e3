package dev.verity.proofs.attestation;

/**
 * An AMD SEV-SNP TCB version (Milan/Genoa layout): the security patch levels packed into a
 * little-endian 64-bit value, bootloader in byte 0, TEE in byte 1, SNP in byte 6, microcode in byte 7.
 */
public record SevSnpTcb(long raw) {
    public int bootloader() {
        return (int) (raw & 0xFF);
    }

    public int tee() {
        return (int) ((raw >>> 8) & 0xFF);
    }

    public int snp() {
        return (int) ((raw >>> 48) & 0xFF);
    }

    public int microcode() {
        return (int) ((raw >>> 56) & 0xFF);
    }

    @Override
    public String toString() {
        return "SevSnpTcb[bootloader=" + bootloader() + ", tee=" + tee() + ", snp=" + snp()
                + ", microcode=" + microcode() + "]";
    }
}
