package dev.verity.proofs.attestation;

import dev.verity.core.Sha256;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * Verifies an Intel TDX quote (version 4, ECDSA-256) against Intel's SGX Root CA, using only
 * BouncyCastle's lightweight API (no JCA, no IO, no clock: the time is an input).
 *
 * <p>Checks, in order: the quote parses; the quote signature (ECDSA P-256/SHA-256, r||s) by the
 * attestation key over header||body verifies; the PCK certificate chain from the certification data
 * is leaf, intermediate, root, each signed by the next (ECDSA-with-SHA256), the root self-signed and
 * byte-equal to the trusted root; every certificate is valid at the given time; the QE report is
 * signed by the PCK leaf; the QE report's REPORTDATA starts with SHA-256(attestation key || QE auth
 * data) and ends with 32 zero bytes; and, if CRLs are given, each CRL is signed by its issuer in the
 * chain and current, and no chain certificate is revoked.
 *
 * <p>Not (yet) checked: TCB level of the platform against Intel's TCB info, QE identity, TD attributes
 * policy (e.g. DEBUG); see {@link TdxQuote#tdAttributes()}.
 */
public final class TdxVerifier {

    private static final X9ECParameters P256 = SECNamedCurves.getByName("secp256r1");
    private static final ECDomainParameters P256_DOMAIN =
            new ECDomainParameters(P256.getCurve(), P256.getG(), P256.getN(), P256.getH());

    private TdxVerifier() {}

    /** The outcome of a verification. On failure the measurements are null. */
    public record Result(boolean valid, String reason, byte[] mrtd, byte[] reportData, List<byte[]> rtmrs) {
        public Result {
            mrtd = mrtd == null ? null : mrtd.clone();
            reportData = reportData == null ? null : reportData.clone();
            rtmrs = rtmrs == null ? null : rtmrs.stream().map(byte[]::clone).toList();
        }

        static Result invalid(String reason) {
            return new Result(false, reason, null, null, null);
        }

        @Override
        public byte[] mrtd() {
            return mrtd == null ? null : mrtd.clone();
        }

        @Override
        public byte[] reportData() {
            return reportData == null ? null : reportData.clone();
        }

        @Override
        public List<byte[]> rtmrs() {
            return rtmrs == null ? null : rtmrs.stream().map(byte[]::clone).toList();
        }
    }

    /** Verifies without revocation checking. */
    public static Result verify(byte[] quote, byte[] trustedRootDer, long timeEpochSeconds) {
        return verify(quote, trustedRootDer, null, timeEpochSeconds);
    }

    /**
     * Verifies a quote.
     *
     * @param trustedRootDer Intel's SGX Root CA certificate (DER), from the caller's trust anchors
     * @param crlsDer null to skip revocation checks; otherwise CRLs (DER) that must include one issued by
     *     the PCK leaf's issuer (PCK Platform/Processor CA) and one by the root
     * @param timeEpochSeconds the time at which certificates (and CRLs) must be valid, seconds since the epoch (UTC)
     */
    public static Result verify(byte[] quote, byte[] trustedRootDer, List<byte[]> crlsDer, long timeEpochSeconds) {
        try {
            return doVerify(quote, trustedRootDer, crlsDer, timeEpochSeconds);
        } catch (RuntimeException e) {
            return Result.invalid("malformed input: " + e.getMessage());
        }
    }

    private static Result doVerify(byte[] quoteBytes, byte[] rootDer, List<byte[]> crlsDer, long time) {
        TdxQuote q;
        try {
            q = TdxQuote.parse(quoteBytes);
        } catch (IllegalArgumentException e) {
            return Result.invalid(e.getMessage());
        }

        // 1. Quote signature by the attestation key over header || body.
        ECPublicKeyParameters attKey = rawP256Key(q.attestationKey());
        if (attKey == null) {
            return Result.invalid("the attestation key is not a point on P-256");
        }
        if (!verifyRaw(attKey, q.signedBytes(), q.signature())) {
            return Result.invalid("the quote signature does not verify under the attestation key");
        }

        // 2. PCK chain: leaf <- intermediate <- root (== trusted root).
        List<byte[]> chainDer = SevSnpVerifier.pemToDer(new String(q.pckCertChainPem(), StandardCharsets.US_ASCII));
        if (chainDer.size() != 3) {
            return Result.invalid("the PCK certificate chain has " + chainDer.size() + " certificates (expected 3)");
        }
        String[] roles = {"PCK leaf", "PCK intermediate", "root"};
        List<X509Cert> chain = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            X509Cert c = X509Cert.parse(chainDer.get(i), roles[i]);
            if (c == null) {
                return Result.invalid("the " + roles[i] + " certificate does not parse");
            }
            chain.add(c);
        }
        X509Cert leaf = chain.get(0);
        X509Cert inter = chain.get(1);
        X509Cert root = chain.get(2);
        if (rootDer == null || !Arrays.equals(chainDer.get(2), rootDer)) {
            return Result.invalid("the chain's root certificate is not the trusted root");
        }
        for (int i = 0; i < 3; i++) {
            X509Cert subject = chain.get(i);
            X509Cert issuer = chain.get(Math.min(i + 1, 2));
            if (!subject.cert().getIssuer().equals(issuer.cert().getSubject())) {
                return Result.invalid("the " + subject.role() + " certificate's issuer " + subject.cert().getIssuer()
                        + " is not the " + issuer.role() + " certificate's subject");
            }
            if (!verifyCertSignature(subject, issuer)) {
                return Result.invalid("the " + subject.role() + " certificate's signature does not verify under the "
                        + issuer.role() + " certificate");
            }
        }
        for (X509Cert c : chain) {
            String problem = c.validityProblem(time);
            if (problem != null) {
                return Result.invalid(problem);
            }
        }

        // 3. QE report signed by the PCK leaf.
        ECPublicKeyParameters pckKey = p256Key(leaf.cert().getSubjectPublicKeyInfo());
        if (pckKey == null) {
            return Result.invalid("the PCK leaf's public key is not an ECDSA P-256 key");
        }
        if (!verifyRaw(pckKey, q.qeReport(), q.qeReportSignature())) {
            return Result.invalid("the QE report signature does not verify under the PCK leaf certificate");
        }

        // 4. QE report binds the attestation key and QE auth data.
        byte[] expected = Sha256.digest(q.attestationKey(), q.qeAuthData()).bytes();
        byte[] qeReportData = q.qeReportData();
        if (!Arrays.equals(Arrays.copyOf(qeReportData, 32), expected)) {
            return Result.invalid("the QE report data does not match SHA-256(attestation key || QE auth data)");
        }
        if (!Arrays.equals(Arrays.copyOfRange(qeReportData, 32, 64), new byte[32])) {
            return Result.invalid("the QE report data's last 32 bytes are not zero");
        }

        // 5. Revocation.
        if (crlsDer != null) {
            String problem = revocationProblem(crlsDer, List.of(leaf, inter), List.of(inter, root), time);
            if (problem != null) {
                return Result.invalid(problem);
            }
        }

        return new Result(true, "ok", q.mrtd(), q.reportData(), List.of(q.rtmrs()));
    }

    // ------------------------------------------------------------------------------------------------

    /**
     * For each CRL-issuing certificate in {@code issuers}, a CRL from {@code crlsDer} signed by it and
     * current at {@code time} must exist; none of {@code subjects} (issued by the matching issuer) may
     * be listed as revoked.
     */
    private static String revocationProblem(List<byte[]> crlsDer, List<X509Cert> subjects, List<X509Cert> issuers, long time) {
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
                        && isEcdsaSha256(crl.getSignatureAlgorithm())
                        && crl.getSignatureAlgorithm().equals(crl.getTBSCertList().getSignature())
                        && verifyDer(p256Key(issuer.cert().getSubjectPublicKeyInfo()), tbsList.get(j),
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

    private static boolean isEcdsaSha256(AlgorithmIdentifier alg) {
        return X9ObjectIdentifiers.ecdsa_with_SHA256.equals(alg.getAlgorithm()) && alg.getParameters() == null;
    }

    private static boolean verifyCertSignature(X509Cert subject, X509Cert issuer) {
        AlgorithmIdentifier sigAlg = subject.cert().getSignatureAlgorithm();
        if (!isEcdsaSha256(sigAlg) || !sigAlg.equals(subject.cert().getTBSCertificate().getSignature())) {
            return false;
        }
        return verifyDer(p256Key(issuer.cert().getSubjectPublicKeyInfo()), subject.tbs(),
                subject.cert().getSignature().getOctets());
    }

    /** ECDSA P-256/SHA-256 with a DER {@code SEQUENCE {r, s}} signature. */
    private static boolean verifyDer(ECPublicKeyParameters key, byte[] data, byte[] derSig) {
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

    /** ECDSA P-256/SHA-256 with a raw 64-byte r||s (big-endian) signature. */
    private static boolean verifyRaw(ECPublicKeyParameters key, byte[] data, byte[] sig) {
        if (sig.length != 64) {
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

    private static ECPublicKeyParameters rawP256Key(byte[] xy) {
        if (xy.length != 64) {
            return null;
        }
        byte[] point = new byte[65];
        point[0] = 0x04;
        System.arraycopy(xy, 0, point, 1, 64);
        try {
            return new ECPublicKeyParameters(P256.getCurve().decodePoint(point), P256_DOMAIN);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ECPublicKeyParameters p256Key(SubjectPublicKeyInfo spki) {
        AlgorithmIdentifier alg = spki.getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())) {
            return null;
        }
        ASN1Encodable params = alg.getParameters();
        if (!(params instanceof ASN1ObjectIdentifier oid) || !oid.equals(SECNamedCurves.getOID("secp256r1"))) {
            return null;
        }
        try {
            return new ECPublicKeyParameters(P256.getCurve().decodePoint(spki.getPublicKeyData().getBytes()), P256_DOMAIN);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

}
