package dev.verity.proofs.attestation;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.PSSSigner;

/**
 * Verifies an AMD SEV-SNP attestation report against its VCEK certificate and AMD's ASK/ARK chain,
 * using only BouncyCastle's lightweight API (no JCA, no IO, no clock: the time is an input).
 *
 * <p>Checks: the report parses (1184 bytes, version 2 or 3), is signed with ECDSA P-384/SHA-384 by a
 * VCEK (signing key 0), the VCEK's signature over bytes 0x000..0x29F verifies; the VCEK is signed by an
 * ASK, the ASK by an ARK, the ARK by itself (all RSASSA-PSS SHA-384, salt 48); every certificate is
 * valid at the given time; the VCEK's hwID extension equals the report's CHIP_ID and its blSPL, teeSPL,
 * snpSPL and ucodeSPL extensions equal the parts of REPORTED_TCB; and (unless allowed) the guest policy
 * does not permit debugging.
 *
 * <p>The caller must supply the ASK/ARK certificates from its own trust anchors: a self-signed ARK is
 * only as trustworthy as the place it was taken from.
 */
public final class SevSnpVerifier {

    /** AMD's VCEK extension OIDs (AMD KDS specification). */
    public static final String OID_BL_SPL = "1.3.6.1.4.1.3704.1.3.1";
    public static final String OID_TEE_SPL = "1.3.6.1.4.1.3704.1.3.2";
    public static final String OID_SNP_SPL = "1.3.6.1.4.1.3704.1.3.3";
    public static final String OID_UCODE_SPL = "1.3.6.1.4.1.3704.1.3.8";
    public static final String OID_HW_ID = "1.3.6.1.4.1.3704.1.4";

    private static final int PSS_SALT_LENGTH = 48;

    private SevSnpVerifier() {}

    /** The outcome of a verification. On failure the measurement, report data and TCB are null. */
    public record Result(boolean valid, String reason, byte[] measurement, byte[] reportData, SevSnpTcb reportedTcb) {
        public Result {
            measurement = measurement == null ? null : measurement.clone();
            reportData = reportData == null ? null : reportData.clone();
        }

        static Result invalid(String reason) {
            return new Result(false, reason, null, null, null);
        }

        @Override
        public byte[] measurement() {
            return measurement == null ? null : measurement.clone();
        }

        @Override
        public byte[] reportData() {
            return reportData == null ? null : reportData.clone();
        }
    }

    /** Verifies, refusing reports whose guest policy allows debugging. */
    public static Result verify(byte[] report, byte[] vcekDer, List<byte[]> askArkCertsDer, long timeEpochSeconds) {
        return verify(report, vcekDer, askArkCertsDer, timeEpochSeconds, false);
    }

    /**
     * Verifies a report.
     *
     * @param askArkCertsDer candidate ASK and ARK certificates (DER), for any number of products; the
     *     ones that issue the VCEK are found by subject/issuer match and signature
     * @param timeEpochSeconds the time at which every certificate must be valid (seconds since the epoch, UTC)
     * @param allowDebug whether to accept a guest whose policy allows debugging (bit 19); only for tests
     */
    public static Result verify(byte[] report, byte[] vcekDer, List<byte[]> askArkCertsDer, long timeEpochSeconds,
            boolean allowDebug) {
        try {
            return doVerify(report, vcekDer, askArkCertsDer, timeEpochSeconds, allowDebug);
        } catch (RuntimeException e) {
            return Result.invalid("malformed input: " + e.getMessage());
        }
    }

