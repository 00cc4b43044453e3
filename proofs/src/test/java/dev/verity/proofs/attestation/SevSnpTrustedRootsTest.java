package dev.verity.proofs.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.junit.jupiter.api.Test;

/**
 * The real go-sev-guest Milan report through the overload that takes its intermediates from an untrusted
 * document and its roots from trusted state; and AMD's real Turin ARK and ASK.
 */
class SevSnpTrustedRootsTest {
    private static final long JUNE_2023 = Instant.parse("2023-06-01T00:00:00Z").getEpochSecond();

    private static byte[] resource(String name) {
        try (InputStream in = SevSnpTrustedRootsTest.class.getResourceAsStream("/tee/sev-snp/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<byte[]> pem(String name) {
        return SevSnpVerifier.pemToDer(new String(resource(name), StandardCharsets.US_ASCII));
    }

    private static final byte[] REPORT = resource("attestation.bin");
    private static final byte[] VCEK = resource("vcek.testcer");
    // Each file holds the ASK, then the ARK.
    private static final List<byte[]> MILAN = pem("ask_ark_milan.pem");
    private static final List<byte[]> GENOA = pem("ask_ark_genoa.pem");
    private static final List<byte[]> TURIN = pem("ask_ark_turin.pem");
    private static final byte[] MILAN_ASK = MILAN.get(0);
    private static final byte[] MILAN_ARK = MILAN.get(1);

    /** The real report's policy allows debugging; these tests are about the chain, so they allow it. */
    private static SevSnpVerifier.Result verify(List<byte[]> intermediates, List<byte[]> trustedArks) {
        return SevSnpVerifier.verify(REPORT, VCEK, intermediates, trustedArks, JUNE_2023, true);
    }

    @Test
    void milanReportVerifiesAgainstTheTrustedMilanArk() {
        SevSnpVerifier.Result res = verify(List.of(MILAN_ASK), List.of(MILAN_ARK));
        assertThat(res.valid()).as(res.reason()).isTrue();
        SevSnpReport r = SevSnpReport.parse(REPORT);
        assertThat(res.measurement()).isEqualTo(r.measurement());
        assertThat(res.reportData()).isEqualTo(r.reportData());
        assertThat(res.reportedTcb()).isEqualTo(r.reportedTcb());
        assertThat(res.chipId()).hasSize(64).isEqualTo(r.chipId());
        assertThat(res.productLine()).isEqualTo("Milan");
        assertThat(res.signingKey()).isEqualTo("VCEK");
        assertThat(res.debugAllowed()).isTrue();
        assertThat(res.arkSha256()).isEqualTo(Sha256.digest(MILAN_ARK).bytes());
        assertThat(res.reportVersion()).isEqualTo(2);
        assertThat(res.policy()).isEqualTo(0xB0000L);
    }

    @Test
    void aDocumentMayCarryACopyOfTheTrustedArk() {
        SevSnpVerifier.Result res = verify(List.of(MILAN_ARK, MILAN_ASK), List.of(GENOA.get(1), MILAN_ARK, TURIN.get(1)));
        assertThat(res.valid()).as(res.reason()).isTrue();
        assertThat(res.arkSha256()).isEqualTo(Sha256.digest(MILAN_ARK).bytes());
    }

    @Test
    void failsWhenOnlyGenoaOrTurinIsTrusted() {
        for (List<byte[]> other : List.of(GENOA, TURIN)) {
            SevSnpVerifier.Result res = verify(List.of(MILAN_ASK), List.of(other.get(1)));
            assertThat(res.valid()).isFalse();
            assertThat(res.reason()).contains("certificate chain").contains("SEV-Milan")
                    .contains("is not issued by any of the 1 trusted ARKs");
            assertThat(res.arkSha256()).isNull();
            assertThat(res.productLine()).isNull();
        }
    }

    @Test
    void untrustedSelfSignedCertificateInTheDocumentIsRefused() {
        // The document brings the Milan ARK, but only Genoa's is trusted: it may not serve as the root.
        SevSnpVerifier.Result res = verify(List.of(MILAN_ASK, MILAN_ARK), List.of(GENOA.get(1)));
        assertThat(res.valid()).isFalse();
        assertThat(res.reason()).contains("self-signed certificate").contains("ARK-Milan").contains("not a trusted ARK");

        // A forger's own root is refused even when a genuine path to a trusted ARK exists too.
        AsymmetricCipherKeyPair key = AmdTestPki.rsaKey();
        byte[] forgedRoot = AmdTestPki.ark("ARK-Milan", key);
        SevSnpVerifier.Result forged = verify(List.of(MILAN_ASK, forgedRoot), List.of(MILAN_ARK));
        assertThat(forged.valid()).isFalse();
        assertThat(forged.reason()).contains("not a trusted ARK");
    }

    @Test
    void anIntermediateNeverServesAsARoot() {
        SevSnpVerifier.Result res = verify(List.of(MILAN_ASK), List.of(MILAN_ASK));
        assertThat(res.valid()).isFalse();
        assertThat(res.reason()).contains("trusted ARK #0").contains("is not a self-signed");
        SevSnpVerifier.Result none = verify(List.of(MILAN_ASK, MILAN_ARK), List.of());
        assertThat(none.valid()).isFalse();
        assertThat(none.reason()).contains("no trusted ARK");
        SevSnpVerifier.Result noAsk = verify(List.of(), List.of(MILAN_ARK));
        assertThat(noAsk.valid()).isFalse();
        assertThat(noAsk.reason()).contains("none of the 0 intermediate certificates");
    }

    @Test
    void theRealReportClaimingAVlekFails() {
        byte[] claimsVlek = REPORT.clone();
        claimsVlek[SevSnpReport.OFF_AUTHOR_KEY_EN] |= (byte) (SevSnpReport.SIGNING_KEY_VLEK << 2);
        assertThat(SevSnpReport.parse(claimsVlek).signingKey()).isEqualTo(SevSnpReport.SIGNING_KEY_VLEK);
        SevSnpVerifier.Result res = SevSnpVerifier.verify(claimsVlek, VCEK, List.of(MILAN_ASK), List.of(MILAN_ARK),
                JUNE_2023, true);
        assertThat(res.valid()).isFalse();
        assertThat(res.reason()).contains("VLEK"); // the bit is signed, so the signature no longer verifies
    }

    @Test
    void theRealReportStillRefusesDebugByDefault() {
        SevSnpVerifier.Result res = SevSnpVerifier.verify(REPORT, VCEK, List.of(MILAN_ASK), List.of(MILAN_ARK),
                JUNE_2023, false);
        assertThat(res.valid()).isFalse();
        assertThat(res.reason()).contains("debug");
    }

    @Test
    void legacyOverloadStillPicksTheRightChainAmongAllThreeProducts() {
        List<byte[]> all = new ArrayList<>();
        all.addAll(TURIN);
        all.addAll(GENOA);
        all.addAll(MILAN);
        SevSnpVerifier.Result res = SevSnpVerifier.verify(REPORT, VCEK, all, JUNE_2023, true);
        assertThat(res.valid()).as(res.reason()).isTrue();
        assertThat(res.arkSha256()).isEqualTo(Sha256.digest(MILAN_ARK).bytes());
        assertThat(res.productLine()).isEqualTo("Milan");
    }

    @Test
    void amdTurinArkIsSelfSignedAndIssuesTheTurinAsk() {
        assertThat(TURIN).hasSize(2);
        X509Cert ask = X509Cert.parse(TURIN.get(0), "ASK");
        X509Cert ark = X509Cert.parse(TURIN.get(1), "ARK");
        assertThat(AmdCertChain.commonName(ask.cert().getSubject())).isEqualTo("SEV-Turin");
        assertThat(AmdCertChain.commonName(ark.cert().getSubject())).isEqualTo("ARK-Turin");
        assertThat(AmdCertChain.isSelfSigned(ark)).isTrue();
        assertThat(AmdCertChain.isSelfSigned(ask)).isFalse();
        assertThat(AmdCertChain.verifyPss(ask, ark)).isTrue();
        assertThat(ark.validityProblem(JUNE_2023)).isNull();
        assertThat(ask.validityProblem(JUNE_2023)).isNull();
        assertThat(Sha256.digest(TURIN.get(1)).hex())
                .isEqualTo("1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a");
        assertThat(Sha256.digest(TURIN.get(0)).hex())
                .isEqualTo("5b77ef5fe7a7a004fd9032668fba9d0fda22f88c4442069a479636a6ae3b3185");
        assertThat(SevSnpProductLine.fromSigningKeyName(AmdCertChain.commonName(ask.cert().getSubject())))
                .isEqualTo(SevSnpProductLine.TURIN);
    }
}
