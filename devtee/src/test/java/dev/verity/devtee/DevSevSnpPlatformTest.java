package dev.verity.devtee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.proofs.attestation.SevSnpReport;
import dev.verity.proofs.attestation.SevSnpTcb;
import dev.verity.proofs.attestation.SevSnpVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevSevSnpPlatformTest {
    private static final Instant NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration VALIDITY = Duration.ofDays(3650);
    private static final long NOT_AFTER = NOT_BEFORE.plus(VALIDITY).getEpochSecond();
    private static final long NOW = NOT_BEFORE.getEpochSecond() + 86_400;
    private static final SevSnpTcb TCB = DevSevSnpPlatform.tcbOf(4, 1, 22, 213);
    private static final Path AMD_VECTORS = Path.of("..", "proofs", "src", "test", "resources", "tee", "sev-snp");

    private static byte[] chipId;
    private static DevSevSnpPlatform platform;
    private static DevSevSnpPlatform other;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() {
        chipId = bytes(64, 7);
        long start = System.nanoTime();
        platform = DevSevSnpPlatform.generate(NOT_BEFORE, VALIDITY, chipId, TCB);
        System.out.printf("development SEV-SNP chain (RSA-%d ARK and ASK, P-384 VCEK) generated in %d ms%n",
                DevSevSnpCertificates.RSA_BITS, (System.nanoTime() - start) / 1_000_000);
        other = DevSevSnpPlatform.generate(NOT_BEFORE, VALIDITY);
    }

    @Test
    void reportVerifiesWithItsChainAndParsesBack() {
        byte[] reportData = bytes(64, 1);
        byte[] measurement = bytes(48, 2);
        byte[] report = platform.report(reportData, measurement);

        SevSnpVerifier.Result result = SevSnpVerifier.verify(report, platform.vcekDer(), platform.askArkDer(), NOW);
        assertThat(result.valid()).as(result.reason()).isTrue();
        assertThat(result.reportData()).isEqualTo(reportData);
        assertThat(result.measurement()).isEqualTo(measurement);
        assertThat(result.reportedTcb()).isEqualTo(TCB);

        SevSnpReport parsed = SevSnpReport.parse(report);
        assertThat(report).hasSize(1184);
        assertThat(parsed.version()).isEqualTo(3);
        assertThat(parsed.policy()).isEqualTo(0x30000L);
        assertThat(parsed.vmpl()).isZero();
        assertThat(parsed.signatureAlgo()).isEqualTo(1);
        assertThat(parsed.signingKey()).isZero();
        assertThat(parsed.chipId()).isEqualTo(chipId);
        assertThat(List.of(parsed.currentTcb(), parsed.reportedTcb(), parsed.committedTcb(), parsed.launchTcb()))
                .containsOnly(TCB);
        assertThat(parsed.platformInfo()).isEqualTo(1);
        assertThat(new int[] {parsed.currentMajor(), parsed.currentMinor(), parsed.currentBuild()})
                .containsExactly(1, 55, 21);
        assertThat(new int[] {parsed.committedMajor(), parsed.committedMinor(), parsed.committedBuild()})
                .containsExactly(1, 55, 21);
        assertThat(Arrays.copyOfRange(report, 0x188, 0x18B)).containsExactly(0x19, 0x01, 0x01);
        assertThat(parsed.reportIdMa()).containsOnly((byte) 0xFF);
        assertThat(platform.chipId()).isEqualTo(chipId);
        assertThat(platform.tcb()).isEqualTo(TCB);
    }

    @Test
    void reportDoesNotVerifyAgainstAmdsMilanChain() throws IOException {
        List<byte[]> amd = SevSnpVerifier.pemToDer(Files.readString(AMD_VECTORS.resolve("ask_ark_milan.pem")));
        byte[] report = platform.report(bytes(64, 1), bytes(48, 2));

        SevSnpVerifier.Result result = SevSnpVerifier.verify(report, platform.vcekDer(), amd, NOW);
        assertThat(result.valid()).isFalse();
        assertThat(result.reason()).contains("certificate chain");
    }

    @Test
    void reportDoesNotVerifyAgainstAnotherDevelopmentChain() {
        byte[] report = platform.report(bytes(64, 1), bytes(48, 2));

        assertThat(SevSnpVerifier.verify(report, platform.vcekDer(), other.askArkDer(), NOW).valid()).isFalse();
        assertThat(SevSnpVerifier.verify(report, platform.vcekDer(), List.of(platform.askDer(), other.arkDer()), NOW)
                .valid()).isFalse();
        assertThat(SevSnpVerifier.verify(report, other.vcekDer(), platform.askArkDer(), NOW).reason())
                .contains("does not verify under the VCEK");
    }

    @Test
    void debugPolicyIsRefused() {
        byte[] report = platform.report(bytes(64, 1), bytes(48, 2),
                DevSevSnpPlatform.DEFAULT_POLICY | SevSnpReport.POLICY_DEBUG);

        SevSnpVerifier.Result result = SevSnpVerifier.verify(report, platform.vcekDer(), platform.askArkDer(), NOW);
        assertThat(result.valid()).isFalse();
        assertThat(result.reason()).contains("debugging");
        assertThat(SevSnpVerifier.verify(report, platform.vcekDer(), platform.askArkDer(), NOW, true).valid()).isTrue();
    }

    @Test
    void validOnlyWithinTheValidityPeriodBothEndsInclusive() {
        byte[] report = platform.report(bytes(64, 1), bytes(48, 2));
        long notBefore = NOT_BEFORE.getEpochSecond();

        assertThat(SevSnpVerifier.verify(report, platform.vcekDer(), platform.askArkDer(), notBefore).valid()).isTrue();
        assertThat(SevSnpVerifier.verify(report, platform.vcekDer(), platform.askArkDer(), NOT_AFTER).valid()).isTrue();
        assertThat(SevSnpVerifier.verify(report, platform.vcekDer(), platform.askArkDer(), notBefore - 1).reason())
                .contains("not yet valid");
        assertThat(SevSnpVerifier.verify(report, platform.vcekDer(), platform.askArkDer(), NOT_AFTER + 1).reason())
                .contains("expired");
    }

    @Test
    void sameInputsGiveTheSameReport() {
        byte[] a = platform.report(bytes(64, 1), bytes(48, 2));
        byte[] b = platform.report(bytes(64, 1), bytes(48, 2));
        byte[] c = platform.report(bytes(64, 3), bytes(48, 2));

        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void saveThenLoadGivesTheSameCertificatesAndReports() throws IOException {
        platform.save(dir);
        DevSevSnpPlatform loaded = DevSevSnpPlatform.load(dir);

        assertThat(loaded.arkDer()).isEqualTo(platform.arkDer());
        assertThat(loaded.askDer()).isEqualTo(platform.askDer());
        assertThat(loaded.vcekDer()).isEqualTo(platform.vcekDer());
        assertThat(loaded.chipId()).isEqualTo(chipId);
        assertThat(loaded.tcb()).isEqualTo(TCB);
        assertThat(loaded.report(bytes(64, 1), bytes(48, 2))).isEqualTo(platform.report(bytes(64, 1), bytes(48, 2)));
        assertThat(SevSnpVerifier.pemToDer(Files.readString(dir.resolve("vcek.pem")))).singleElement()
                .isEqualTo(platform.vcekDer());
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            for (String key : List.of("ark-key.pem", "ask-key.pem", "vcek-key.pem")) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(key))))
                        .isEqualTo("rw-------");
            }
        }
    }

    @Test
    void loadNamesTheMissingOrCorruptFile() throws IOException {
        assertThatThrownBy(() -> DevSevSnpPlatform.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("ark.pem is missing");

        platform.save(dir);
        Files.writeString(dir.resolve("ask.pem"), "not a certificate");
        assertThatThrownBy(() -> DevSevSnpPlatform.load(dir)).hasMessageContaining("ask.pem holds no PEM CERTIFICATE");

        platform.save(dir);
        Files.copy(dir.resolve("ark-key.pem"), dir.resolve("ask-key.pem"), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> DevSevSnpPlatform.load(dir)).hasMessageContaining("ask-key.pem is not the key of ask.pem");

        platform.save(dir);
        Files.writeString(dir.resolve("vcek-key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> DevSevSnpPlatform.load(dir)).hasMessageContaining("vcek-key.pem is not a PKCS#8 private key");

        platform.save(dir);
        Files.write(dir.resolve("ark.pem"), new byte[] {(byte) 0xFF, 0, (byte) 0x80, 0x30});
        assertThatThrownBy(() -> DevSevSnpPlatform.load(dir)).hasMessageContaining("ark.pem");

        platform.save(dir);
        Files.delete(dir.resolve("vcek.pem"));
        assertThatThrownBy(() -> DevSevSnpPlatform.load(dir)).hasMessageContaining("vcek.pem is missing");
    }

    @Test
    void loadRefusesACertificateWhoseSignatureWasTamperedWith() throws IOException {
        platform.save(dir);
        byte[] ask = platform.askDer();
        ask[ask.length - 1] ^= 1; // last byte of the ARK's signature over the ASK
        Files.writeString(dir.resolve("ask.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(ask) + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> DevSevSnpPlatform.load(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("the chain does not verify");
    }

    @Test
    void anotherChipUnderTheSameRootsVerifiesWithTheSameAnchors() {
        byte[] secondChip = bytes(64, 9);
        DevSevSnpPlatform second = platform.withChip(secondChip, DevSevSnpPlatform.DEFAULT_TCB, NOT_BEFORE, VALIDITY);
        byte[] report = second.report(bytes(64, 1), bytes(48, 2));

        SevSnpVerifier.Result result = SevSnpVerifier.verify(report, second.vcekDer(), platform.askArkDer(), NOW);
        assertThat(result.valid()).as(result.reason()).isTrue();
        assertThat(SevSnpReport.parse(report).chipId()).isEqualTo(secondChip);
        assertThat(result.reportedTcb()).isEqualTo(DevSevSnpPlatform.DEFAULT_TCB);
        assertThat(SevSnpVerifier.verify(report, platform.vcekDer(), platform.askArkDer(), NOW).valid()).isFalse();
    }

    @Test
    void certificatesAreLaidOutLikeAmdsButNamedForDevelopment() throws IOException {
        Certificate amdVcek = Certificate.getInstance(Files.readAllBytes(AMD_VECTORS.resolve("vcek.testcer")));
        Certificate ark = Certificate.getInstance(platform.arkDer());
        Certificate ask = Certificate.getInstance(platform.askDer());
        Certificate vcek = Certificate.getInstance(platform.vcekDer());

        for (Certificate c : List.of(ark, ask, vcek)) {
            assertThat(c.getSignatureAlgorithm().getEncoded()).isEqualTo(amdVcek.getSignatureAlgorithm().getEncoded());
            assertThat(c.getSubject().toString()).contains("O=Verity Development");
        }
        assertThat(ark.getSubject().toString()).isEqualTo("O=Verity Development,CN=ARK-Dev");
        assertThat(ark.getIssuer()).isEqualTo(ark.getSubject());
        assertThat(ask.getSubject().toString()).isEqualTo("O=Verity Development,CN=SEV-Dev");
        assertThat(vcek.getSubject().toString()).isEqualTo("O=Verity Development,CN=SEV-VCEK");
        assertThat(RSAPublicKey.getInstance(ark.getSubjectPublicKeyInfo().getPublicKeyData().getBytes())
                .getModulus().bitLength()).isEqualTo(4096);
        assertThat(vcek.getSubjectPublicKeyInfo().getAlgorithm().getEncoded())
                .isEqualTo(amdVcek.getSubjectPublicKeyInfo().getAlgorithm().getEncoded());
        assertThat(ASN1IA5String.getInstance(vcek.getTBSCertificate().getExtensions()
                .getExtension(new ASN1ObjectIdentifier("1.3.6.1.4.1.3704.1.2")).getExtnValue().getOctets()).getString())
                .isEqualTo("Dev");
        assertThat(oids(vcek)).isEqualTo(oids(amdVcek));
    }

    @Test
    void rejectsMalformedInputs() {
        assertThatThrownBy(() -> platform.report(new byte[63], new byte[48])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> platform.report(new byte[64], new byte[32])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> platform.report(new byte[64], new byte[48], 1L << 16))
                .hasMessageContaining("bit 17");
        assertThatThrownBy(() -> DevSevSnpPlatform.generate(NOT_BEFORE, VALIDITY, new byte[32], TCB))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DevSevSnpPlatform.tcbOf(256, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<ASN1ObjectIdentifier> oids(Certificate c) {
        return List.of(c.getTBSCertificate().getExtensions().getExtensionOIDs());
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }
}
