package dev.verity.proofs.attestation;

import java.util.Arrays;

/**
 * An AMD SEV-SNP attestation report (the {@code ATTESTATION_REPORT} structure of the SEV-SNP firmware
 * ABI, 1184 bytes). All integers are little-endian. The signature covers bytes {@code 0x000..0x29F}; R and
 * S are 72-byte little-endian integers at {@code 0x2A0} and {@code 0x2E8}.
 *
 * <p>Versions: 2 is the base layout; 3 adds CPUID_FAM_ID, CPUID_MOD_ID and CPUID_STEP at {@code 0x188..0x18A};
 * 4 has the version 3 layout; 5 adds LAUNCH_MIT_VECTOR and CURRENT_MIT_VECTOR at {@code 0x1F8} and
 * {@code 0x200}. Fields a version lacks read as 0 (they are reserved, zero bytes there).
 *
 * <p>The TCB versions are read in the layout of the product line the CPUID names (see
 * {@link #productLine()}); a version 2 report names none, so they are read in the Milan/Genoa layout until
 * the verifier learns the line from the certificate chain.
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
        int cpuidFamilyId,
        int cpuidModelId,
        int cpuidStepping,
        byte[] chipId,
        SevSnpTcb committedTcb,
        int currentBuild,
        int currentMinor,
        int currentMajor,
        int committedBuild,
        int committedMinor,
        int committedMajor,
        SevSnpTcb launchTcb,
        long launchMitVector,
        long currentMitVector,
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
    public static final long POLICY_DEBUG = SevSnpGuestPolicy.DEBUG;
    /** Report versions this parser reads. */
    public static final int MIN_VERSION = 2;
    public static final int MAX_VERSION = 5;

    /** SIGNING_KEY values: which key signed the report. 2 to 6 are reserved. */
    public static final int SIGNING_KEY_VCEK = 0;
    public static final int SIGNING_KEY_VLEK = 1;
    public static final int SIGNING_KEY_NONE = 7;

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
    public static final int OFF_CPUID_FAM_ID = 0x188;
    public static final int OFF_CPUID_MOD_ID = 0x189;
    public static final int OFF_CPUID_STEP = 0x18A;
    public static final int OFF_CHIP_ID = 0x1A0;
    public static final int OFF_COMMITTED_TCB = 0x1E0;
    public static final int OFF_CURRENT_BUILD = 0x1E8;
    public static final int OFF_COMMITTED_BUILD = 0x1EC;
    public static final int OFF_LAUNCH_TCB = 0x1F0;
    public static final int OFF_LAUNCH_MIT_VECTOR = 0x1F8;
    public static final int OFF_CURRENT_MIT_VECTOR = 0x200;

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
     * @throws IllegalArgumentException if the length is not 1184 bytes or the version is not 2 to 5
     */
    public static SevSnpReport parse(byte[] b) {
        if (b == null) {
            throw new IllegalArgumentException("SEV-SNP report is null");
        }
        if (b.length != SIZE) {
            throw new IllegalArgumentException("SEV-SNP report must be " + SIZE + " bytes, got " + b.length);
        }
        int version = u32(b, OFF_VERSION);
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw new IllegalArgumentException("unsupported SEV-SNP report version " + Integer.toUnsignedString(version)
                    + " (supported: 2, 3, 4, 5)");
        }
        boolean hasCpuid = version >= 3;
        boolean hasMitigationVectors = version >= 5;
        int family = hasCpuid ? b[OFF_CPUID_FAM_ID] & 0xFF : 0;
        int model = hasCpuid ? b[OFF_CPUID_MOD_ID] & 0xFF : 0;
        SevSnpTcb.Layout layout = hasCpuid
                ? SevSnpProductLine.fromCpuid(family, model).tcbLayout()
                : SevSnpTcb.Layout.MILAN_GENOA;
        return new SevSnpReport(
                version,
                u32(b, OFF_GUEST_SVN),
                u64(b, OFF_POLICY),
                slice(b, OFF_FAMILY_ID, 16),
                slice(b, OFF_IMAGE_ID, 16),
                u32(b, OFF_VMPL),
                u32(b, OFF_SIGNATURE_ALGO),
                new SevSnpTcb(u64(b, OFF_CURRENT_TCB), layout),
                u64(b, OFF_PLATFORM_INFO),
                u32(b, OFF_AUTHOR_KEY_EN),
                slice(b, OFF_REPORT_DATA, 64),
                slice(b, OFF_MEASUREMENT, 48),
                slice(b, OFF_HOST_DATA, 32),
                slice(b, OFF_ID_KEY_DIGEST, 48),
                slice(b, OFF_AUTHOR_KEY_DIGEST, 48),
                slice(b, OFF_REPORT_ID, 32),
                slice(b, OFF_REPORT_ID_MA, 32),
                new SevSnpTcb(u64(b, OFF_REPORTED_TCB), layout),
                family,
                model,
                hasCpuid ? b[OFF_CPUID_STEP] & 0xFF : 0,
                slice(b, OFF_CHIP_ID, 64),
                new SevSnpTcb(u64(b, OFF_COMMITTED_TCB), layout),
                b[OFF_CURRENT_BUILD] & 0xFF,
                b[OFF_CURRENT_BUILD + 1] & 0xFF,
                b[OFF_CURRENT_BUILD + 2] & 0xFF,
                b[OFF_COMMITTED_BUILD] & 0xFF,
                b[OFF_COMMITTED_BUILD + 1] & 0xFF,
                b[OFF_COMMITTED_BUILD + 2] & 0xFF,
                new SevSnpTcb(u64(b, OFF_LAUNCH_TCB), layout),
                hasMitigationVectors ? u64(b, OFF_LAUNCH_MIT_VECTOR) : 0,
                hasMitigationVectors ? u64(b, OFF_CURRENT_MIT_VECTOR) : 0,
                slice(b, SIGNATURE_OFFSET, 72),
                slice(b, SIGNATURE_OFFSET + 72, 72),
                slice(b, 0, SIGNED_LENGTH));
    }

    /** Whether the report carries CPUID family, model and stepping (version 3 and later). */
    public boolean hasCpuid() {
        return version >= 3;
    }

    /** Whether the report carries the mitigation vectors (version 5 and later). */
    public boolean hasMitigationVectors() {
        return version >= 5;
    }

    /** The product line the CPUID names; {@link SevSnpProductLine#UNKNOWN} for a version 2 report. */
    public SevSnpProductLine productLine() {
        return hasCpuid() ? SevSnpProductLine.fromCpuid(cpuidFamilyId, cpuidModelId) : SevSnpProductLine.UNKNOWN;
    }

    /** The guest policy, bit by bit. */
    public SevSnpGuestPolicy guestPolicy() {
        return new SevSnpGuestPolicy(policy);
    }

    /** The platform information, bit by bit. */
    public SevSnpPlatformInfo platformInfoBits() {
        return new SevSnpPlatformInfo(platformInfo);
    }

    /** Whether guest policy allows debugging (bit 19). */
    public boolean debugAllowed() {
        return (policy & POLICY_DEBUG) != 0;
    }

    /** AUTHOR_KEY_EN (bit 0 of the word at 0x48): AUTHOR_KEY_DIGEST holds the digest of an author key. */
    public boolean authorKeyEn() {
        return (authorKeyEnBits & 1) != 0;
    }

    /** MASK_CHIP_KEY (bit 1 of the word at 0x48). */
    public boolean maskChipKey() {
        return (authorKeyEnBits & 2) != 0;
    }

    /** SIGNING_KEY (bits 2-4 of the word at 0x48): 0 = VCEK, 1 = VLEK, 7 = none; 2-6 are reserved. */
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
