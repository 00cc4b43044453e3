package dev.verity.proofs.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TdxVerifierTest {
    private static final long JUNE_2023 = Instant.parse("2023-06-20T00:00:00Z").getEpochSecond();

    private static byte[] resource(String name) {
        try (InputStream in = TdxVerifierTest.class.getResourceAsStream("/tee/tdx/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static final byte[] QUOTE = resource("tdx_prod_quote_SPR_E4.dat");
    private static final byte[] ROOT =
            SevSnpVerifier.pemToDer(new String(resource("trusted_root.pem"), StandardCharsets.US_ASCII)).get(0);
    private static final byte[] PCK_CRL = resource("pckcrl");
    private static final byte[] ROOT_CRL = resource("rootcrl.der");

    // Offsets in the quote.
    private static final int BODY = 48;
    private static final int SIG = 48 + 584 + 4;
    private static final int ATT_KEY = SIG + 64;
    private static final int QE_REPORT = ATT_KEY + 64 + 2 + 4;
    private static final int QE_SIG = QE_REPORT + 384;
    private static final int QE_AUTH = QE_SIG + 64 + 2;

    private static byte[] flip(int offset) {
        byte[] q = QUOTE.clone();
        q[offset] ^= 0x01;
        return q;
    }

    @Test
    void parsesTheRealQuote() {
        TdxQuote q = TdxQuote.parse(QUOTE);
        assertThat(q.version()).isEqualTo(4);
        assertThat(q.attestationKeyType()).isEqualTo(2);
        assertThat(q.teeType()).isEqualTo(0x81);
        assertThat(q.mrtd()).hasSize(48);
        assertThat(q.rtmrs()).hasNumberOfRows(4);
        assertThat(q.reportData()).hasSize(64);
        assertThat(q.qeReport()).hasSize(384);
        assertThat(q.qeAuthData()).isNotEmpty();
        // The go-tdx-guest vector appends "extra bytes(only for testing purpose)" after the signature data.
        assertThat(q.trailingBytes()).isEqualTo(39);
        assertThat(SevSnpVerifier.pemToDer(new String(q.pckCertChainPem(), StandardCharsets.US_ASCII))).hasSize(3);
    }

    @Test
    void realQuoteVerifies() {
        TdxVerifier.Result r = TdxVerifier.verify(QUOTE, ROOT, JUNE_2023);
        assertThat(r.reason()).isEqualTo("ok");
        assertThat(r.valid()).isTrue();
        TdxQuote q = TdxQuote.parse(QUOTE);
        assertThat(r.mrtd()).isEqualTo(q.mrtd());
        assertThat(r.reportData()).isEqualTo(q.reportData());
        assertThat(r.rtmrs()).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(r.rtmrs().get(i)).isEqualTo(q.rtmrs()[i]);
        }
    }

    @Test
    void realQuoteVerifiesWithCrls() {
        TdxVerifier.Result r = TdxVerifier.verify(QUOTE, ROOT, List.of(PCK_CRL, ROOT_CRL), JUNE_2023);
        assertThat(r.reason()).isEqualTo("ok");
    }

    @Test
    void staleCrlIsRejected() {
        // pckcrl: thisUpdate 2023-06-08, nextUpdate 2023-07-08; the certificates are still valid in August.
        long august = Instant.parse("2023-08-01T00:00:00Z").getEpochSecond();
        assertThat(TdxVerifier.verify(QUOTE, ROOT, august).valid()).isTrue();
        TdxVerifier.Result r = TdxVerifier.verify(QUOTE, ROOT, List.of(PCK_CRL, ROOT_CRL), august);
        assertThat(r.valid()).isFalse();
        assertThat(r.reason()).contains("is stale");
    }

    @Test
    void missingCrlIsRejected() {
        TdxVerifier.Result r = TdxVerifier.verify(QUOTE, ROOT, List.of(ROOT_CRL), JUNE_2023);
        assertThat(r.valid()).isFalse();
        assertThat(r.reason()).contains("no CRL signed by");
    }

    @Test
    void flippedHeaderOrBodyBreaksQuoteSignature() {
        for (int off : new int[] {20, 47, BODY + 200, BODY + 583}) {
            TdxVerifier.Result r = TdxVerifier.verify(flip(off), ROOT, JUNE_2023);
            assertThat(r.valid()).as("offset " + off).isFalse();
            assertThat(r.reason()).as("offset " + off).isEqualTo("the quote signature does not verify under the attestation key");
        }
    }

    @Test
    void flippedSignatureIsRejected() {
        TdxVerifier.Result r = TdxVerifier.verify(flip(SIG + 5), ROOT, JUNE_2023);
        assertThat(r.valid()).isFalse();
        assertThat(r.reason()).isEqualTo("the quote signature does not verify under the attestation key");
    }

    @Test
    void flippedAttestationKeyIsRejected() {
        TdxVerifier.Result r = TdxVerifier.verify(flip(ATT_KEY + 10), ROOT, JUNE_2023);
        assertThat(r.valid()).isFalse();
        assertThat(r.reason()).isIn("the attestation key is not a point on P-256",
                "the quote signature does not verify under the attestation key");
    }

    @Test
    void flippedQeReportIsRejected() {
        for (int off : new int[] {QE_REPORT + 3, QE_REPORT + 320}) {
            TdxVerifier.Result r = TdxVerifier.verify(flip(off), ROOT, JUNE_2023);
            assertThat(r.valid()).isFalse();
            assertThat(r.reason()).isEqualTo("the QE report signature does not verify under the PCK leaf certificate");
        }
    }

    @Test
    void flippedQeReportSignatureIsRejected() {
        TdxVerifier.Result r = TdxVerifier.verify(flip(QE_SIG + 40), ROOT, JUNE_2023);
        assertThat(r.reason()).isEqualTo("the QE report signature does not verify under the PCK leaf certificate");
    }

    @Test
    void flippedQeAuthDataBreaksBinding() {
        TdxVerifier.Result r = TdxVerifier.verify(flip(QE_AUTH), ROOT, JUNE_2023);
        assertThat(r.valid()).isFalse();
        assertThat(r.reason()).isEqualTo("the QE report data does not match SHA-256(attestation key || QE auth data)");
    }

    @Test
    void timeOutsideValidityIsRejected() {
        TdxVerifier.Result early = TdxVerifier.verify(QUOTE, ROOT, Instant.parse("2015-01-01T00:00:00Z").getEpochSecond());
        assertThat(early.valid()).isFalse();
        assertThat(early.reason()).contains("is not yet valid");
        TdxVerifier.Result late = TdxVerifier.verify(QUOTE, ROOT, Instant.parse("2040-01-01T00:00:00Z").getEpochSecond());
        assertThat(late.valid()).isFalse();
        assertThat(late.reason()).contains("has expired");
    }

    @Test
    void differentRootIsRejected() {
        byte[] other = ROOT.clone();
        other[other.length - 3] ^= 0x01;
        TdxVerifier.Result r = TdxVerifier.verify(QUOTE, other, JUNE_2023);
        assertThat(r.valid()).isFalse();
        assertThat(r.reason()).isEqualTo("the chain's root certificate is not the trusted root");
        byte[] sevArk = SevSnpVerifier.pemToDer(new String(
                resourceSev("ask_ark_milan.pem"), StandardCharsets.US_ASCII)).get(1);
        assertThat(TdxVerifier.verify(QUOTE, sevArk, JUNE_2023).valid()).isFalse();
    }

    private static byte[] resourceSev(String name) {
        try (InputStream in = TdxVerifierTest.class.getResourceAsStream("/tee/sev-snp/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void truncatedQuoteHasClearParseError() {
        assertThatThrownBy(() -> TdxQuote.parse(Arrays.copyOf(QUOTE, 40)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated TDX quote: header");
        assertThatThrownBy(() -> TdxQuote.parse(Arrays.copyOf(QUOTE, 300)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated TDX quote: TD report body");
        int declaredEnd = QUOTE.length - TdxQuote.parse(QUOTE).trailingBytes();
        assertThatThrownBy(() -> TdxQuote.parse(Arrays.copyOf(QUOTE, declaredEnd - 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated TDX quote: signature data length");
        TdxVerifier.Result r = TdxVerifier.verify(Arrays.copyOf(QUOTE, 100), ROOT, JUNE_2023);
        assertThat(r.valid()).isFalse();
        assertThat(r.reason()).contains("truncated TDX quote");
    }

    @Test
    void wrongVersionIsRejected() {
        byte[] q = QUOTE.clone();
        q[0] = 3;
        assertThatThrownBy(() -> TdxQuote.parse(q)).hasMessage("unsupported TDX quote version 3 (expected 4 or 5)");
    }
}
