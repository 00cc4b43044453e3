package dev.verity.proofs.attestation;

/**
 * An AMD SEV-SNP TCB version: security patch levels packed into a little-endian 64-bit value. Where each
 * level sits depends on the product line: Milan and Genoa put the bootloader in byte 0, TEE in byte 1, SNP
 * in byte 6 and microcode in byte 7; Turin puts FMC in byte 0, bootloader in byte 1, TEE in byte 2, SNP in
 * byte 3 and microcode in byte 7.
 */
public record SevSnpTcb(long raw, Layout layout) {

    /** Where the security patch levels sit in the 64-bit value. */
    public enum Layout {
        MILAN_GENOA,
        TURIN
    }

    public SevSnpTcb {
        if (layout == null) {
            throw new IllegalArgumentException("a TCB layout is required");
        }
    }

    /** A TCB version in the Milan/Genoa layout. */
    public SevSnpTcb(long raw) {
        this(raw, Layout.MILAN_GENOA);
    }

    /** The same value read in another layout. */
    public SevSnpTcb withLayout(Layout other) {
        return new SevSnpTcb(raw, other);
    }

    /** FMC (firmware mask ROM code) level, or null where the layout has none (Milan/Genoa). */
    public Integer fmc() {
        return layout == Layout.TURIN ? Integer.valueOf(byteAt(0)) : null;
    }

    public int bootloader() {
        return layout == Layout.TURIN ? byteAt(1) : byteAt(0);
    }

    public int tee() {
        return layout == Layout.TURIN ? byteAt(2) : byteAt(1);
    }

    public int snp() {
        return layout == Layout.TURIN ? byteAt(3) : byteAt(6);
    }

    public int microcode() {
        return byteAt(7);
    }

    private int byteAt(int index) {
        return (int) ((raw >>> (8 * index)) & 0xFF);
    }

    @Override
    public String toString() {
        return "SevSnpTcb[" + (layout == Layout.TURIN ? "fmc=" + fmc() + ", " : "") + "bootloader=" + bootloader()
                + ", tee=" + tee() + ", snp=" + snp() + ", microcode=" + microcode() + "]";
    }
}
