package dev.verity.proofs.attestation;

import dev.verity.core.Sha256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * Verifies an AMD SEV-SNP attestation report against its VCEK or VLEK certificate and AMD's chain to a
 * trusted ARK, using only BouncyCastle's lightweight API (no JCA, no IO, no clock: the time is an input).
 *
 * <p>Checks: the report parses (1184 bytes, version 2 to 5) and is signed with ECDSA P-384/SHA-384 by the key
 * its SIGNING_KEY names (0 = VCEK, 1 = VLEK; 7 = unsigned is refused); the leaf certificate's key verifies the
 * signature over bytes 0x000..0x29F; the leaf is issued by an intermediate (ASK for a VCEK, ASVK for a VLEK),
 * the intermediate by a trusted ARK (all RSASSA-PSS SHA-384, salt 48); every certificate is valid at the given
 * time; a VCEK's hwID equals the report's CHIP_ID (a VLEK has a CSP ID instead, and no chip binding); the
 * leaf's SPL extensions equal REPORTED_TCB read in the product line's layout (Turin adds fmcSPL); and (unless
 * allowed) the guest policy does not permit debugging.
 *
 * <p>The product line comes from the report's CPUID (version 3 and later) and otherwise from the intermediate's
 * name ("SEV-Milan", "SEV-VLEK-Turin", ...); when both name a known line they must agree. An unknown line
 * (a development chain) verifies with the Milan/Genoa layout.
 */
public final class SevSnpVerifier {

    /** AMD's VCEK/VLEK extension OIDs (AMD KDS specification). */
    public static final String OID_BL_SPL = "1.3.6.1.4.1.3704.1.3.1";
    public static final String OID_TEE_SPL = "1.3.6.1.4.1.3704.1.3.2";
    public static final String OID_SNP_SPL = "1.3.6.1.4.1.3704.1.3.3";
    public static final String OID_UCODE_SPL = "1.3.6.1.4.1.3704.1.3.8";
    /** Turin only: the FMC security patch level. */
    public static final String OID_FMC_SPL = "1.3.6.1.4.1.3704.1.3.9";
    /** VCEK only: the chip's hardware id. */
    public static final String OID_HW_ID = "1.3.6.1.4.1.3704.1.4";
    /** VLEK only: the cloud service provider the key was loaded for. */
    public static final String OID_CSP_ID = "1.3.6.1.4.1.3704.1.5";

    private SevSnpVerifier() {}

    /**
     * The outcome of a verification. On failure everything but {@code valid} and {@code reason} is null, false
     * or 0.
     *
     * @param chipId the report's CHIP_ID (64 bytes) when a VCEK signed it; null for a VLEK, which names no chip
     * @param productLine "Milan", "Genoa", "Turin" or "unknown"
     * @param signingKey "VCEK" or "VLEK"
     * @param debugAllowed guest policy bit 19
     * @param arkSha256 SHA-256 of the DER of the trusted ARK that anchored the chain
     */
    public record Result(boolean valid, String reason, byte[] measurement, byte[] reportData, SevSnpTcb reportedTcb,
            byte[] chipId, String productLine, String signingKey, boolean debugAllowed, byte[] arkSha256,
            int reportVersion, long policy) {
        public Result {
            measurement = copy(measurement);
            reportData = copy(reportData);
            chipId = copy(chipId);
            arkSha256 = copy(arkSha256);
        }

        static Result invalid(String reason) {
            return new Result(false, reason, null, null, null, null, null, null, false, null, 0, 0);
        }

        @Override
        public byte[] measurement() {
            return copy(measurement);
        }

        @Override
        public byte[] reportData() {
            return copy(reportData);
        }

        @Override
        public byte[] chipId() {
            return copy(chipId);
        }

        @Override
        public byte[] arkSha256() {
            return copy(arkSha256);
        }

        private static byte[] copy(byte[] b) {
            return b == null ? null : b.clone();
        }
    }

