package dev.verity.devtee;

import static dev.verity.proofs.attestation.SevSnpReport.OFF_CHIP_ID;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_COMMITTED_BUILD;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_COMMITTED_TCB;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_CURRENT_BUILD;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_CURRENT_TCB;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_GUEST_SVN;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_LAUNCH_TCB;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_MEASUREMENT;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_PLATFORM_INFO;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_POLICY;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_REPORTED_TCB;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_REPORT_DATA;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_REPORT_ID;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_REPORT_ID_MA;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_SIGNATURE_ALGO;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_VERSION;
import static dev.verity.proofs.attestation.SevSnpReport.OFF_VMPL;
import static dev.verity.proofs.attestation.SevSnpReport.SIGNATURE_OFFSET;
import static dev.verity.proofs.attestation.SevSnpReport.SIGNED_LENGTH;
import static dev.verity.proofs.attestation.SevSnpReport.SIG_ALGO_ECDSA_P384_SHA384;
import static dev.verity.proofs.attestation.SevSnpReport.SIZE;

import dev.verity.proofs.attestation.SevSnpTcb;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * Lays out and signs version-3 SEV-SNP attestation reports as the firmware of a Milan part would, for
 * one chip (its id, TCB and VCEK key). Signatures are deterministic (RFC 6979), so equal inputs give
 * equal reports.
 */
final class DevSevSnpReportSigner {
    static final int VERSION = 3;
    /** PLATFORM_INFO bit 0: SMT is enabled on the host, as on most servers. */
    static final long PLATFORM_INFO_SMT_ENABLED = 1;
    /** Firmware 1.55 build 21, a Milan SEV-SNP firmware that writes version-3 reports. */
    static final int FIRMWARE_MAJOR = 1;
    static final int FIRMWARE_MINOR = 55;
    static final int FIRMWARE_BUILD = 21;
    /** CPUID family/model/stepping of a Milan part, written by version-3 firmware at 0x188..0x18A. */
    static final int CPUID_FAMILY = 0x19;
    static final int CPUID_MODEL = 0x01;
    static final int CPUID_STEPPING = 0x01;

    private static final int OFF_CPUID_FAMILY = 0x188;
    private static final int OFF_CPUID_MODEL = 0x189;
    private static final int OFF_CPUID_STEPPING = 0x18A;
    /** Guest policy bit 17 is reserved and must be 1, or the firmware refuses to launch the guest. */
    private static final long POLICY_RESERVED_ONE = 1L << 17;
    private static final byte[] REPORT_ID_DOMAIN = "verity-dev-sev-snp-report-id".getBytes(StandardCharsets.US_ASCII);

    private final byte[] chipId;
    private final SevSnpTcb tcb;
    private final ECPrivateKeyParameters vcekKey;

    DevSevSnpReportSigner(byte[] chipId, SevSnpTcb tcb, ECPrivateKeyParameters vcekKey) {
        if (chipId.length != 64) {
            throw new IllegalArgumentException("a chip id is 64 bytes, got " + chipId.length);
        }
        this.chipId = chipId.clone();
        this.tcb = tcb;
        this.vcekKey = vcekKey;
    }

    /** A signed 1184-byte report; see {@link DevSevSnpPlatform#report(byte[], byte[], long)}. */
    byte[] report(byte[] reportData, byte[] measurement, long policy) {
        if (reportData.length != 64) {
            throw new IllegalArgumentException("report data is 64 bytes, got " + reportData.length);
        }
        if (measurement.length != 48) {
            throw new IllegalArgumentException("a measurement is 48 bytes, got " + measurement.length);
        }
        if ((policy & POLICY_RESERVED_ONE) == 0) {
            throw new IllegalArgumentException("guest policy bit 17 is reserved and must be set: 0x"
                    + Long.toHexString(policy));
        }
        byte[] r = new byte[SIZE];
        putU32(r, OFF_VERSION, VERSION);
        putU32(r, OFF_GUEST_SVN, 0);
        putU64(r, OFF_POLICY, policy);
        // FAMILY_ID, IMAGE_ID: zero, as without an ID block. VMPL 0: the guest kernel asks.
        putU32(r, OFF_VMPL, 0);
        putU32(r, OFF_SIGNATURE_ALGO, SIG_ALGO_ECDSA_P384_SHA384);
        putU64(r, OFF_CURRENT_TCB, tcb.raw());
        putU64(r, OFF_PLATFORM_INFO, PLATFORM_INFO_SMT_ENABLED);
        // The word at 0x48 stays 0: no author key, chip key not masked, SIGNING_KEY = 0 (VCEK).
        System.arraycopy(reportData, 0, r, OFF_REPORT_DATA, 64);
        System.arraycopy(measurement, 0, r, OFF_MEASUREMENT, 48);
        // HOST_DATA, ID_KEY_DIGEST, AUTHOR_KEY_DIGEST: zero, as without an ID block.
        System.arraycopy(reportId(measurement), 0, r, OFF_REPORT_ID, 32);
        Arrays.fill(r, OFF_REPORT_ID_MA, OFF_REPORT_ID_MA + 32, (byte) 0xFF); // no migration agent
        putU64(r, OFF_REPORTED_TCB, tcb.raw());
        r[OFF_CPUID_FAMILY] = CPUID_FAMILY;
        r[OFF_CPUID_MODEL] = CPUID_MODEL;
        r[OFF_CPUID_STEPPING] = CPUID_STEPPING;
        System.arraycopy(chipId, 0, r, OFF_CHIP_ID, 64);
        putU64(r, OFF_COMMITTED_TCB, tcb.raw());
        putFirmwareVersion(r, OFF_CURRENT_BUILD);
        putFirmwareVersion(r, OFF_COMMITTED_BUILD);
        putU64(r, OFF_LAUNCH_TCB, tcb.raw());
        sign(r);
        return r;
    }

    /**
     * The firmware draws REPORT_ID at guest launch; a dev guest is identified by its chip and
     * measurement instead, so that reports stay deterministic.
     */
    private byte[] reportId(byte[] measurement) {
        Digest d = new SHA256Digest();
        d.update(REPORT_ID_DOMAIN, 0, REPORT_ID_DOMAIN.length);
        d.update(chipId, 0, chipId.length);
        d.update(measurement, 0, measurement.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    /** ECDSA P-384 over SHA-384 of bytes 0x000..0x29F; R and S as 72-byte little-endian integers. */
    private void sign(byte[] r) {
        Digest d = new SHA384Digest();
        d.update(r, 0, SIGNED_LENGTH);
        byte[] hash = new byte[d.getDigestSize()];
        d.doFinal(hash, 0);
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA384Digest()));
        signer.init(true, vcekKey);
        BigInteger[] rs = signer.generateSignature(hash);
        putLittleEndian72(r, SIGNATURE_OFFSET, rs[0]);
        putLittleEndian72(r, SIGNATURE_OFFSET + 72, rs[1]);
    }

    private static void putFirmwareVersion(byte[] r, int off) {
        r[off] = (byte) FIRMWARE_BUILD;
        r[off + 1] = (byte) FIRMWARE_MINOR;
        r[off + 2] = (byte) FIRMWARE_MAJOR;
    }

    private static void putLittleEndian72(byte[] r, int off, BigInteger v) {
        byte[] be = v.toByteArray(); // may carry a leading sign byte; a P-384 scalar fits in 48 bytes
        for (int i = 0; i < be.length && i < 72; i++) {
            r[off + i] = be[be.length - 1 - i];
        }
    }

    private static void putU32(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void putU64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
