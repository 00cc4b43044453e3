package dev.verity.proofs.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.Certificate;
import org.junit.jupiter.api.Test;

/** TDX TCB collateral on Intel's real data: the go-tdx-guest quote, TCB info, QE identity and Intel's TCB signing certificate. */
class TdxCollateralTest {
    private static final long JUNE_20 = Instant.parse("2023-06-20T00:00:00Z").getEpochSecond();

    private static byte[] resource(String name) {
        try (InputStream in = TdxCollateralTest.class.getResourceAsStream("/tee/tdx/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<byte[]> pem(String name) {
        return SevSnpVerifier.pemToDer(new String(resource(name), StandardCharsets.US_ASCII));
    }

    private static final byte[] QUOTE = resource("tdx_prod_quote_SPR_E4.dat");
    private static final byte[] ROOT = pem("trusted_root.pem").get(0);
    private static final List<byte[]> CRLS = List.of(resource("pckcrl"), resource("rootcrl.der"));
    private static final byte[] TCB_INFO = resource("sample_tcbInfo_response");
    private static final byte[] QE_IDENTITY = resource("sample_qeIdentity_response");
    /** Intel's "Intel SGX TCB Signing" certificate, then the root, as PCS sends them. */
    private static final List<byte[]> SIGNING_CHAIN = pem("tcb_signing_chain.pem");

    private static final String TCB_SIG_REASON = "the TCB info signature does not verify under the TCB signing certificate";
    private static final String QE_SIG_REASON = "the QE identity signature does not verify under the TCB signing certificate";

    private static TdxCollateral collateral(byte[] tcbInfo, byte[] qeIdentity) {
        return new TdxCollateral(tcbInfo, qeIdentity, SIGNING_CHAIN);
    }

    private static TdxVerifier.Result verify(TdxCollateral c, List<byte[]> crls, long time) {
        return TdxVerifier.verify(QUOTE, ROOT, crls, c, time);
    }

    @Test
    void signingChainIsIntelsTcbSigningCertificateAndRoot() {
        assertThat(SIGNING_CHAIN).hasSize(2);
        assertThat(SIGNING_CHAIN.get(1)).isEqualTo(ROOT);
        assertThat(Certificate.getInstance(SIGNING_CHAIN.get(0)).getSubject().toString()).startsWith("CN=Intel SGX TCB Signing");
    }

    @Test
    void realQuoteWithRealCollateralIsValidAndItsPlatformHasNoTcbLevel() throws Exception {
        for (List<byte[]> crls : java.util.Arrays.asList(CRLS, null)) {
            TdxVerifier.Result r = verify(collateral(TCB_INFO, QE_IDENTITY), crls, JUNE_20);
            assertThat(r.reason()).isEqualTo("ok");
            assertThat(r.valid()).isTrue();
            // The PCK certificate certifies SGX TCB components 3,3,2,2,2,1,0,2,0.. (PCE SVN 11), but both
            // levels of the TCB info (UpToDate with PCE SVN 11, OutOfDate with PCE SVN 5) require
            // components 5,5,2,2,3,1,0,3,0..; the first component (3 < 5) already rules both out. (TEE_TCB_SVN
            // 03 00 04 .. would fail them too: both require 5 for TDX component 2.) So no level applies:
            // this pre-production platform is not supported by this TCB info.
            assertThat(r.platformTcbStatus()).isEqualTo("TcbLevelNotSupported");
            assertThat(r.tcbStatus()).isEqualTo("TcbLevelNotSupported");
            // The QE report's ISVSVN is 4, and the QE identity's one level is {isvsvn 4: UpToDate}.
            assertThat(r.qeTcbStatus()).isEqualTo("UpToDate");
            assertThat(HexFormat.of().formatHex(r.fmspc())).isEqualTo("50806f000000");
            assertThat(HexFormat.of().formatHex(r.teeTcbSvn())).isEqualTo("03000400000000000000000000000000");
            assertThat(r.debug()).isFalse();
            byte[] leaf = SevSnpVerifier.pemToDer(new String(TdxQuote.parse(QUOTE).pckCertChainPem(),
                    StandardCharsets.US_ASCII)).get(0);
            byte[] spki = Certificate.getInstance(leaf).getSubjectPublicKeyInfo().getEncoded(ASN1Encoding.DER);
            assertThat(r.chipId()).isEqualTo(Sha256.digest(spki).bytes());
        }
    }

    @Test
    void withoutCollateralThereIsNoTcbStatusButThePlatformFields() {
        TdxVerifier.Result r = TdxVerifier.verify(QUOTE, ROOT, CRLS, JUNE_20);
        assertThat(r.valid()).isTrue();
        assertThat(r.tcbStatus()).isNull();
        assertThat(r.platformTcbStatus()).isNull();
        assertThat(r.qeTcbStatus()).isNull();
        assertThat(r.fmspc()).hasSize(6);
        assertThat(r.teeTcbSvn()).hasSize(16);
        assertThat(r.chipId()).hasSize(32);
    }

    /** The byte range of the value of {@code key} in the document, found textually (the test's own way). */
    private static int[] bodySpan(byte[] doc, String key) {
        String s = new String(doc, StandardCharsets.US_ASCII);
        int start = s.indexOf("{", s.indexOf("\"" + key + "\""));
        int end = s.lastIndexOf(",\"signature\"");
        return new int[] {start, end};
    }

    @Test
    void everyByteOfTheSignedTcbInfoIsCovered() {
        assertEveryBodyByteIsCovered(TCB_INFO, "tcbInfo", true);
    }

    @Test
    void everyByteOfTheSignedQeIdentityIsCovered() {
        assertEveryBodyByteIsCovered(QE_IDENTITY, "enclaveIdentity", false);
    }

    /**
     * Changes each byte of the signed value in turn: either the document no longer parses (there is no
     * signed value to check) or the signature fails. Every change is checked at the level of the
     * document and its signature (thousands of whole-quote runs would be slow); a spread of them goes
     * through the whole verifier for its reason.
     */
    private static void assertEveryBodyByteIsCovered(byte[] original, String key, boolean isTcbInfo) {
        String what = isTcbInfo ? "TCB info" : "QE identity";
        String sigReason = isTcbInfo ? TCB_SIG_REASON : QE_SIG_REASON;
        var signer = EcdsaP256.key(Certificate.getInstance(SIGNING_CHAIN.get(0)).getSubjectPublicKeyInfo());
        int[] span = bodySpan(original, key);
        int bySignature = 0;
        for (int i = span[0]; i < span[1]; i++) {
            byte[] doc = original.clone();
            doc[i] ^= 0x01;
            try {
                IntelSignedJson signed = IntelSignedJson.parse(doc, key, what);
                assertThat(EcdsaP256.verifyRaw(signer, signed.signedBytes(), signed.signature())).as("offset %d", i).isFalse();
                bySignature++;
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).as("offset %d", i).startsWith("the " + what + " is not");
            }
            if ((i - span[0]) % 97 == 0) {
                TdxVerifier.Result r = verify(isTcbInfo ? collateral(doc, QE_IDENTITY) : collateral(TCB_INFO, doc), CRLS, JUNE_20);
                assertThat(r.valid()).as("offset %d", i).isFalse();
                assertThat(r.reason()).as("offset %d", i).satisfiesAnyOf(
                        reason -> assertThat(reason).isEqualTo(sigReason),
                        reason -> assertThat(reason).startsWith("the " + what + " is not"));
            }
        }
        assertThat(bySignature).isGreaterThan((span[1] - span[0]) / 2);
    }

    /** Replaces the hex digit at {@code offset} by another hex digit. */
    private static byte[] otherHexDigit(byte[] doc, int offset) {
        byte[] out = doc.clone();
        out[offset] = (byte) (out[offset] == '0' ? '1' : '0');
        return out;
    }

    @Test
    void changedSignaturesAreRejected() {
        int tcbSig = new String(TCB_INFO, StandardCharsets.US_ASCII).indexOf("\"signature\":\"") + 13;
        int qeSig = new String(QE_IDENTITY, StandardCharsets.US_ASCII).indexOf("\"signature\":\"") + 13;
        for (int k : new int[] {0, 31, 64, 127}) {
            assertThat(verify(collateral(otherHexDigit(TCB_INFO, tcbSig + k), QE_IDENTITY), CRLS, JUNE_20).reason())
                    .isEqualTo(TCB_SIG_REASON);
            assertThat(verify(collateral(TCB_INFO, otherHexDigit(QE_IDENTITY, qeSig + k)), CRLS, JUNE_20).reason())
                    .isEqualTo(QE_SIG_REASON);
        }
        byte[] truncated = new String(TCB_INFO, StandardCharsets.US_ASCII).replaceFirst("\"signature\":\"..", "\"signature\":\"")
                .getBytes(StandardCharsets.US_ASCII);
        assertThat(verify(collateral(truncated, QE_IDENTITY), CRLS, JUNE_20).reason())
                .isEqualTo("the TCB info signature is not 64 bytes of hex");
    }

    @Test
    void collateralIsOnlyValidFromIssueUntilNextUpdate() {
        // QE identity: issued 2023-06-08T07:24:59Z, next update 2023-07-08T07:24:59Z.
        // TCB info: issued 2023-06-18T08:42:58Z, next update 2023-07-18T08:42:58Z. (No CRLs: they go stale first.)
        TdxCollateral c = collateral(TCB_INFO, QE_IDENTITY);
        long qeNextUpdate = Instant.parse("2023-07-08T07:24:59Z").getEpochSecond();
        assertThat(verify(c, null, qeNextUpdate - 1).valid()).isTrue();
        TdxVerifier.Result qeExpired = verify(c, null, qeNextUpdate);
        assertThat(qeExpired.valid()).isFalse();
        assertThat(qeExpired.reason()).isEqualTo("the QE identity has expired at " + qeNextUpdate + " (next update "
                + qeNextUpdate + ")");
        TdxVerifier.Result tcbExpired = verify(c, null, Instant.parse("2023-07-20T00:00:00Z").getEpochSecond());
        assertThat(tcbExpired.valid()).isFalse();
        assertThat(tcbExpired.reason()).startsWith("the TCB info has expired at ");
        long tcbIssued = Instant.parse("2023-06-18T08:42:58Z").getEpochSecond();
        assertThat(verify(c, null, tcbIssued).valid()).isTrue();
        TdxVerifier.Result early = verify(c, null, tcbIssued - 1);
        assertThat(early.valid()).isFalse();
        assertThat(early.reason()).startsWith("the TCB info is not yet issued at ");
    }

    @Test
    void signingCertificateMustBeTheTcbSignerUnderTheRoot() {
        assertThat(verify(new TdxCollateral(TCB_INFO, QE_IDENTITY, List.of(ROOT)), CRLS, JUNE_20).reason())
                .isEqualTo("the TCB signing certificate is self-signed");
        List<byte[]> pckChain = SevSnpVerifier.pemToDer(new String(TdxQuote.parse(QUOTE).pckCertChainPem(),
                StandardCharsets.US_ASCII));
        assertThat(verify(new TdxCollateral(TCB_INFO, QE_IDENTITY, List.of(pckChain.get(1))), CRLS, JUNE_20).reason())
                .startsWith("the TCB signing certificate's subject CN=Intel SGX PCK Platform CA");
        assertThat(verify(new TdxCollateral(TCB_INFO, QE_IDENTITY, List.of(SIGNING_CHAIN.get(0), pckChain.get(1))), CRLS,
                JUNE_20).reason()).isEqualTo("the TCB signing chain holds a certificate other than the signing certificate "
                + "and the trusted root");
        assertThat(verify(new TdxCollateral(TCB_INFO, QE_IDENTITY, List.of()), CRLS, JUNE_20).reason())
                .isEqualTo("the TCB signing chain is empty");
        byte[] badSig = SIGNING_CHAIN.get(0).clone();
        badSig[badSig.length - 5] ^= 0x01;
        assertThat(verify(new TdxCollateral(TCB_INFO, QE_IDENTITY, List.of(badSig)), CRLS, JUNE_20).reason())
                .isEqualTo("the TCB signing certificate's signature does not verify under the root certificate");
        TdxVerifier.Result expired = verify(collateral(TCB_INFO, QE_IDENTITY), null,
                Instant.parse("2025-06-01T00:00:00Z").getEpochSecond());
        assertThat(expired.valid()).isFalse();
    }

    @Test
    void documentsMustBeTheRightOnes() {
        assertThat(verify(collateral(QE_IDENTITY, QE_IDENTITY), CRLS, JUNE_20).reason())
                .isEqualTo("the TCB info is not {\"tcbInfo\":{...},\"signature\":\"hex\"}");
        assertThat(verify(collateral(TCB_INFO, TCB_INFO), CRLS, JUNE_20).reason())
                .isEqualTo("the QE identity is not {\"enclaveIdentity\":{...},\"signature\":\"hex\"}");
        assertThat(verify(collateral("[]".getBytes(StandardCharsets.US_ASCII), QE_IDENTITY), CRLS, JUNE_20).reason())
                .isEqualTo("the TCB info is not a JSON object");
        assertThat(verify(collateral("{\"tcbInfo\":1.5}".getBytes(StandardCharsets.US_ASCII), QE_IDENTITY), CRLS, JUNE_20)
                .reason()).isEqualTo("the TCB info is not well-formed JSON: only integers are accepted at byte 12");
    }

    @Test
    void rootCrlIsRequiredWhenCrlsAreGiven() {
        TdxVerifier.Result r = verify(collateral(TCB_INFO, QE_IDENTITY), List.of(resource("pckcrl")), JUNE_20);
        assertThat(r.valid()).isFalse();
        assertThat(r.reason()).startsWith("no CRL signed by CN=Intel SGX Root CA");
    }
}