    /** Verifies, refusing reports whose guest policy allows debugging. */
    public static Result verify(byte[] report, byte[] vcekDer, List<byte[]> askArkCertsDer, long timeEpochSeconds) {
        return verify(report, vcekDer, askArkCertsDer, timeEpochSeconds, false);
    }

    /**
     * Verifies a report against certificates that all come from one trusted place (a collateral folder the
     * caller vouches for): every certificate in the list that is validly self-signed is taken as a trusted ARK,
     * the others as intermediates (a self-named root whose signature fails is left out). Never pass certificates from an untrusted document here; use
     * {@link #verify(byte[], byte[], List, List, long, boolean)}.
     *
     * @param askArkCertsDer candidate ASK/ASVK and ARK certificates (DER), for any number of products
     * @param timeEpochSeconds the time at which every certificate must be valid (seconds since the epoch, UTC)
     * @param allowDebug whether to accept a guest whose policy allows debugging (bit 19)
     */
    public static Result verify(byte[] report, byte[] vcekDer, List<byte[]> askArkCertsDer, long timeEpochSeconds,
            boolean allowDebug) {
        try {
            List<byte[]> roots = new ArrayList<>();
            List<byte[]> intermediates = new ArrayList<>();
            for (byte[] der : askArkCertsDer) {
                X509Cert c = X509Cert.parse(der, "ASK/ARK");
                if (c == null) {
                    return Result.invalid("an ASK/ARK certificate does not parse");
                }
                if (AmdCertChain.isSelfSigned(c)) {
                    roots.add(der);
                } else if (!AmdCertChain.claimsToBeRoot(c)) {
                    intermediates.add(der);
                } // else a root whose signature fails: it can anchor nothing, and it is no intermediate either
            }
            return verify(report, vcekDer, intermediates, roots, timeEpochSeconds, allowDebug);
        } catch (RuntimeException e) {
            return Result.invalid("malformed input: " + e.getMessage());
        }
    }

    /**
     * Verifies a report whose intermediate certificates come from an untrusted attestation document.
     *
     * @param leafCertDer the VCEK or VLEK certificate (DER), as the report's SIGNING_KEY says
     * @param intermediatesDer ASK or ASVK candidates (DER), untrusted; a self-signed one is refused unless it is
     *     byte for byte one of the trusted ARKs
     * @param trustedArksDer the ARKs the caller trusts (DER), each self-signed with RSASSA-PSS; the chain must
     *     end at one of them
     * @param timeEpochSeconds the time at which every certificate must be valid (seconds since the epoch, UTC)
     * @param allowDebug whether to accept a guest whose policy allows debugging (bit 19)
     */
    public static Result verify(byte[] report, byte[] leafCertDer, List<byte[]> intermediatesDer,
            List<byte[]> trustedArksDer, long timeEpochSeconds, boolean allowDebug) {
        try {
            return doVerify(report, leafCertDer, List.copyOf(intermediatesDer), List.copyOf(trustedArksDer),
                    timeEpochSeconds, allowDebug);
        } catch (RuntimeException e) {
            return Result.invalid("malformed input: " + e.getMessage());
        }
    }

