package dev.verity.proofs.attestation;

import java.util.Arrays;

/**
 * An AMD SEV-SNP attestation report (the {@code ATTESTATION_REPORT} structure of the SEV-SNP firmware
 * ABI, 1184 bytes, versions 2 and 3). All integers are little-endian. The signature covers bytes
 * {@code 0x000..0x29F}; R and S are 72-byte little-endian integers at {@code 0x2A0} and {@code 0x2E8}.
 *
 * <p>Byte arrays are copied on construction; accessors return the record's own arrays, so do not mutate them.
 */
public record SevSnpReport(
        int version,
        int guestSvn,
        long policy,
        byte[] familyId,
        byte[] imageId,
        int vmpl,
        int signatureAlgo,
        SevSnpTcb currentTcb,
        long platformInfo,
        int authorKeyEnBits,
        byte[] reportData,
        byte[] measurement,
        byte[] hostData,
        byte[] idKeyDigest,
        byte[] authorKeyDigest,
        byte[] reportId,
        byte[] reportIdMa,
        SevSnpTcb reportedTcb,
        byte[] chipId,
        SevSnpTcb committedTcb,
        int currentBuild,
        int currentMinor,
        int currentMajor,
        int committedBuild,
        int committedMinor,
        int committedMajor,
        SevSnpTcb launchTcb,
        byte[] signatureR,
        byte[] signatureS,
        byte[] signedBytes) {

    /** Total size of a report. */
    public static final int SIZE = 0x4A0;
    /** End (exclusive) of the signed region. */
    public static final int SIGNED_LENGTH = 0x2A0;
    /** Offset of the signature. */
    public static final int SIGNATURE_OFFSET = 0x2A0;
    /** {@code signature_algo} value for ECDSA P-384 with SHA-384. */
    public static final int SIG_ALGO_ECDSA_P384_SHA384 = 1;
    /** Guest policy bit 19: debugging the guest is allowed. */
    public static final long POLICY_DEBUG = 1L << 19;

    public static final int OFF_VERSION = 0x000;
    public static final int OFF_GUEST_SVN = 0x004;
    public static final int OFF_POLICY = 0x008;
    public static final int OFF_FAMILY_ID = 0x010;
    public static final int OFF_IMAGE_ID = 0x020;
    public static final int OFF_VMPL = 0x030;
    public static final int OFF_SIGNATURE_ALGO = 0x034;
    public static final int OFF_CURRENT_TCB = 0x038;
    public static final int OFF_PLATFORM_INFO = 0x040;
    public static final int OFF_AUTHOR_KEY_EN = 0x048;
    public static final int OFF_REPORT_DATA = 0x050;
    public static final int OFF_MEASUREMENT = 0x090;
    public static final int OFF_HOST_DATA = 0x0C0;
    public static final int OFF_ID_KEY_DIGEST = 0x0E0;
    public static final int OFF_AUTHOR_KEY_DIGEST = 0x110;
    public static final int OFF_REPORT_ID = 0x140;
    public static final int OFF_REPORT_ID_MA = 0x160;
    public static final int OFF_REPORTED_TCB = 0x180;
    public static final int OFF_CHIP_ID = 0x1A0;
    public static final int OFF_COMMITTED_TCB = 0x1E0;
    public static final int OFF_CURRENT_BUILD = 0x1E8;
    public static final int OFF_COMMITTED_BUILD = 0x1EC;
    public static final int OFF_LAUNCH_TCB = 0x1F0;

    public SevSnpReport {
        familyId = familyId.clone();
        imageId = imageId.clone();
        reportData = reportData.clone();
        measurement = measurement.clone();
        hostData = hostData.clone();
        idKeyDigest = idKeyDigest.clone();
        authorKeyDigest = authorKeyDigest.clone();
        reportId = reportId.clone();
        reportIdMa = reportIdMa.clone();
        chipId = chipId.clone();
        signatureR = signatureR.clone();
        signatureS = signatureS.clone();
        signedBytes = signedBytes.clone();
    }

    /**
     * Parses a report.
     *
     * @throws IllegalArgumentException if the length is not 1184 bytes or the version is not 2 or 3
     */
    public static SevSnpReport parse(byte[] b) {
        if (b == null) {
            throw new IllegalArgumentException("SEV-SNP report is null");
        }
        if (b.length != SIZE) {
            throw new IllegalArgumentException("SEV-SNP report must be " + SIZE + " bytes, got " + b.length);
        }
        int version = u32(b, OFF_VERSION);
        if (version != 2 && version != 3) {
            throw new IllegalArgumentException("unsupported SEV-SNP report version " + Integer.toUnsignedString(version)
                    + " (supported: 2, 3)");
        }
        return new SevSnpReport(
                version,
                u32(b, OFF_GUEST_SVN),
                u64(b, OFF_POLICY),
                slice(b, OFF_FAMILY_ID, 16),
                slice(b, OFF_IMAGE_ID, 16),
                u32(b, OFF_VMPL),
                u32(b, OFF_SIGNATURE_ALGO),
                new SevSnpTcb(u64(b, OFF_CURRENT_TCB)),
                u64(b, OFF_PLATFORM_INFO),
                u32(b, OFF_AUTHOR_KEY_EN),
                slice(b, OFF_REPORT_DATA, 64),
                slice(b, OFF_MEASUREMENT, 48),
                slice(b, OFF_HOST_DATA, 32),
                slice(b, OFF_ID_KEY_DIGEST, 48),
                slice(b, OFF_AUTHOR_KEY_DIGEST, 48),
                slice(b, OFF_REPORT_ID, 32),
                slice(b, OFF_REPORT_ID_MA, 32),
                new SevSnpTcb(u64(b, OFF_REPORTED_TCB)),
                slice(b, OFF_CHIP_ID, 64),
                new SevSnpTcb(u64(b, OFF_COMMITTED_TCB)),
                b[OFF_CURRENT_BUILD] & 0xFF,
                b[OFF_CURRENT_BUILD + 1] & 0xFF,
                b[OFF_CURRENT_BUILD + 2] & 0xFF,
                b[OFF_COMMITTED_BUILD] & 0xFF,
                b[OFF_COMMITTED_BUILD + 1] & 0xFF,
                b[OFF_COMMITTED_BUILD + 2] & 0xFF,
                new SevSnpTcb(u64(b, OFF_LAUNCH_TCB)),
                slice(b, SIGNATURE_OFFSET, 72),
                slice(b, SIGNATURE_OFFSET + 72, 72),
                slice(b, 0, SIGNED_LENGTH));
    }

    /** Whether guest policy allows debugging (bit 19). */
    public boolean debugAllowed() {
        return (policy & POLICY_DEBUG) != 0;
    }

    /** AUTHOR_KEY_EN (bit 0 of the word at 0x48). */
    public boolean authorKeyEn() {
        return (authorKeyEnBits & 1) != 0;
    }

    /** MASK_CHIP_KEY (bit 1 of the word at 0x48). */
    public boolean maskChipKey() {
        return (authorKeyEnBits & 2) != 0;
    }

    /** SIGNING_KEY (bits 2-4 of the word at 0x48): 0 = VCEK, 1 = VLEK, 7 = none. */
    public int signingKey() {
        return (authorKeyEnBits >>> 2) & 7;
    }

    static int u32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    static long u64(byte[] b, int off) {
        return (u32(b, off) & 0xFFFFFFFFL) | ((long) u32(b, off + 4)) << 32;
    }

    private static byte[] slice(byte[] b, int off, int len) {
        return Arrays.copyOfRange(b, off, off + len);
    }
}
