package dev.verity.proofs.attestation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;

/**
 * AMD's three-level certificate chain: a VCEK or VLEK, issued by an ASK or ASVK, issued by an ARK. Every
 * signature is RSASSA-PSS with SHA-384 and a 48-byte salt.
 *
 * <p>The intermediates come from the attestation document and are not trusted; the chain ends only at one of
 * the caller's trusted ARKs. An intermediate never serves as a root, and a document that carries a
 * self-signed certificate other than a trusted ARK is refused: that is a forger bringing his own root.
 */
final class AmdCertChain {
    static final int PSS_SALT_LENGTH = 48;
    private static final ASN1ObjectIdentifier COMMON_NAME = new ASN1ObjectIdentifier("2.5.4.3");

    private AmdCertChain() {}

    /** A chain from the leaf to a trusted ARK, with the ARK's DER as the caller trusted it. */
    record Anchored(X509Cert intermediate, X509Cert ark, byte[] arkDer) {}

    /** The chain, or why there is none (exactly one of the two is null). */
    record Outcome(Anchored chain, String problem) {
        static Outcome failed(String problem) {
            return new Outcome(null, "certificate chain: " + problem);
        }
    }

    /**
     * Finds an intermediate among {@code intermediatesDer} that issues {@code leaf} and is issued by one of
     * {@code trustedArksDer}, each of which must be a self-signed RSASSA-PSS certificate.
     *
     * @param intermediateRole "ASK" or "ASVK", for messages
     */
    static Outcome anchor(X509Cert leaf, List<byte[]> intermediatesDer, List<byte[]> trustedArksDer,
            String intermediateRole) {
        List<X509Cert> arks = new ArrayList<>();
        for (int i = 0; i < trustedArksDer.size(); i++) {
            X509Cert ark = X509Cert.parse(trustedArksDer.get(i), "ARK");
            if (ark == null) {
                return Outcome.failed("trusted ARK #" + i + " does not parse");
            }
            if (!isSelfSigned(ark)) {
                return Outcome.failed("trusted ARK #" + i + " (" + ark.cert().getSubject()
                        + ") is not a self-signed RSASSA-PSS certificate");
            }
            arks.add(ark);
        }
        if (arks.isEmpty()) {
            return Outcome.failed("no trusted ARK was given");
        }

        List<X509Cert> intermediates = new ArrayList<>();
        for (int i = 0; i < intermediatesDer.size(); i++) {
            byte[] der = intermediatesDer.get(i);
            X509Cert c = X509Cert.parse(der, intermediateRole);
            if (c == null) {
                return Outcome.failed("intermediate certificate #" + i + " does not parse");
            }
            if (claimsToBeRoot(c)) {
                if (indexOf(trustedArksDer, der) >= 0) {
                    continue; // a copy of a trusted ARK: harmless, and it is the trusted copy that anchors
                }
                return Outcome.failed("the intermediate certificates include a self-signed certificate ("
                        + c.cert().getSubject() + ") that is not a trusted ARK; an intermediate never serves as a root");
            }
            intermediates.add(c);
        }

        X509Cert issuing = null;
        for (X509Cert inter : intermediates) {
            if (!inter.cert().getSubject().equals(leaf.cert().getIssuer()) || !verifyPss(leaf, inter)) {
                continue;
            }
            issuing = inter;
            for (int a = 0; a < arks.size(); a++) {
                X509Cert ark = arks.get(a);
                if (ark.cert().getSubject().equals(inter.cert().getIssuer()) && verifyPss(inter, ark)) {
                    return new Outcome(new Anchored(inter, ark, trustedArksDer.get(a).clone()), null);
                }
            }
        }
        if (issuing == null) {
            return Outcome.failed("none of the " + intermediates.size() + " intermediate certificates is an "
                    + intermediateRole + " that issues the " + leaf.role() + " (issuer " + leaf.cert().getIssuer() + ")");
        }
        return Outcome.failed("the " + intermediateRole + " " + issuing.cert().getSubject() + " is not issued by any of the "
                + arks.size() + " trusted ARKs (its issuer is " + issuing.cert().getIssuer() + ")");
    }

    /** Whether the certificate names itself as its issuer and its signature verifies under its own key. */
    static boolean isSelfSigned(X509Cert c) {
        return claimsToBeRoot(c) && verifyPss(c, c);
    }

    /** Whether the certificate names itself as its issuer, as a root does. */
    static boolean claimsToBeRoot(X509Cert c) {
        return c.cert().getSubject().equals(c.cert().getIssuer());
    }

    private static int indexOf(List<byte[]> list, byte[] der) {
        for (int i = 0; i < list.size(); i++) {
            if (Arrays.equals(list.get(i), der)) {
                return i;
            }
        }
        return -1;
    }

    /** The first common name of a distinguished name, or null. */
    static String commonName(X500Name name) {
        RDN[] rdns = name.getRDNs(COMMON_NAME);
        if (rdns.length == 0) {
            return null;
        }
        ASN1Encodable value = rdns[0].getFirst().getValue();
        return value instanceof ASN1String s ? s.getString() : null;
    }

    /** Whether {@code subject}'s signature is a valid RSASSA-PSS SHA-384 signature by {@code issuer}'s key. */
    static boolean verifyPss(X509Cert subject, X509Cert issuer) {
        try {
            AlgorithmIdentifier sigAlg = subject.cert().getSignatureAlgorithm();
            if (!PKCSObjectIdentifiers.id_RSASSA_PSS.equals(sigAlg.getAlgorithm())
                    || !sigAlg.equals(subject.cert().getTBSCertificate().getSignature())) {
                return false;
            }
            RSASSAPSSparams pss = RSASSAPSSparams.getInstance(sigAlg.getParameters());
            if (!NISTObjectIdentifiers.id_sha384.equals(pss.getHashAlgorithm().getAlgorithm())
                    || !PKCSObjectIdentifiers.id_mgf1.equals(pss.getMaskGenAlgorithm().getAlgorithm())
                    || !NISTObjectIdentifiers.id_sha384.equals(
                            AlgorithmIdentifier.getInstance(pss.getMaskGenAlgorithm().getParameters()).getAlgorithm())
                    || pss.getSaltLength().intValue() != PSS_SALT_LENGTH
                    || pss.getTrailerField().intValue() != 1) {
                return false;
            }
            AlgorithmIdentifier keyAlg = issuer.cert().getSubjectPublicKeyInfo().getAlgorithm();
            if (!PKCSObjectIdentifiers.rsaEncryption.equals(keyAlg.getAlgorithm())
                    && !PKCSObjectIdentifiers.id_RSASSA_PSS.equals(keyAlg.getAlgorithm())) {
                return false;
            }
            RSAPublicKey rsa = RSAPublicKey.getInstance(issuer.cert().getSubjectPublicKeyInfo().getPublicKeyData().getBytes());
            RSAKeyParameters key = new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
            PSSSigner signer = new PSSSigner(new RSAEngine(), new SHA384Digest(), PSS_SALT_LENGTH);
            signer.init(false, key);
            signer.update(subject.tbs(), 0, subject.tbs().length);
            return signer.verifySignature(subject.cert().getSignature().getOctets());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
