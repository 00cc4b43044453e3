package dev.verity.proofs.attestation;

import org.bouncycastle.asn1.x509.Certificate;

/**
 * A vendor certificate with the exact DER bytes of its TBSCertificate (what its signature covers)
 * and its role in the chain ("VCEK", "PCK leaf", ...), for error messages.
 */
record X509Cert(Certificate cert, byte[] tbs, String role) {
    /** The certificate, or null when {@code der} is null or not a DER certificate. */
    static X509Cert parse(byte[] der, String role) {
        if (der == null) {
            return null;
        }
        try {
            byte[] tbs = SevSnpVerifier.firstElementOfSequence(der);
            Certificate c = Certificate.getInstance(der);
            if (c == null || tbs == null) {
                return null;
            }
            return new X509Cert(c, tbs, role);
        } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
            return null;
        }
    }

    /** Why the certificate is not valid at {@code time} (epoch seconds, both ends inclusive), or null when it is. */
    String validityProblem(long time) {
        long notBefore = SevSnpVerifier.epochSeconds(cert.getStartDate());
        long notAfter = SevSnpVerifier.epochSeconds(cert.getEndDate());
        if (time < notBefore) {
            return "the " + role + " certificate " + cert.getSubject() + " is not yet valid at " + time
                    + " (not before " + notBefore + ")";
        }
        if (time > notAfter) {
            return "the " + role + " certificate " + cert.getSubject() + " has expired at " + time
                    + " (not after " + notAfter + ")";
        }
        return null;
    }
}
