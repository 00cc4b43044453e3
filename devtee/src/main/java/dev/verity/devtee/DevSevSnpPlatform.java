package dev.verity.devtee;

import dev.verity.proofs.attestation.SevSnpTcb;
import dev.verity.proofs.attestation.SevSnpVerifier;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * A development AMD SEV-SNP platform: one chip with its own ARK → ASK → VCEK certificate chain, made
 * at devnet genesis, that signs attestation reports in the real SEV-SNP format (version 3, 1184 bytes,
 * ECDSA P-384). Its reports pass the same {@link SevSnpVerifier} as hardware reports once the verifier
 * is given this chain's ASK and ARK as trust anchors; they fail against AMD's roots, and the
 * certificates name "Verity Development", so nobody takes them for AMD's.
 *
 * <pre>{@code
 * DevSevSnpPlatform platform = DevSevSnpPlatform.generate(genesisTime, Duration.ofDays(3650));
 * platform.save(dir);                       // at genesis
 * byte[] report = DevSevSnpPlatform.load(dir).report(reportData, measurement);
 * SevSnpVerifier.verify(report, platform.vcekDer(), platform.askArkDer(), now);
 * }</pre>
 *
 * <p>Immutable and thread-safe. Generating a chain makes two RSA-4096 keys, in parallel: a few seconds.
 */
public final class DevSevSnpPlatform {
    /** A Milan-like TCB: bootloader 3, TEE 0, SNP 8, microcode 115. */
    public static final SevSnpTcb DEFAULT_TCB = tcbOf(3, 0, 8, 115);

    /**
     * The guest policy of a typical guest (QEMU's default, 0x30000): ABI 0.0 at least, SMT allowed
     * (bit 16), the must-be-one bit 17, no migration agent, debugging not allowed (bit 19 clear).
     */
    public static final long DEFAULT_POLICY = (1L << 16) | (1L << 17);

    private final DevSevSnpChain chain;
    private final byte[] chipId;
    private final SevSnpTcb tcb;
    private final DevSevSnpReportSigner signer;

    private DevSevSnpPlatform(DevSevSnpChain chain) {
        Certificate vcek = DevSevSnpCertificates.parse(chain.vcekDer());
        this.chain = chain;
        this.chipId = DevSevSnpCertificates.chipId(vcek);
        this.tcb = DevSevSnpCertificates.tcb(vcek);
        this.signer = new DevSevSnpReportSigner(chipId, tcb, chain.vcekKey());
    }

    /** A new chain for a random chip at {@link #DEFAULT_TCB}, valid from {@code notBefore} for {@code validity}. */
    public static DevSevSnpPlatform generate(Instant notBefore, Duration validity) {
        return generate(notBefore, validity, new SecureRandom());
    }

    /**
     * As {@link #generate(Instant, Duration)} with the given source of randomness: a {@link SeededRandom}
     * gives the same platform (keys, chip id, certificates) for the same seed, for reproducible tests.
     */
    public static DevSevSnpPlatform generate(Instant notBefore, Duration validity, SecureRandom random) {
        byte[] chipId = new byte[64];
        random.nextBytes(chipId);
        return new DevSevSnpPlatform(DevSevSnpChain.generate(chipId, DEFAULT_TCB, notBefore, validity, random));
    }

    /**
     * A new chain (ARK, ASK, VCEK) for the chip {@code chipId} (64 bytes) at {@code tcb}, every
     * certificate valid from {@code notBefore} (whole seconds) for {@code validity}, both ends inclusive.
     */
    public static DevSevSnpPlatform generate(Instant notBefore, Duration validity, byte[] chipId, SevSnpTcb tcb) {
        checkChipId(chipId);
        return new DevSevSnpPlatform(DevSevSnpChain.generate(chipId, tcb, notBefore, validity, new SecureRandom()));
    }

    /**
     * Another chip under this platform's ARK and ASK: a new VCEK (new key) for {@code chipId} at
     * {@code tcb}, valid from {@code notBefore} for {@code validity}. Its reports verify with the same
     * trust anchors, {@link #askArkDer()}.
     */
    public DevSevSnpPlatform withChip(byte[] chipId, SevSnpTcb tcb, Instant notBefore, Duration validity) {
        checkChipId(chipId);
        return new DevSevSnpPlatform(chain.withVcek(chipId, tcb, notBefore, validity, new SecureRandom()));
    }

