package dev.verity.proofs.attestation;

import java.util.Arrays;

/** Builds SEV-SNP report bytes by hand, field by field, for tests. */
final class SnpReportBuilder {
    private final byte[] b = new byte[SevSnpReport.SIZE];

    SnpReportBuilder(int version) {
        putU32(SevSnpReport.OFF_VERSION, version);
        putU32(SevSnpReport.OFF_SIGNATURE_ALGO, SevSnpReport.SIG_ALGO_ECDSA_P384_SHA384);
        putU64(SevSnpReport.OFF_POLICY, 0x30000L); // SMT allowed, reserved bit 17 set, no debug
        for (int i = 0; i < 64; i++) {
            b[SevSnpReport.OFF_REPORT_DATA + i] = (byte) i;
        }
        for (int i = 0; i < 48; i++) {
            b[SevSnpReport.OFF_MEASUREMENT + i] = (byte) (0xA0 + i);
        }
    }

    SnpReportBuilder policy(long policy) {
        return putU64(SevSnpReport.OFF_POLICY, policy);
    }

    /** The word at 0x48: AUTHOR_KEY_EN (bit 0), MASK_CHIP_KEY (bit 1), SIGNING_KEY (bits 2-4). */
    SnpReportBuilder keyInfo(boolean authorKeyEn, boolean maskChipKey, int signingKey) {
        return putU32(SevSnpReport.OFF_AUTHOR_KEY_EN, (authorKeyEn ? 1 : 0) | (maskChipKey ? 2 : 0) | signingKey << 2);
    }

    SnpReportBuilder signingKey(int signingKey) {
        return keyInfo(false, false, signingKey);
    }

    SnpReportBuilder platformInfo(long bits) {
        return putU64(SevSnpReport.OFF_PLATFORM_INFO, bits);
    }

    SnpReportBuilder cpuid(int family, int model, int stepping) {
        b[SevSnpReport.OFF_CPUID_FAM_ID] = (byte) family;
        b[SevSnpReport.OFF_CPUID_MOD_ID] = (byte) model;
        b[SevSnpReport.OFF_CPUID_STEP] = (byte) stepping;
        return this;
    }

    /** Sets the current, reported, committed and launch TCB to one raw value. */
    SnpReportBuilder tcb(long raw) {
        putU64(SevSnpReport.OFF_CURRENT_TCB, raw);
        putU64(SevSnpReport.OFF_REPORTED_TCB, raw);
        putU64(SevSnpReport.OFF_COMMITTED_TCB, raw);
        return putU64(SevSnpReport.OFF_LAUNCH_TCB, raw);
    }

    SnpReportBuilder reportedTcb(long raw) {
        return putU64(SevSnpReport.OFF_REPORTED_TCB, raw);
    }

    SnpReportBuilder chipId(byte[] chipId) {
        System.arraycopy(chipId, 0, b, SevSnpReport.OFF_CHIP_ID, chipId.length);
        return this;
    }

    SnpReportBuilder mitigationVectors(long launch, long current) {
        putU64(SevSnpReport.OFF_LAUNCH_MIT_VECTOR, launch);
        return putU64(SevSnpReport.OFF_CURRENT_MIT_VECTOR, current);
    }

    SnpReportBuilder firmware(int build, int minor, int major) {
        b[SevSnpReport.OFF_CURRENT_BUILD] = (byte) build;
        b[SevSnpReport.OFF_CURRENT_BUILD + 1] = (byte) minor;
        b[SevSnpReport.OFF_CURRENT_BUILD + 2] = (byte) major;
        b[SevSnpReport.OFF_COMMITTED_BUILD] = (byte) build;
        b[SevSnpReport.OFF_COMMITTED_BUILD + 1] = (byte) minor;
        b[SevSnpReport.OFF_COMMITTED_BUILD + 2] = (byte) major;
        return this;
    }

    SnpReportBuilder putU32(int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    SnpReportBuilder putU64(int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    byte[] bytes() {
        return Arrays.copyOf(b, b.length);
    }

    /** Packs a Milan/Genoa TCB version: bootloader byte 0, TEE byte 1, SNP byte 6, microcode byte 7. */
    static long milanGenoaTcb(int bl, int tee, int snp, int ucode) {
        return (long) bl | (long) tee << 8 | (long) snp << 48 | (long) ucode << 56;
    }

    /** Packs a Turin TCB version: FMC byte 0, bootloader byte 1, TEE byte 2, SNP byte 3, microcode byte 7. */
    static long turinTcb(int fmc, int bl, int tee, int snp, int ucode) {
        return (long) fmc | (long) bl << 8 | (long) tee << 16 | (long) snp << 24 | (long) ucode << 56;
    }
}
