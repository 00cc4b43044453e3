package dev.verity.proofs.attestation;

import static dev.verity.proofs.attestation.TdxTestPki.NOW;
import static dev.verity.proofs.attestation.TdxTestPki.PCE_SVN;
import static dev.verity.proofs.attestation.TdxTestPki.SGX_SVNS;
import static dev.verity.proofs.attestation.TdxTestPki.isvLevel;
import static dev.verity.proofs.attestation.TdxTestPki.level;
import static dev.verity.proofs.attestation.TdxTestPki.moduleIdentity;
import static dev.verity.proofs.attestation.TdxTestPki.qeIdentity;
import static dev.verity.proofs.attestation.TdxTestPki.tcbInfo;
import static dev.verity.proofs.attestation.TdxTestPki.tdx;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Intel's TCB evaluation on a test PKI whose collateral the tests write: every status path. */
class TdxTcbEvaluationTest {
    private static final TdxTestPki PKI = new TdxTestPki();
    private static final int[] NEWER_SGX = {6, 6, 2, 2, 3, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final String QE_UP_TO_DATE = qeIdentity(isvLevel(4, "UpToDate"), isvLevel(2, "OutOfDate"));

    private static TdxVerifier.Result verify(TdxTestPki.QuoteSpec spec, String tcbInfo, String qeIdentity) {
        return TdxVerifier.verify(PKI.quote(spec), PKI.root, PKI.crls(), PKI.collateral(tcbInfo, qeIdentity), NOW);
    }

    private static TdxVerifier.Result verify(String tcbInfo, String qeIdentity) {
        return verify(new TdxTestPki.QuoteSpec(), tcbInfo, qeIdentity);
    }

    private static void assertStatuses(TdxVerifier.Result r, String combined, String platform, String qe) {
        assertThat(r.reason()).isEqualTo("ok");
        assertThat(r.tcbStatus()).as("combined").isEqualTo(combined);
        assertThat(r.platformTcbStatus()).as("platform").isEqualTo(platform);
        assertThat(r.qeTcbStatus()).as("QE").isEqualTo(qe);
    }

    @Test
    void platformAtTheNewestLevelIsUpToDate() {
        assertStatuses(verify(tcbInfo(level(SGX_SVNS, PCE_SVN, tdx(3, 0, 5), "UpToDate"),
                level(SGX_SVNS, 5, tdx(3, 0, 5), "OutOfDate")), QE_UP_TO_DATE), "UpToDate", "UpToDate", "UpToDate");
    }

    @Test
    void firstLevelReachedInOrderGivesTheStatus() {
        // SGX components below the newest level's: the next level applies.
        assertStatuses(verify(tcbInfo(level(NEWER_SGX, PCE_SVN, tdx(3, 0, 5), "UpToDate"),
                level(SGX_SVNS, PCE_SVN, tdx(3, 0, 5), "SWHardeningNeeded"),
                level(SGX_SVNS, 5, tdx(3, 0, 5), "OutOfDate")), QE_UP_TO_DATE),
                "SWHardeningNeeded", "SWHardeningNeeded", "UpToDate");
        // PCE SVN below the newest level's.
        assertStatuses(verify(tcbInfo(level(SGX_SVNS, PCE_SVN + 1, tdx(3, 0, 5), "UpToDate"),
                level(SGX_SVNS, 5, tdx(3, 0, 5), "OutOfDate")), QE_UP_TO_DATE), "OutOfDate", "OutOfDate", "UpToDate");
        // A TDX component (TEE_TCB_SVN[2] = 5) below the newest level's.
        assertStatuses(verify(tcbInfo(level(SGX_SVNS, PCE_SVN, tdx(3, 0, 6), "UpToDate"),
                level(SGX_SVNS, PCE_SVN, tdx(3, 0, 5), "ConfigurationNeeded")), QE_UP_TO_DATE),
                "ConfigurationNeeded", "ConfigurationNeeded", "UpToDate");
    }

    @Test
    void noLevelReachedIsNotSupported() {
        assertStatuses(verify(tcbInfo(level(NEWER_SGX, PCE_SVN, tdx(3, 0, 5), "UpToDate")), QE_UP_TO_DATE),
                "TcbLevelNotSupported", "TcbLevelNotSupported", "UpToDate");
        assertStatuses(verify(tcbInfo(level(SGX_SVNS, PCE_SVN, tdx(3, 0, 5), "UpToDate")),
                qeIdentity(isvLevel(5, "UpToDate"))), "TcbLevelNotSupported", "UpToDate", "TcbLevelNotSupported");
    }

    @Test
    void qeStatusConvergesIntoTheCombinedStatus() {
        String upToDate = tcbInfo(level(SGX_SVNS, PCE_SVN, tdx(3, 0, 5), "UpToDate"));
        String qeOutOfDate = qeIdentity(isvLevel(5, "UpToDate"), isvLevel(3, "OutOfDate"));
        assertStatuses(verify(upToDate, qeOutOfDate), "OutOfDate", "UpToDate", "OutOfDate");
        assertStatuses(verify(tcbInfo(level(SGX_SVNS, PCE_SVN, tdx(3, 0, 5), "ConfigurationAndSWHardeningNeeded")),
                qeOutOfDate), "OutOfDateConfigurationNeeded", "ConfigurationAndSWHardeningNeeded", "OutOfDate");
        assertStatuses(verify(upToDate, qeIdentity(isvLevel(5, "UpToDate"), isvLevel(0, "Revoked"))),
                "Revoked", "UpToDate", "Revoked");
        assertStatuses(verify(tcbInfo(level(SGX_SVNS, PCE_SVN, tdx(3, 0, 5), "Revoked")), QE_UP_TO_DATE),
                "Revoked", "Revoked", "UpToDate");
    }

    @Test
    void tdxModuleWithAMajorVersionIsRatedByItsIdentity() {
        TdxTestPki.QuoteSpec spec = new TdxTestPki.QuoteSpec();
        spec.teeTcbSvn = new byte[] {2, 3, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // module 3, SVN 2
        // Components 0 and 1 of the level (here 9, 9) are the module's and not compared.
        String level = level(SGX_SVNS, PCE_SVN, tdx(9, 9, 5), "UpToDate");
        assertStatuses(verify(spec, TdxTestPki.tcbInfoFor(TdxTestPki.FMSPC, moduleIdentity("TDX_03", isvLevel(2, "UpToDate")), level),
                QE_UP_TO_DATE), "UpToDate", "UpToDate", "UpToDate");
        assertStatuses(verify(spec, TdxTestPki.tcbInfoFor(TdxTestPki.FMSPC, moduleIdentity("TDX_03", isvLevel(3, "UpToDate"),
                isvLevel(1, "OutOfDate")), level), QE_UP_TO_DATE), "OutOfDate", "UpToDate", "UpToDate");
        assertStatuses(verify(spec, TdxTestPki.tcbInfoFor(TdxTestPki.FMSPC, moduleIdentity("TDX_03", isvLevel(3, "UpToDate")), level),
                QE_UP_TO_DATE), "TcbLevelNotSupported", "UpToDate", "UpToDate");
        TdxVerifier.Result noIdentity = verify(spec, TdxTestPki.tcbInfoFor(TdxTestPki.FMSPC, moduleIdentity("TDX_01",
                isvLevel(0, "UpToDate")), level), QE_UP_TO_DATE);
        assertThat(noIdentity.valid()).isFalse();
        assertThat(noIdentity.reason()).isEqualTo("the TCB info has no TDX module identity for the quote's TDX module "
                + "major version 3");
        // Without a major version, all 16 TDX components count: TEE_TCB_SVN[0] = 3 < 9.
        assertStatuses(verify(tcbInfo(level)), "TcbLevelNotSupported", "TcbLevelNotSupported", "UpToDate");
    }

    private static TdxVerifier.Result verify(String tcbInfo) {
        return verify(tcbInfo, QE_UP_TO_DATE);
    }

    private static final String UP_TO_DATE = tcbInfo(level(SGX_SVNS, PCE_SVN, tdx(3, 0, 5), "UpToDate"));

    @Test
    void collateralForAnotherPlatformIsRejected() {
        TdxVerifier.Result r = verify(TdxTestPki.tcbInfoFor("00a06f000000", null, level(SGX_SVNS, PCE_SVN, tdx(3, 0, 5), "UpToDate")));
        assertThat(r.valid()).isFalse();
        assertThat(r.reason()).isEqualTo("the TCB info is for FMSPC 00a06f000000, the PCK certificate's FMSPC is 00906ed50000");
    }

    @Test
    void aQeOrTdxModuleThatIsNotIntelsIsRejected() {
        TdxTestPki.QuoteSpec otherQe = new TdxTestPki.QuoteSpec();
        otherQe.qeMrSigner = new byte[32];
        assertThat(verify(otherQe, UP_TO_DATE, QE_UP_TO_DATE).reason()).isEqualTo("the QE report's MRSIGNER is not the QE identity's");
        TdxTestPki.QuoteSpec otherProduct = new TdxTestPki.QuoteSpec();
        otherProduct.qeIsvProdId = 1;
        assertThat(verify(otherProduct, UP_TO_DATE, QE_UP_TO_DATE).reason())
                .isEqualTo("the QE report's ISVPRODID 1 is not the QE identity's 2");
        TdxTestPki.QuoteSpec otherModule = new TdxTestPki.QuoteSpec();
        otherModule.mrSignerSeam = TdxTestPki.filled(48, 1);
        assertThat(verify(otherModule, UP_TO_DATE, QE_UP_TO_DATE).reason())
                .isEqualTo("the TD report's MRSIGNERSEAM is not the TDX module signer of the TCB info");
        String strictAttributes = QE_UP_TO_DATE.replace("FBFFFFFFFFFFFFFF0000000000000000", "FFFFFFFFFFFFFFFF0000000000000000");
        assertThat(verify(UP_TO_DATE, strictAttributes).reason()).isEqualTo("the QE report's ATTRIBUTES do not match the QE identity");
    }

    @Test
    void revokedTcbSigningCertificateIsRejected() {
        TdxCollateral c = PKI.collateral(UP_TO_DATE, QE_UP_TO_DATE);
        byte[] quote = PKI.quote(new TdxTestPki.QuoteSpec());
        assertThat(TdxVerifier.verify(quote, PKI.root, PKI.crls(), c, NOW).valid()).isTrue();
        TdxVerifier.Result r = TdxVerifier.verify(quote, PKI.root, PKI.crls(3), c, NOW);
        assertThat(r.valid()).isFalse();
        assertThat(r.reason()).isEqualTo("the TCB signing certificate (serial 3) is revoked");
        // Without CRLs nothing is checked for revocation.
        assertThat(TdxVerifier.verify(quote, PKI.root, null, c, NOW).valid()).isTrue();
    }

    @Test
    void debugTdIsAuthenticAndReportedAsDebug() {
        TdxTestPki.QuoteSpec spec = new TdxTestPki.QuoteSpec();
        spec.tdAttributes |= 1;
        TdxVerifier.Result r = verify(spec, UP_TO_DATE, QE_UP_TO_DATE);
        assertThat(r.valid()).isTrue();
        assertThat(r.debug()).isTrue();
        assertThat(verify(UP_TO_DATE, QE_UP_TO_DATE).debug()).isFalse();
    }

    @Test
    void chipIdIsTheHashOfThePckKey() {
        TdxVerifier.Result r = verify(UP_TO_DATE, QE_UP_TO_DATE);
        assertThat(r.chipId()).isEqualTo(dev.verity.core.Sha256.digest(spkiDer(PKI.pckKey)).bytes());
        TdxTestPki other = new TdxTestPki();
        assertThat(Arrays.equals(other.pck, PKI.pck)).isTrue(); // deterministic: same keys, same certificates
    }

    private static byte[] spkiDer(TdxTestPki.Key k) {
        try {
            return k.spki().getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unknownStatusInTheCollateralIsMalformed() {
        TdxVerifier.Result r = verify(tcbInfo(level(SGX_SVNS, PCE_SVN, tdx(3, 0, 5), "Fine")));
        assertThat(r.valid()).isFalse();
        assertThat(r.reason()).isEqualTo("malformed TCB info: unknown tcbStatus \"Fine\"");
    }

    @Test
    void collateralTimesAreChecked() {
        TdxCollateral c = PKI.collateral(UP_TO_DATE, QE_UP_TO_DATE);
        byte[] quote = PKI.quote(new TdxTestPki.QuoteSpec());
        long next = TdxTestPki.epoch(TdxTestPki.NEXT_UPDATE);
        assertThat(TdxVerifier.verify(quote, PKI.root, null, c, next - 1).valid()).isTrue();
        assertThat(TdxVerifier.verify(quote, PKI.root, null, c, next).reason())
                .isEqualTo("the TCB info has expired at " + next + " (next update " + next + ")");
    }
}