    private static Result doVerify(byte[] reportBytes, byte[] vcekDer, List<byte[]> chainDer, long time,
            boolean allowDebug) {
        SevSnpReport report;
        try {
            report = SevSnpReport.parse(reportBytes);
        } catch (IllegalArgumentException e) {
            return Result.invalid(e.getMessage());
        }
        if (report.signatureAlgo() != SevSnpReport.SIG_ALGO_ECDSA_P384_SHA384) {
            return Result.invalid("unsupported report signature algorithm " + report.signatureAlgo());
        }
        if (report.signingKey() != 0) {
            return Result.invalid("report is not signed by a VCEK (signing key " + report.signingKey() + ")");
        }

        X509Cert vcek = X509Cert.parse(vcekDer, "VCEK");
        if (vcek == null) {
            return Result.invalid("the VCEK certificate does not parse");
        }

        // 1. Report signature by the VCEK.
        ECPublicKeyParameters vcekKey = ecP384Key(vcek.cert());
        if (vcekKey == null) {
            return Result.invalid("the VCEK's public key is not an ECDSA P-384 key");
        }
        if (!verifyReportSignature(report, vcekKey)) {
            return Result.invalid("the report signature does not verify under the VCEK");
        }

        // 2. Chain: VCEK <- ASK <- ARK <- ARK.
        List<X509Cert> candidates = new ArrayList<>();
        for (byte[] der : chainDer) {
            X509Cert c = X509Cert.parse(der, "ASK/ARK");
            if (c == null) {
                return Result.invalid("an ASK/ARK certificate does not parse");
            }
            candidates.add(c);
        }
        X509Cert ask = null;
        X509Cert ark = null;
        for (X509Cert a : candidates) {
            if (!a.cert().getSubject().equals(vcek.cert().getIssuer()) || !verifyPss(vcek, a)) {
                continue;
            }
            for (X509Cert r : candidates) {
                if (r.cert().getSubject().equals(a.cert().getIssuer())
                        && r.cert().getIssuer().equals(r.cert().getSubject())
                        && verifyPss(a, r) && verifyPss(r, r)) {
                    ask = a;
                    ark = r;
                    break;
                }
            }
            if (ask != null) {
                break;
            }
        }
        if (ask == null) {
            return Result.invalid("certificate chain: no ASK/ARK pair among the " + candidates.size()
                    + " given certificates issues the VCEK (issuer " + vcek.cert().getIssuer() + ") with a self-signed ARK");
        }

        // 3. Validity at the given time.
        for (X509Cert c : List.of(vcek, ask, ark)) {
            String problem = c.validityProblem(time);
            if (problem != null) {
                return Result.invalid(problem);
            }
        }

        // 4. VCEK extensions must match the report.
        Extensions ext = vcek.cert().getTBSCertificate().getExtensions();
        if (ext == null) {
            return Result.invalid("the VCEK has no extensions");
        }
        byte[] hwId = hwId(ext);
        if (hwId == null) {
            return Result.invalid("the VCEK has no hwID extension");
        }
        if (!Arrays.equals(hwId, report.chipId())) {
            return Result.invalid("the VCEK's hwID does not match the report's CHIP_ID");
        }
        SevSnpTcb tcb = report.reportedTcb();
        String[] oids = {OID_BL_SPL, OID_TEE_SPL, OID_SNP_SPL, OID_UCODE_SPL};
        String[] names = {"blSPL", "teeSPL", "snpSPL", "ucodeSPL"};
        int[] expected = {tcb.bootloader(), tcb.tee(), tcb.snp(), tcb.microcode()};
        for (int i = 0; i < oids.length; i++) {
            Integer v = intExtension(ext, oids[i]);
            if (v == null) {
                return Result.invalid("the VCEK has no " + names[i] + " extension");
            }
            if (v != expected[i]) {
                return Result.invalid("the VCEK's " + names[i] + " (" + v + ") does not match the report's REPORTED_TCB ("
                        + expected[i] + ")");
            }
        }

        // 5. Policy.
        if (report.debugAllowed() && !allowDebug) {
            return Result.invalid("the guest policy allows debugging (bit 19)");
        }
        return new Result(true, "ok", report.measurement(), report.reportData(), report.reportedTcb());
    }

    /** Decodes every {@code CERTIFICATE} block of a PEM text into DER, in order. */
    public static List<byte[]> pemToDer(String pem) {
        List<byte[]> out = new ArrayList<>();
        String begin = "-----BEGIN CERTIFICATE-----";
        String end = "-----END CERTIFICATE-----";
        int from = 0;
        while (true) {
            int b = pem.indexOf(begin, from);
            if (b < 0) {
                break;
            }
            int e = pem.indexOf(end, b);
            if (e < 0) {
                throw new IllegalArgumentException("PEM certificate block is not closed");
            }
            String body = pem.substring(b + begin.length(), e);
            out.add(Base64.getMimeDecoder().decode(body));
            from = e + end.length();
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------

    private static boolean verifyReportSignature(SevSnpReport report, ECPublicKeyParameters key) {
        SHA384Digest d = new SHA384Digest();
        byte[] signed = report.signedBytes();
        d.update(signed, 0, signed.length);
        byte[] hash = new byte[d.getDigestSize()];
        d.doFinal(hash, 0);
        BigInteger r = littleEndian(report.signatureR());
        BigInteger s = littleEndian(report.signatureS());
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, key);
        return signer.verifySignature(hash, r, s);
    }

    private static BigInteger littleEndian(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    private static ECPublicKeyParameters ecP384Key(Certificate c) {
        AlgorithmIdentifier alg = c.getSubjectPublicKeyInfo().getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())) {
            return null;
        }
        ASN1Encodable params = alg.getParameters();
        X9ECParameters p384 = SECNamedCurves.getByName("secp384r1");
        if (!(params instanceof ASN1ObjectIdentifier oid) || !oid.equals(SECNamedCurves.getOID("secp384r1"))) {
            return null;
        }
        ECDomainParameters domain = new ECDomainParameters(p384.getCurve(), p384.getG(), p384.getN(), p384.getH());
        byte[] point = c.getSubjectPublicKeyInfo().getPublicKeyData().getBytes();
        return new ECPublicKeyParameters(p384.getCurve().decodePoint(point), domain);
    }

