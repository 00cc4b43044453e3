package dev.verity.proofs.attestation;

import dev.verity.core.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * Verifies an Intel TDX quote (version 4 or 5, ECDSA-256) against Intel's SGX Root CA and, when given,
 * Intel's TCB collateral, using only BouncyCastle's lightweight API (no JCA, no IO, no clock: the time
 * is an input).
 *
 * <p>Checks, in order: the quote parses; the quote signature (ECDSA P-256/SHA-256, r||s) by the
 * attestation key over the signed part of the quote verifies; the PCK certificate chain from the
 * certification data is leaf, intermediate, root, each signed by the next (ECDSA-with-SHA256), the root
 * self-signed and byte-equal to the trusted root; every certificate is valid at the given time; the QE
 * report is signed by the PCK leaf; the QE report's REPORTDATA starts with SHA-256(attestation key ||
 * QE auth data) and ends with 32 zero bytes; if CRLs are given, each CRL is signed by its issuer in the
 * chain and current, and no chain certificate is revoked; if collateral is given, it is Intel's and
 * current (see {@link TdxCollateralVerifier}) and describes this platform, TDX module and QE (see
 * {@link TdxTcbEvaluator#mismatch}).
 *
 * <p>{@code valid} means authentic. The TCB status (whether the platform is up to date) is reported
 * beside it, not folded into it: which statuses to accept is the caller's policy, as is refusing a
 * debug TD.
 */
public final class TdxVerifier {

    private TdxVerifier() {}

    /**
     * The outcome of a verification. On failure every field but {@code valid} and {@code reason} is
     * null (and {@code debug} false). Byte arrays are copies.
     *
     * @param tcbStatus Intel's combined TCB status ({@link TdxTcbStatus#label()}: "UpToDate", ...), null
     *     without collateral
     * @param platformTcbStatus the status of the platform's TCB level alone, null without collateral
     * @param qeTcbStatus the status of the QE's TCB level, null without collateral
     * @param fmspc the platform's FMSPC from the PCK certificate (6 bytes)
     * @param teeTcbSvn TEE_TCB_SVN of the TD report (16 bytes)
     * @param chipId SHA-256 of the PCK leaf certificate's SubjectPublicKeyInfo: the platform's identity,
     *     for revoking it
     * @param debug whether the TD runs in debug mode (TD attributes bit 0)
     */
    public record Result(
            boolean valid,
            String reason,
            byte[] mrtd,
            byte[] reportData,
            List<byte[]> rtmrs,
            String tcbStatus,
            String platformTcbStatus,
            String qeTcbStatus,
            byte[] fmspc,
            byte[] teeTcbSvn,
            byte[] chipId,
            boolean debug) {
        public Result {
            mrtd = copy(mrtd);
            reportData = copy(reportData);
            rtmrs = rtmrs == null ? null : rtmrs.stream().map(byte[]::clone).toList();
            fmspc = copy(fmspc);
            teeTcbSvn = copy(teeTcbSvn);
            chipId = copy(chipId);
        }

        static Result invalid(String reason) {
            return new Result(false, reason, null, null, null, null, null, null, null, null, null, false);
        }

        @Override public byte[] mrtd() { return copy(mrtd); }
        @Override public byte[] reportData() { return copy(reportData); }
        @Override public byte[] fmspc() { return copy(fmspc); }
        @Override public byte[] teeTcbSvn() { return copy(teeTcbSvn); }
        @Override public byte[] chipId() { return copy(chipId); }

        @Override
        public List<byte[]> rtmrs() {
            return rtmrs == null ? null : rtmrs.stream().map(byte[]::clone).toList();
        }

        private static byte[] copy(byte[] b) {
            return b == null ? null : b.clone();
        }
    }

    /** Verifies without revocation checking and without TCB evaluation. */
    public static Result verify(byte[] quote, byte[] trustedRootDer, long timeEpochSeconds) {
        return verify(quote, trustedRootDer, null, null, timeEpochSeconds);
    }

    /** Verifies without TCB evaluation. */
    public static Result verify(byte[] quote, byte[] trustedRootDer, List<byte[]> crlsDer, long timeEpochSeconds) {
        return verify(quote, trustedRootDer, crlsDer, null, timeEpochSeconds);
    }

    /**
     * Verifies a quote.
     *
     * @param trustedRootDer Intel's SGX Root CA certificate (DER), from the caller's trust anchors
     * @param crlsDer null to skip revocation checks; otherwise CRLs (DER) that must include one issued by
     *     the PCK leaf's issuer (PCK Platform/Processor CA) and one by the root (which also covers the TCB
     *     signing certificate)
     * @param collateral null to skip the TCB evaluation (the statuses are then null)
     * @param timeEpochSeconds the time at which certificates, CRLs and collateral must be valid, seconds
     *     since the epoch (UTC)
     */
    public static Result verify(byte[] quote, byte[] trustedRootDer, List<byte[]> crlsDer, TdxCollateral collateral,
            long timeEpochSeconds) {
        try {
            return doVerify(quote, trustedRootDer, crlsDer, collateral, timeEpochSeconds);
        } catch (RuntimeException e) {
            return Result.invalid("malformed input: " + e.getMessage());
        }
    }

    private static Result doVerify(byte[] quoteBytes, byte[] rootDer, List<byte[]> crlsDer, TdxCollateral collateral,
            long time) {
        TdxQuote q;
        try {
            q = TdxQuote.parse(quoteBytes);
        } catch (IllegalArgumentException e) {
            return Result.invalid(e.getMessage());
        }

        // 1. Quote signature by the attestation key.
        ECPublicKeyParameters attKey = EcdsaP256.rawKey(q.attestationKey());
        if (attKey == null) {
            return Result.invalid("the attestation key is not a point on P-256");
        }
        if (!EcdsaP256.verifyRaw(attKey, q.signedBytes(), q.signature())) {
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
            if (!EcdsaP256.certSignedBy(subject, issuer)) {
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
        PckSgxExtensions pck;
        try {
            pck = PckSgxExtensions.of(leaf.cert());
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Result.invalid("the PCK leaf certificate's SGX extensions are malformed: " + e.getMessage());
        }

        // 3. QE report signed by the PCK leaf.
        ECPublicKeyParameters pckKey = EcdsaP256.key(leaf.cert().getSubjectPublicKeyInfo());
        if (pckKey == null) {
            return Result.invalid("the PCK leaf's public key is not an ECDSA P-256 key");
        }
        if (!EcdsaP256.verifyRaw(pckKey, q.qeReport(), q.qeReportSignature())) {
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
            String problem = IntelCrls.revocationProblem(crlsDer, List.of(leaf, inter), List.of(inter, root), time);
            if (problem != null) {
                return Result.invalid(problem);
            }
        }

        // 6. Collateral: Intel's, current, and about this platform; then the TCB statuses.
        TdxTcbEvaluator.Statuses statuses = null;
        if (collateral != null) {
            TdxCollateralVerifier.Checked checked = TdxCollateralVerifier.check(collateral, root, rootDer, crlsDer, time);
            if (checked.problem() != null) {
                return Result.invalid(checked.problem());
            }
            String mismatch = TdxTcbEvaluator.mismatch(checked.tcbInfo(), checked.qeIdentity(), pck, q);
            if (mismatch != null) {
                return Result.invalid(mismatch);
            }
            statuses = TdxTcbEvaluator.evaluate(checked.tcbInfo(), checked.qeIdentity(), pck, q);
        }

        byte[] chipId = Sha256.digest(DerElements.subjectPublicKeyInfo(leaf.tbs())).bytes();
        return new Result(true, "ok", q.mrtd(), q.reportData(), List.of(q.rtmrs()),
                statuses == null ? null : statuses.combined().label(),
                statuses == null ? null : statuses.platform().label(),
                statuses == null ? null : statuses.qe().label(),
                pck.fmspc(), q.teeTcbSvn(), chipId, q.debug());
    }
}