    /**
     * Loads a platform saved by {@link #save(Path)}, checking that every key belongs to its certificate
     * and that the chain verifies.
     *
     * @throws IOException naming the directory and the file when a file is missing, unreadable or corrupt
     */
    public static DevSevSnpPlatform load(Path dir) throws IOException {
        DevSevSnpPlatform platform;
        String problem;
        try {
            platform = new DevSevSnpPlatform(DevSevSnpFiles.load(dir));
            problem = platform.selfCheck();
        } catch (RuntimeException e) {
            throw new IOException("corrupt development SEV-SNP platform in " + dir + ": " + e.getMessage(), e);
        }
        if (problem != null) {
            throw new IOException("corrupt development SEV-SNP platform in " + dir + ": " + problem);
        }
        return platform;
    }

    /**
     * Saves the certificates ({@code ark.pem}, {@code ask.pem}, {@code vcek.pem}) and the PKCS#8
     * private keys ({@code ark-key.pem}, {@code ask-key.pem}, {@code vcek-key.pem}, mode 0600 on POSIX
     * file systems) to {@code dir}, creating it if needed and replacing files of those names.
     */
    public void save(Path dir) throws IOException {
        DevSevSnpFiles.save(chain, dir);
    }

    /** A signed report with {@link #DEFAULT_POLICY}. */
    public byte[] report(byte[] reportData64, byte[] measurement48) {
        return report(reportData64, measurement48, DEFAULT_POLICY);
    }

    /**
     * A signed 1184-byte version-3 report, as the firmware returns to a guest at VMPL 0: guest SVN 0,
     * the given guest policy, no ID block (zero family/image ids, host data and key digests), current,
     * reported, committed and launch TCB all {@link #tcb()}, this chip's id, Milan CPUID
     * family/model/stepping (0x19/0x01/0x01), firmware 1.55 build 21, signed by the VCEK with
     * deterministic ECDSA P-384/SHA-384 (RFC 6979): the same inputs give the same bytes.
     *
     * @param reportData64 the guest's 64 bytes of report data
     * @param measurement48 the launch measurement, 48 bytes
     * @param policy the guest policy; bit 17 must be set, as the firmware requires
     * @throws IllegalArgumentException on a wrong length or a policy without bit 17
     */
    public byte[] report(byte[] reportData64, byte[] measurement48, long policy) {
        return signer.report(reportData64, measurement48, policy);
    }

    /** The ARK certificate (DER): the self-signed root a verifier must trust. */
    public byte[] arkDer() {
        return chain.arkDer();
    }

    /** The ASK certificate (DER), signed by the ARK. */
    public byte[] askDer() {
        return chain.askDer();
    }

    /** The VCEK certificate (DER) of this chip, signed by the ASK; it signs the reports. */
    public byte[] vcekDer() {
        return chain.vcekDer();
    }

    /** {@code List.of(askDer(), arkDer())}, as {@link SevSnpVerifier#verify} takes them. */
    public List<byte[]> askArkDer() {
        return List.of(askDer(), arkDer());
    }

    /** The 64-byte chip id (the VCEK's hwID, the reports' CHIP_ID). */
    public byte[] chipId() {
        return chipId.clone();
    }

    /** The chip's TCB: in the VCEK's SPL extensions and in every report. */
    public SevSnpTcb tcb() {
        return tcb;
    }

    /** A TCB version from its security patch levels, each 0..255. */
    public static SevSnpTcb tcbOf(int bootloader, int tee, int snp, int microcode) {
        for (int spl : new int[] {bootloader, tee, snp, microcode}) {
            if (spl < 0 || spl > 255) {
                throw new IllegalArgumentException("a security patch level is 0..255, got " + spl);
            }
        }
        return new SevSnpTcb((long) bootloader | (long) tee << 8 | (long) snp << 48 | (long) microcode << 56);
    }

    /** Why a report of this platform does not verify with its own chain, or null when it does. */
    private String selfCheck() {
        long time = 0;
        for (byte[] der : List.of(arkDer(), askDer(), vcekDer())) {
            time = Math.max(time, DevSevSnpCertificates.parse(der).getStartDate().getDate().toInstant().getEpochSecond());
        }
        SevSnpVerifier.Result r = SevSnpVerifier.verify(report(new byte[64], new byte[48]), vcekDer(), askArkDer(), time);
        return r.valid() ? null : "the chain does not verify: " + r.reason();
    }

    private static void checkChipId(byte[] chipId) {
        if (chipId.length != 64) {
            throw new IllegalArgumentException("a chip id is 64 bytes, got " + chipId.length);
        }
    }
}
