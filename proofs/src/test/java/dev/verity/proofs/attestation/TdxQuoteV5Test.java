package dev.verity.proofs.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** TDX quote format version 5 (body type and size before the TD report; TD report 1.5), signed end to end by a test PKI. */
class TdxQuoteV5Test {
    private static final TdxTestPki PKI = new TdxTestPki();
    private static final String TCB_INFO = TdxTestPki.tcbInfo(TdxTestPki.level(TdxTestPki.SGX_SVNS, TdxTestPki.PCE_SVN,
            TdxTestPki.tdx(3, 0, 5), "UpToDate"));
    private static final String QE_IDENTITY = TdxTestPki.qeIdentity(TdxTestPki.isvLevel(4, "UpToDate"));

    private static TdxTestPki.QuoteSpec v5(int bodyType) {
        TdxTestPki.QuoteSpec s = new TdxTestPki.QuoteSpec();
        s.version = 5;
        s.bodyType = bodyType;
        return s;
    }

    @Test
    void parsesTdReport15() {
        TdxTestPki.QuoteSpec spec = v5(3);
        byte[] bytes = PKI.quote(spec);
        TdxQuote q = TdxQuote.parse(bytes);
        assertThat(q.version()).isEqualTo(5);
        assertThat(q.bodyType()).isEqualTo(TdxQuote.BODY_TD_REPORT_15);
        assertThat(q.body()).hasSize(648);
        assertThat(q.teeTcbSvn()).isEqualTo(spec.teeTcbSvn);
        assertThat(q.teeTcbSvn2()).isEqualTo(spec.teeTcbSvn2);
        assertThat(q.mrServiceTd()).isEqualTo(spec.mrServiceTd);
        assertThat(q.mrtd()).isEqualTo(spec.mrtd);
        assertThat(q.reportData()).isEqualTo(spec.reportData);
        assertThat(q.trailingBytes()).isZero();
        // Intel signs header || body type || body size || TD report for version 5.
        assertThat(q.signedBytes()).isEqualTo(Arrays.copyOf(bytes, 48 + 6 + 648));
        assertThat(TdxQuote.u16(bytes, 48)).isEqualTo(3);
        assertThat(TdxQuote.u32(bytes, 50)).isEqualTo(648);
    }

    @Test
    void parsesTdReport10InVersion5() {
        TdxQuote q = TdxQuote.parse(PKI.quote(v5(2)));
        assertThat(q.version()).isEqualTo(5);
        assertThat(q.bodyType()).isEqualTo(TdxQuote.BODY_TD_REPORT_10);
        assertThat(q.body()).hasSize(584);
        assertThat(q.teeTcbSvn2()).isNull();
        assertThat(q.mrServiceTd()).isNull();
    }

    @Test
    void version4HasNoBodyDescriptor() {
        byte[] bytes = PKI.quote(new TdxTestPki.QuoteSpec());
        TdxQuote q = TdxQuote.parse(bytes);
        assertThat(q.version()).isEqualTo(4);
        assertThat(q.bodyType()).isEqualTo(TdxQuote.BODY_TD_REPORT_10);
        assertThat(q.signedBytes()).isEqualTo(Arrays.copyOf(bytes, 48 + 584));
    }

    @Test
    void version5VerifiesEndToEndWithCollateral() {
        for (int bodyType : new int[] {2, 3}) {
            TdxVerifier.Result r = TdxVerifier.verify(PKI.quote(v5(bodyType)), PKI.root, PKI.crls(),
                    PKI.collateral(TCB_INFO, QE_IDENTITY), TdxTestPki.NOW);
            assertThat(r.reason()).as("body type %d", bodyType).isEqualTo("ok");
            assertThat(r.tcbStatus()).isEqualTo("UpToDate");
            assertThat(r.teeTcbSvn()).isEqualTo(new TdxTestPki.QuoteSpec().teeTcbSvn);
        }
    }

    @Test
    void everySignedByteOfAVersion5QuoteIsCovered() {
        byte[] bytes = PKI.quote(v5(3));
        for (int off : new int[] {0x0C, 47, 48 + 6, 48 + 6 + 100, 48 + 6 + 583, 48 + 6 + 584, 48 + 6 + 647}) {
            byte[] changed = bytes.clone();
            changed[off] ^= 0x01;
            TdxVerifier.Result r = TdxVerifier.verify(changed, PKI.root, TdxTestPki.NOW);
            assertThat(r.valid()).as("offset %d", off).isFalse();
            assertThat(r.reason()).as("offset %d", off).isEqualTo("the quote signature does not verify under the attestation key");
        }
    }

    @Test
    void badBodyDescriptorIsRejected() {
        byte[] wrongType = PKI.quote(v5(3));
        wrongType[48] = 1; // an SGX enclave report
        assertThatThrownBy(() -> TdxQuote.parse(wrongType)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported TDX quote body type 1 (expected 2, TD report 1.0, or 3, TD report 1.5)");
        byte[] wrongSize = PKI.quote(v5(3));
        wrongSize[50] = (byte) 0x48; // 0x288 (648) becomes 0x248 (584), the size of a TD report 1.0
        assertThatThrownBy(() -> TdxQuote.parse(wrongSize)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TDX quote body size 584 does not match body type 3 (648 bytes)");
        byte[] mismatch = PKI.quote(v5(3));
        mismatch[48] = 2; // says TD report 1.0, sized like 1.5
        assertThatThrownBy(() -> TdxQuote.parse(mismatch)).hasMessage("TDX quote body size 648 does not match body type 2 (584 bytes)");
    }
}
