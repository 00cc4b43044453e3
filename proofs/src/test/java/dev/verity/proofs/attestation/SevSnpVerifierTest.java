package dev.verity.proofs.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SevSnpVerifierTest {
    private static final long JUNE_2023 = Instant.parse("2023-06-01T00:00:00Z").getEpochSecond();

    private static byte[] resource(String name) {
        try (InputStream in = SevSnpVerifierTest.class.getResourceAsStream("/tee/sev-snp/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static final byte[] REPORT = resource("attestation.bin");
    private static final byte[] VCEK = resource("vcek.testcer");
    private static final List<byte[]> MILAN =
            SevSnpVerifier.pemToDer(new String(resource("ask_ark_milan.pem"), StandardCharsets.US_ASCII));
    private static final List<byte[]> GENOA =
            SevSnpVerifier.pemToDer(new String(resource("ask_ark_genoa.pem"), StandardCharsets.US_ASCII));

    private static SevSnpVerifier.Result verifyLenient(byte[] report, byte[] vcek, List<byte[]> chain, long time) {
        // The go-sev-guest test report's policy (0x0B0000) has the DEBUG bit set; see realReportHasDebugPolicy.
        return SevSnpVerifier.verify(report, vcek, chain, time, true);
    }

    @Test
    void parsesTheRealReport() {
        SevSnpReport r = SevSnpReport.parse(REPORT);
        assertThat(r.version()).isEqualTo(2);
        assertThat(r.signatureAlgo()).isEqualTo(1);
        assertThat(r.policy()).isEqualTo(0xB0000L);
        assertThat(Arrays.copyOf(r.reportData(), 5)).containsExactly(1, 2, 3, 4, 5);
        assertThat(r.measurement()).hasSize(48);
        assertThat(r.chipId()).hasSize(64);
        assertThat(r.reportedTcb().bootloader()).isEqualTo(2);
        assertThat(r.reportedTcb().tee()).isEqualTo(0);
        assertThat(r.reportedTcb().snp()).isEqualTo(5);
        assertThat(r.reportedTcb().microcode()).isEqualTo(0x44);
        assertThat(r.signingKey()).isZero();
        assertThat(MILAN).hasSize(2);
        assertThat(GENOA).hasSize(2);
    }

    @Test
    void realReportVerifiesWithMilanChain() {
        SevSnpVerifier.Result res = verifyLenient(REPORT, VCEK, MILAN, JUNE_2023);
        assertThat(res.valid()).as(res.reason()).isTrue();
        SevSnpReport r = SevSnpReport.parse(REPORT);
        assertThat(res.measurement()).isEqualTo(r.measurement());
        assertThat(res.reportData()).isEqualTo(r.reportData());
        assertThat(res.reportedTcb()).isEqualTo(r.reportedTcb());
    }

    @Test
    void picksMilanChainFromMixedList() {
        List<byte[]> both = new ArrayList<>(GENOA);
        both.addAll(MILAN);
        assertThat(verifyLenient(REPORT, VCEK, both, JUNE_2023).valid()).isTrue();
        List<byte[]> reversed = new ArrayList<>(both.reversed());
        assertThat(verifyLenient(REPORT, VCEK, reversed, JUNE_2023).valid()).isTrue();
    }

    @Test
    void realReportHasDebugPolicyAndDefaultVerifyRefusesIt() {
        SevSnpVerifier.Result res = SevSnpVerifier.verify(REPORT, VCEK, MILAN, JUNE_2023);
        assertThat(res.valid()).isFalse();
        assertThat(res.reason()).contains("debug");
        assertThat(res.measurement()).isNull();
    }

    @Test
    void failsWithGenoaChain() {
        SevSnpVerifier.Result res = verifyLenient(REPORT, VCEK, GENOA, JUNE_2023);
        assertThat(res.valid()).isFalse();
        assertThat(res.reason()).contains("chain");
    }

    @Test
    void failsWithEmptyChainOrArkOnly() {
        assertThat(verifyLenient(REPORT, VCEK, List.of(), JUNE_2023).reason()).contains("chain");
        assertThat(verifyLenient(REPORT, VCEK, List.of(MILAN.get(0)), JUNE_2023).valid()).isFalse();
        assertThat(verifyLenient(REPORT, VCEK, List.of(MILAN.get(1)), JUNE_2023).valid()).isFalse();
    }

    @Test
    void failsOutsideVcekValidity() {
        long y2030 = Instant.parse("2030-01-01T00:00:00Z").getEpochSecond();
        SevSnpVerifier.Result res = verifyLenient(REPORT, VCEK, MILAN, y2030);
        assertThat(res.valid()).isFalse();
        assertThat(res.reason()).contains("VCEK").contains("expired");
        long y2021 = Instant.parse("2021-01-01T00:00:00Z").getEpochSecond();
        assertThat(verifyLenient(REPORT, VCEK, MILAN, y2021).reason()).contains("not yet valid");
        // boundaries: Not Before Sep 24 00:55:28 2022 GMT, Not After Sep 24 00:55:28 2029 GMT
        long nb = Instant.parse("2022-09-24T00:55:28Z").getEpochSecond();
        long na = Instant.parse("2029-09-24T00:55:28Z").getEpochSecond();
        assertThat(verifyLenient(REPORT, VCEK, MILAN, nb).valid()).isTrue();
        assertThat(verifyLenient(REPORT, VCEK, MILAN, nb - 1).valid()).isFalse();
        assertThat(verifyLenient(REPORT, VCEK, MILAN, na).valid()).isTrue();
        assertThat(verifyLenient(REPORT, VCEK, MILAN, na + 1).valid()).isFalse();
    }

    @Test
    void flippedByteInSignedRegionIsInvalid() {
        TreeSet<Integer> positions = new TreeSet<>();
        int[] fieldStarts = {
            SevSnpReport.OFF_VERSION, SevSnpReport.OFF_GUEST_SVN, SevSnpReport.OFF_POLICY, SevSnpReport.OFF_FAMILY_ID,
            SevSnpReport.OFF_IMAGE_ID, SevSnpReport.OFF_VMPL, SevSnpReport.OFF_SIGNATURE_ALGO,
            SevSnpReport.OFF_CURRENT_TCB, SevSnpReport.OFF_PLATFORM_INFO, SevSnpReport.OFF_AUTHOR_KEY_EN, 0x4C,
            SevSnpReport.OFF_REPORT_DATA, SevSnpReport.OFF_MEASUREMENT, SevSnpReport.OFF_HOST_DATA,
            SevSnpReport.OFF_ID_KEY_DIGEST, SevSnpReport.OFF_AUTHOR_KEY_DIGEST, SevSnpReport.OFF_REPORT_ID,
            SevSnpReport.OFF_REPORT_ID_MA, SevSnpReport.OFF_REPORTED_TCB, 0x188, SevSnpReport.OFF_CHIP_ID,
            SevSnpReport.OFF_COMMITTED_TCB, SevSnpReport.OFF_CURRENT_BUILD, SevSnpReport.OFF_CURRENT_BUILD + 1,
            SevSnpReport.OFF_CURRENT_BUILD + 2, SevSnpReport.OFF_COMMITTED_BUILD, SevSnpReport.OFF_LAUNCH_TCB, 0x1F8,
            SevSnpReport.SIGNED_LENGTH - 1
        };
        for (int p : fieldStarts) {
            positions.add(p);
        }
        for (int i = 0; i < 50; i++) {
            positions.add((i * 0x29F) / 49 + (i % 7)); // spread over 0x000..0x29F, deterministic
        }
        positions.removeIf(p -> p >= SevSnpReport.SIGNED_LENGTH);
        assertThat(positions.size()).isGreaterThan(60);
        for (int p : positions) {
            byte[] tampered = REPORT.clone();
            tampered[p] ^= 0x01;
            SevSnpVerifier.Result res = verifyLenient(tampered, VCEK, MILAN, JUNE_2023);
            assertThat(res.valid()).as("flip at 0x%x", p).isFalse();
        }
    }

    @Test
    void flippedSignatureByteIsInvalid() {
        for (int p : new int[] {0x2A0, 0x2A0 + 20, 0x2A0 + 47, 0x2E8, 0x2E8 + 30, 0x2E8 + 47}) {
            byte[] tampered = REPORT.clone();
            tampered[p] ^= 0x01;
            SevSnpVerifier.Result res = verifyLenient(tampered, VCEK, MILAN, JUNE_2023);
            assertThat(res.valid()).as("flip at 0x%x", p).isFalse();
            assertThat(res.reason()).contains("signature");
        }
    }

    @Test
    void tamperedCertificateByteIsInvalid() {
        // Bytes spread across each certificate: header, TBS, key, extensions, signature.
        List<byte[]> certsToTamper = List.of(VCEK, MILAN.get(0), MILAN.get(1));
        for (int which = 0; which < 3; which++) {
            byte[] original = certsToTamper.get(which);
            for (int k = 1; k <= 16; k++) {
                int p = (int) ((long) original.length * k / 17);
                byte[] tampered = original.clone();
                tampered[p] ^= 0x01;
                byte[] vcek = which == 0 ? tampered : VCEK;
                List<byte[]> chain = new ArrayList<>(MILAN);
                if (which > 0) {
                    chain.set(which - 1, tampered);
                }
                SevSnpVerifier.Result res = verifyLenient(REPORT, vcek, chain, JUNE_2023);
                assertThat(res.valid()).as("cert %d flip at %d", which, p).isFalse();
            }
            byte[] lastSigByte = original.clone();
            lastSigByte[lastSigByte.length - 1] ^= 0x01;
            byte[] vcek = which == 0 ? lastSigByte : VCEK;
            List<byte[]> chain = new ArrayList<>(MILAN);
            if (which > 0) {
                chain.set(which - 1, lastSigByte);
            }
            assertThat(verifyLenient(REPORT, vcek, chain, JUNE_2023).valid()).isFalse();
        }
    }

    @Test
    void truncatedReportGivesClearError() {
        byte[] truncated = Arrays.copyOf(REPORT, 1000);
        assertThatThrownBy(() -> SevSnpReport.parse(truncated))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1184")
                .hasMessageContaining("1000");
        SevSnpVerifier.Result res = SevSnpVerifier.verify(truncated, VCEK, MILAN, JUNE_2023);
        assertThat(res.valid()).isFalse();
        assertThat(res.reason()).contains("1184");
    }

    @Test
    void unknownVersionGivesClearError() {
        byte[] v9 = REPORT.clone();
        v9[0] = 9;
        assertThatThrownBy(() -> SevSnpReport.parse(v9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
    }

    @Test
    void garbageCertificatesAreInvalidNotExceptions() {
        assertThat(verifyLenient(REPORT, new byte[] {1, 2, 3}, MILAN, JUNE_2023).valid()).isFalse();
        assertThat(verifyLenient(REPORT, VCEK, List.of(new byte[] {0x30, 0x00}), JUNE_2023).valid()).isFalse();
    }

    @Test
    void epochSecondsMatchesJavaTime() {
        assertThat(SevSnpVerifier.daysFromCivil(1970, 1, 1)).isZero();
        assertThat(SevSnpVerifier.daysFromCivil(2000, 3, 1) * 86400L)
                .isEqualTo(Instant.parse("2000-03-01T00:00:00Z").getEpochSecond());
        assertThat(SevSnpVerifier.daysFromCivil(2045, 10, 22) * 86400L)
                .isEqualTo(Instant.parse("2045-10-22T00:00:00Z").getEpochSecond());
    }
}
