package dev.verity.proofs.attestation;

import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * Checks that TDX collateral is Intel's and current: the TCB signing certificate chains to the trusted
 * root, is valid and (when CRLs are given) not revoked by the root's CRL; the TCB info and QE identity
 * signatures verify under it over the exact bytes served; both are issued and not yet due for update
 * at the given time.
 */
final class TdxCollateralVerifier {
    static final String SIGNING_CN = "Intel SGX TCB Signing";

    private TdxCollateralVerifier() {}

    /** Either both documents (problem null) or why the collateral is not acceptable. */
    record Checked(TdxTcbInfo tcbInfo, TdxQeIdentity qeIdentity, String problem) {
        static Checked failed(String problem) {
            return new Checked(null, null, problem);
        }
    }

    /**
     * @param root the trusted root, already checked (self-signed, byte-equal to {@code rootDer})
     * @param crlsDer null to skip revocation checks
     */
    static Checked check(TdxCollateral collateral, X509Cert root, byte[] rootDer, List<byte[]> crlsDer, long time) {
        List<byte[]> chain = collateral.tcbSigningChainDer();
        if (chain.isEmpty()) {
            return Checked.failed("the TCB signing chain is empty");
        }
        for (byte[] extra : chain.subList(1, chain.size())) {
            if (!Arrays.equals(extra, rootDer)) {
                return Checked.failed("the TCB signing chain holds a certificate other than the signing certificate "
                        + "and the trusted root");
            }
        }
        X509Cert signer = X509Cert.parse(chain.get(0), "TCB signing");
        if (signer == null) {
            return Checked.failed("the TCB signing certificate does not parse");
        }
        String problem = signerProblem(signer, root, crlsDer, time);
        if (problem != null) {
            return Checked.failed(problem);
        }

        IntelSignedJson tcbDoc;
        IntelSignedJson qeDoc;
        try {
            tcbDoc = IntelSignedJson.parse(collateral.tcbInfoJson(), "tcbInfo", "TCB info");
            qeDoc = IntelSignedJson.parse(collateral.qeIdentityJson(), "enclaveIdentity", "QE identity");
        } catch (IllegalArgumentException e) {
            return Checked.failed(e.getMessage());
        }
        var key = EcdsaP256.key(signer.cert().getSubjectPublicKeyInfo());
        if (!EcdsaP256.verifyRaw(key, tcbDoc.signedBytes(), tcbDoc.signature())) {
            return Checked.failed("the TCB info signature does not verify under the TCB signing certificate");
        }
        if (!EcdsaP256.verifyRaw(key, qeDoc.signedBytes(), qeDoc.signature())) {
            return Checked.failed("the QE identity signature does not verify under the TCB signing certificate");
        }

        TdxTcbInfo tcbInfo;
        TdxQeIdentity qeIdentity;
        try {
            tcbInfo = TdxTcbInfo.parse(tcbDoc.body());
        } catch (IllegalArgumentException e) {
            return Checked.failed("malformed TCB info: " + e.getMessage());
        }
        try {
            qeIdentity = TdxQeIdentity.parse(qeDoc.body());
        } catch (IllegalArgumentException e) {
            return Checked.failed("malformed QE identity: " + e.getMessage());
        }
        problem = currencyProblem("TCB info", tcbInfo.issueDate(), tcbInfo.nextUpdate(), time);
        if (problem == null) {
            problem = currencyProblem("QE identity", qeIdentity.issueDate(), qeIdentity.nextUpdate(), time);
        }
        return problem != null ? Checked.failed(problem) : new Checked(tcbInfo, qeIdentity, null);
    }

    private static String signerProblem(X509Cert signer, X509Cert root, List<byte[]> crlsDer, long time) {
        if (signer.cert().getSubject().equals(signer.cert().getIssuer())) {
            return "the TCB signing certificate is self-signed";
        }
        if (!commonName(signer).contains(SIGNING_CN)) {
            return "the TCB signing certificate's subject " + signer.cert().getSubject() + " is not \"" + SIGNING_CN + "\"";
        }
        if (!signer.cert().getIssuer().equals(root.cert().getSubject())) {
            return "the TCB signing certificate's issuer " + signer.cert().getIssuer() + " is not the trusted root";
        }
        if (!EcdsaP256.certSignedBy(signer, root)) {
            return "the TCB signing certificate's signature does not verify under the root certificate";
        }
        String problem = signer.validityProblem(time);
        if (problem == null && crlsDer != null) {
            problem = IntelCrls.revocationProblem(crlsDer, List.of(signer), List.of(root), time);
        }
        return problem;
    }

    /** Intel's rule: issueDate <= time < nextUpdate. */
    private static String currencyProblem(String what, long issueDate, long nextUpdate, long time) {
        if (time < issueDate) {
            return "the " + what + " is not yet issued at " + time + " (issue date " + issueDate + ")";
        }
        if (time >= nextUpdate) {
            return "the " + what + " has expired at " + time + " (next update " + nextUpdate + ")";
        }
        return null;
    }

    private static String commonName(X509Cert c) {
        StringBuilder sb = new StringBuilder();
        for (RDN rdn : c.cert().getSubject().getRDNs(BCStyle.CN)) {
            if (rdn.getFirst().getValue() instanceof ASN1String s) {
                sb.append(s.getString());
            }
        }
        return sb.toString();
    }
}
