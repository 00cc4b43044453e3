package dev.verity.proofs.attestation;

import dev.verity.core.Sha256;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/** ECDSA P-256 with SHA-256, the one signature scheme of Intel's SGX/TDX attestation, on BouncyCastle's lightweight API. */
final class EcdsaP256 {
    private static final X9ECParameters P256 = SECNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

    private EcdsaP256() {}

    static boolean isEcdsaSha256(AlgorithmIdentifier alg) {
        return X9ObjectIdentifiers.ecdsa_with_SHA256.equals(alg.getAlgorithm()) && alg.getParameters() == null;
    }

    /** Whether {@code subject} is signed (ECDSA-with-SHA256) by {@code issuer}'s P-256 key. */
    static boolean certSignedBy(X509Cert subject, X509Cert issuer) {
        AlgorithmIdentifier sigAlg = subject.cert().getSignatureAlgorithm();
        if (!isEcdsaSha256(sigAlg) || !sigAlg.equals(subject.cert().getTBSCertificate().getSignature())) {
            return false;
        }
        return verifyDer(key(issuer.cert().getSubjectPublicKeyInfo()), subject.tbs(),
                subject.cert().getSignature().getOctets());
    }

    /** With a DER {@code SEQUENCE {r, s}} signature; false for a null key. */
    static boolean verifyDer(ECPublicKeyParameters key, byte[] data, byte[] derSig) {
        if (key == null) {
            return false;
        }
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(derSig);
            if (seq.size() != 2) {
                return false;
            }
            BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getValue();
            BigInteger s = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
            return verify(key, data, r, s);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return false;
        }
    }

    /** With a raw 64-byte r||s (big-endian) signature; false for a null key. */
    static boolean verifyRaw(ECPublicKeyParameters key, byte[] data, byte[] sig) {
        if (key == null || sig.length != 64) {
            return false;
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        return verify(key, data, r, s);
    }

    private static boolean verify(ECPublicKeyParameters key, byte[] data, BigInteger r, BigInteger s) {
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, key);
        return signer.verifySignature(Sha256.digest(data).bytes(), r, s);
    }

    /** A raw 64-byte x||y point, or null when it is not on the curve. */
    static ECPublicKeyParameters rawKey(byte[] xy) {
        if (xy.length != 64) {
            return null;
        }
        byte[] point = new byte[65];
        point[0] = 0x04;
        System.arraycopy(xy, 0, point, 1, 64);
        try {
            return new ECPublicKeyParameters(P256.getCurve().decodePoint(point), DOMAIN);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The key of a certificate, or null when it is not an EC key on P-256. */
    static ECPublicKeyParameters key(SubjectPublicKeyInfo spki) {
        AlgorithmIdentifier alg = spki.getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())) {
            return null;
        }
        ASN1Encodable params = alg.getParameters();
        if (!(params instanceof ASN1ObjectIdentifier oid) || !oid.equals(SECNamedCurves.getOID("secp256r1"))) {
            return null;
        }
        try {
            return new ECPublicKeyParameters(P256.getCurve().decodePoint(spki.getPublicKeyData().getBytes()), DOMAIN);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
