package dev.verity.proofs.attestation;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.TBSCertList;

/** Revocation checks against Intel's CRLs (ECDSA P-256/SHA-256 signed, DER). */
final class IntelCrls {
    private IntelCrls() {}

    /**
     * Why a certificate is revoked or cannot be checked, or null when none is: for each
     * {@code subjects[i]}, a CRL from {@code crlsDer} signed by {@code issuers[i]} and current at
     * {@code time} must exist and must not list the subject's serial number.
     */
    static String revocationProblem(List<byte[]> crlsDer, List<X509Cert> subjects, List<X509Cert> issuers, long time) {
        List<CertificateList> crls = new ArrayList<>();
        List<byte[]> tbsList = new ArrayList<>();
        for (byte[] der : crlsDer) {
            byte[] tbs = der == null ? null : SevSnpVerifier.firstElementOfSequence(der);
            if (tbs == null) {
                return "a CRL does not parse";
            }
            crls.add(CertificateList.getInstance(der));
            tbsList.add(tbs);
        }
        for (int i = 0; i < subjects.size(); i++) {
            X509Cert subject = subjects.get(i);
            X509Cert issuer = issuers.get(i);
            X500Name issuerName = issuer.cert().getSubject();
            CertificateList found = null;
            for (int j = 0; j < crls.size(); j++) {
                CertificateList crl = crls.get(j);
                if (crl.getIssuer().equals(issuerName)
                        && EcdsaP256.isEcdsaSha256(crl.getSignatureAlgorithm())
                        && crl.getSignatureAlgorithm().equals(crl.getTBSCertList().getSignature())
                        && EcdsaP256.verifyDer(EcdsaP256.key(issuer.cert().getSubjectPublicKeyInfo()), tbsList.get(j),
                                crl.getSignature().getOctets())) {
                    found = crl;
                    break;
                }
            }
            if (found == null) {
                return "no CRL signed by " + issuerName + " was given";
            }
            long thisUpdate = SevSnpVerifier.epochSeconds(found.getThisUpdate());
            if (time < thisUpdate) {
                return "the CRL of " + issuerName + " is not yet valid at " + time + " (this update " + thisUpdate + ")";
            }
            if (found.getNextUpdate() != null) {
                long nextUpdate = SevSnpVerifier.epochSeconds(found.getNextUpdate());
                if (time > nextUpdate) {
                    return "the CRL of " + issuerName + " is stale at " + time + " (next update " + nextUpdate + ")";
                }
            }
            BigInteger serial = subject.cert().getSerialNumber().getValue();
            for (TBSCertList.CRLEntry e : found.getRevokedCertificates()) {
                if (e.getUserCertificate().getValue().equals(serial)) {
                    return "the " + subject.role() + " certificate (serial " + serial.toString(16) + ") is revoked";
                }
            }
        }
        return null;
    }
}