    /** Whether {@code subject}'s signature is a valid RSASSA-PSS SHA-384 signature by {@code issuer}'s key. */
    private static boolean verifyPss(X509Cert subject, X509Cert issuer) {
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

    /** Seconds since the epoch of a DER UTCTime or GeneralizedTime (both end in Z in DER). */
    static long epochSeconds(Time t) {
        ASN1Primitive p = t.toASN1Primitive();
        String s;
        if (p instanceof ASN1UTCTime u) {
            s = u.getAdjustedTime(); // YYYYMMDDhhmmss...
        } else if (p instanceof ASN1GeneralizedTime g) {
            s = g.getTimeString();
        } else {
            throw new IllegalArgumentException("unknown time type");
        }
        if (s.length() < 14) {
            throw new IllegalArgumentException("certificate time too short: " + s);
        }
        for (int i = 0; i < 14; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new IllegalArgumentException("bad certificate time: " + s);
            }
        }
        long year = Long.parseLong(s.substring(0, 4));
        int month = Integer.parseInt(s.substring(4, 6));
        int day = Integer.parseInt(s.substring(6, 8));
        int hour = Integer.parseInt(s.substring(8, 10));
        int minute = Integer.parseInt(s.substring(10, 12));
        int second = Integer.parseInt(s.substring(12, 14));
        return daysFromCivil(year, month, day) * 86400L + hour * 3600L + minute * 60L + second;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
    static long daysFromCivil(long y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    private static byte[] extensionOctets(Extensions ext, String oid) {
        Extension e = ext.getExtension(new ASN1ObjectIdentifier(oid));
        return e == null ? null : e.getExtnValue().getOctets();
    }

    /** AMD's hwID: 64 raw bytes, or (some KDS versions) an OCTET STRING of them. */
    private static byte[] hwId(Extensions ext) {
        byte[] v = extensionOctets(ext, OID_HW_ID);
        if (v == null) {
            return null;
        }
        if (v.length == 64) {
            return v;
        }
        return ASN1OctetString.getInstance(v).getOctets();
    }

    private static Integer intExtension(Extensions ext, String oid) {
        byte[] v = extensionOctets(ext, oid);
        if (v == null) {
            return null;
        }
        BigInteger i = ASN1Integer.getInstance(v).getValue();
        if (i.signum() < 0 || i.bitLength() > 8) {
            throw new IllegalArgumentException("SPL extension " + oid + " out of range: " + i);
        }
        return i.intValue();
    }

    /**
     * The exact bytes (header and content) of the first element of the DER SEQUENCE {@code der}, which
     * must be exactly one SEQUENCE; null if malformed.
     */
    static byte[] firstElementOfSequence(byte[] der) {
        if (der.length < 2 || der[0] != 0x30) {
            return null;
        }
        long[] outer = lengthAt(der, 1);
        if (outer == null || outer[1] + outer[0] != der.length) {
            return null;
        }
        int start = (int) outer[1];
        if (start + 2 > der.length || der[start] != 0x30) {
            return null;
        }
        long[] inner = lengthAt(der, start + 1);
        if (inner == null || inner[1] + inner[0] > der.length) {
            return null;
        }
        return Arrays.copyOfRange(der, start, (int) (inner[1] + inner[0]));
    }

    /** Reads a DER length at {@code off}: {length, offset of the content}; null if malformed. */
    private static long[] lengthAt(byte[] b, int off) {
        if (off >= b.length) {
            return null;
        }
        int first = b[off] & 0xFF;
        if (first < 0x80) {
            return new long[] {first, off + 1};
        }
        int n = first & 0x7F;
        if (n == 0 || n > 4 || off + 1 + n > b.length) {
            return null;
        }
        long len = 0;
        for (int i = 0; i < n; i++) {
            len = (len << 8) | (b[off + 1 + i] & 0xFF);
        }
        if (len > Integer.MAX_VALUE) {
            return null;
        }
        return new long[] {len, off + 1 + n};
    }
}