    private static Result doVerify(byte[] reportBytes, byte[] leafDer, List<byte[]> intermediatesDer,
            List<byte[]> trustedArksDer, long time, boolean allowDebug) {
        SevSnpReport report;
        try {
            report = SevSnpReport.parse(reportBytes);
        } catch (IllegalArgumentException e) {
            return Result.invalid(e.getMessage());
        }
        if (report.signatureAlgo() != SevSnpReport.SIG_ALGO_ECDSA_P384_SHA384) {
            return Result.invalid("unsupported report signature algorithm " + report.signatureAlgo());
        }
        boolean vlek;
        switch (report.signingKey()) {
            case SevSnpReport.SIGNING_KEY_VCEK -> vlek = false;
            case SevSnpReport.SIGNING_KEY_VLEK -> vlek = true;
            case SevSnpReport.SIGNING_KEY_NONE -> {
                return Result.invalid("the report is not signed (SIGNING_KEY 7: none)");
            }
            default -> {
                return Result.invalid("the report names a reserved signing key (SIGNING_KEY " + report.signingKey() + ")");
            }
        }
        String role = vlek ? "VLEK" : "VCEK";

        X509Cert leaf = X509Cert.parse(leafDer, role);
        if (leaf == null) {
            return Result.invalid("the " + role + " certificate does not parse");
        }

        // 1. Report signature by the leaf.
        ECPublicKeyParameters leafKey = ecP384Key(leaf.cert());
        if (leafKey == null) {
            return Result.invalid("the " + role + "'s public key is not an ECDSA P-384 key");
        }
        if (!verifyReportSignature(report, leafKey)) {
            return Result.invalid("the report signature does not verify under the " + role);
        }

        // 2. The leaf is the kind of key the report names: a VCEK names a chip, a VLEK a cloud provider.
        AmdKeyExtensions ext = AmdKeyExtensions.of(leaf);
        if (ext == null) {
            return Result.invalid("the " + role + " has no extensions");
        }
        byte[] hwId = ext.hwId();
        String cspId = ext.cspId();
        if (vlek && (cspId == null || hwId != null)) {
            return Result.invalid("the report names a VLEK as its signing key, but the certificate is not a VLEK"
                    + (cspId == null ? " (it has no CSP ID extension)" : " (it has a hwID extension)"));
        }
        if (!vlek && (hwId == null || cspId != null)) {
            return Result.invalid(hwId == null ? "the VCEK has no hwID extension"
                    : "the report names a VCEK as its signing key, but the certificate has a CSP ID (a VLEK)");
        }

        // 3. Chain: leaf <- ASK/ASVK (untrusted) <- trusted ARK.
        AmdCertChain.Outcome chain = AmdCertChain.anchor(leaf, intermediatesDer, trustedArksDer, vlek ? "ASVK" : "ASK");
        if (chain.problem() != null) {
            return Result.invalid(chain.problem());
        }
        AmdCertChain.Anchored anchored = chain.chain();

        // 4. Validity at the given time.
        for (X509Cert c : List.of(leaf, anchored.intermediate(), anchored.ark())) {
            String problem = c.validityProblem(time);
            if (problem != null) {
                return Result.invalid(problem);
            }
        }

        // 5. Product line, then the leaf's patch levels and chip binding.
        SevSnpProductLine fromCpuid = report.productLine();
        SevSnpProductLine fromChain = SevSnpProductLine.fromSigningKeyName(
                AmdCertChain.commonName(anchored.intermediate().cert().getSubject()));
        if (fromCpuid != SevSnpProductLine.UNKNOWN && fromChain != SevSnpProductLine.UNKNOWN && fromCpuid != fromChain) {
            return Result.invalid("product line mismatch: the report's CPUID names " + fromCpuid.displayName()
                    + " but the certificate chain is " + fromChain.displayName() + "'s");
        }
        SevSnpProductLine line = fromCpuid != SevSnpProductLine.UNKNOWN ? fromCpuid : fromChain;
        SevSnpTcb reportedTcb = report.reportedTcb().withLayout(line.tcbLayout());
        String tcbMismatch = ext.tcbMismatch(reportedTcb, role);
        if (tcbMismatch != null) {
            return Result.invalid(tcbMismatch);
        }
        if (!vlek && !AmdKeyExtensions.hwIdMatches(hwId, report.chipId())) {
            return Result.invalid("the VCEK's hwID does not match the report's CHIP_ID");
        }

        // 6. Policy.
        if (report.debugAllowed() && !allowDebug) {
            return Result.invalid("the guest policy allows debugging (bit 19)");
        }
        return new Result(true, "ok", report.measurement(), report.reportData(), reportedTcb,
                vlek ? null : report.chipId(), line.displayName(), role, report.debugAllowed(),
                Sha256.digest(anchored.arkDer()).bytes(), report.version(), report.policy());
    }

    /** Decodes every {@code CERTIFICATE} block of a PEM text into DER, in order. */
    public static List<byte[]> pemToDer(String pem) {
        return Pem.blocks(pem, "CERTIFICATE");
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
