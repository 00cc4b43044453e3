package dev.verity.bench;

import dev.verity.compute.tee.VendorRoots;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.core.Signature;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.devtee.SeededRandom;
import dev.verity.ledger.evidence.TeeResultStatement;
import dev.verity.proofs.attestation.AttestationEvidence;
import dev.verity.proofs.attestation.AttestationVerdict;
import dev.verity.proofs.attestation.AttestationVerifiers;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.EnclaveBinding;
import dev.verity.proofs.attestation.SevSnpReport;
import dev.verity.proofs.attestation.SevSnpVerifier;
import dev.verity.proofs.attestation.TdxCollateral;
import dev.verity.proofs.attestation.TdxQuote;
import dev.verity.proofs.attestation.TdxVerifier;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.proofs.attestation.TrustAnchors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the TEE mode costs the chain, against what one inference costs a node. An enclave key is registered once
 * with its hardware evidence (the full attestation check); afterwards each {@code TEE} result costs one Ed25519
 * signature check. Measured, one thread each:
 * <ul>
 *   <li>{@link #sevSnpRealReport}: AMD's real Milan report (go-sev-guest vector) with its VCEK, the ASK from the
 *       document and the Milan ARK as the only trusted root, at 2023-06-01 ({@link SevSnpVerifier}): report
 *       signature (ECDSA P-384), the certificate signatures on the VCEK, the ASK and the self-signed ARK
 *       (RSA-4096 PSS), validity, TCB and chip-id checks;</li>
 *   <li>{@link #sevSnpDevelopmentRegistration}: a development SEV-SNP report (devtee, same format and key sizes)
 *       through the chain's verifier ({@link AttestationVerifiers#standard()}) on the encoded document, with the
 *       development ARK as the only root in the anchors, then the report-data binding compared as
 *       {@code EnclaveRules.register} does;</li>
 *   <li>{@link #sevSnpDevelopmentRegistrationDevnetRoots}: the same, with the devnet genesis's roots (the
 *       development ARK and AMD's Milan, Genoa and Turin ARKs; Intel's root is ignored for SEV-SNP): every
 *       trusted ARK's self-signature is checked on each registration;</li>
 *   <li>{@link #tdxRealQuote}: Intel's real TDX quote (go-tdx-guest vector) with its PCK chain, against the SGX
 *       root CA and both CRLs at 2023-06-20 ({@link TdxVerifier#verify(byte[], byte[], List, long)}): quote
 *       signature, PCK chain, QE report signature and binding, two CRL signatures. TCB info and QE identity are
 *       not part of it;</li>
 *   <li>{@link #enclaveSignature}: one {@code TEE} result's evidence check: the enclave's Ed25519 signature over
 *       the {@link TeeResultStatement}, statement encoding included;</li>
 *   <li>{@link #inferenceIntegerVectorized}: one inference of each digits model on the integer engine, exactly
 *       {@link InferenceEnginesBenchmark#integerVectorized()} (its setup imports the package once per trial).</li>
 * </ul>
 * Every verification is checked to succeed before measuring. The warm-up is long (5 × 2 s) because the certificate
 * paths run only a few hundred times a second and reach their compiled speed after 6 to 8 s.
 *
 * <p>Diagnostics: {@link #ecdsaP384Generic} and {@link #ecdsaP256Generic} check one signature of the real vectors
 * (the SEV-SNP report's, the TDX quote's) on BouncyCastle's generic curve arithmetic
 * ({@code SECNamedCurves}, what the verifiers use); {@link #ecdsaP384Custom} and {@link #ecdsaP256Custom} check
 * the same signature on BouncyCastle's curve-specific arithmetic ({@code CustomNamedCurves}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class AttestationBenchmark {
    static final long SNP_VECTOR_TIME = Instant.parse("2023-06-01T00:00:00Z").getEpochSecond();
    static final long TDX_VECTOR_TIME = Instant.parse("2023-06-20T00:00:00Z").getEpochSecond();
    static final Instant DEV_NOT_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    static final String CHAIN_ID = "verity-bench";

    /** AMD's real Milan report, VCEK, ASK and ARK. */
    @State(Scope.Thread)
    public static class RealSevSnp {
        byte[] report;
        byte[] vcek;
        List<byte[]> intermediates;
        List<byte[]> trustedArks;

        @Setup
        public void load() {
            report = resource("/tee/sev-snp/attestation.bin");
            vcek = resource("/tee/sev-snp/vcek.testcer");
            List<byte[]> askArk = SevSnpVerifier.pemToDer(
                    new String(resource("/tee/sev-snp/ask_ark_milan.pem"), StandardCharsets.US_ASCII));
            intermediates = List.of(askArk.get(0)); // the file holds the ASK, then the ARK
            trustedArks = List.of(askArk.get(1));
            SevSnpVerifier.Result r = verify();
            if (!r.valid() || !"Milan".equals(r.productLine())) {
                throw new IllegalStateException("the real SEV-SNP vector does not verify: " + r.reason());
            }
        }

        SevSnpVerifier.Result verify() {
            return SevSnpVerifier.verify(report, vcek, intermediates, trustedArks, SNP_VECTOR_TIME, true);
        }
    }

    /** A development platform, one enclave's registration document, and the anchors as chain state holds them. */
    @State(Scope.Thread)
    public static class DevSevSnp {
        AttestationVerifiers verifiers;
        byte[] document;
        TrustAnchors devRootOnly;
        TrustAnchors devnetRoots;
        PublicKey enclaveKey;
        PublicKey nodeKey;

        @Setup
        public void generate() {
            DevSevSnpPlatform platform = DevSevSnpPlatform.generate(DEV_NOT_BEFORE, Duration.ofDays(3650),
                    new SeededRandom("bench"));
            enclaveKey = PrivateKey.deterministic("bench-enclave").publicKey();
            nodeKey = PrivateKey.deterministic("bench-node").publicKey();
            byte[] measurement = Arrays.copyOf(Sha256.digest("bench-build".getBytes(StandardCharsets.UTF_8)).bytes(),
                    48);
            byte[] report = platform.report(EnclaveBinding.reportData(CHAIN_ID, enclaveKey, nodeKey), measurement);
            document = new AttestationEvidence.SevSnp(report, platform.vcekDer(), List.of(platform.askDer())).encode();
            long time = DEV_NOT_BEFORE.plus(Duration.ofDays(1)).getEpochSecond();
            Collateral devArk = new Collateral(TeeType.SEV_SNP, CollateralKind.ROOT_CERTIFICATE, platform.arkDer());
            devRootOnly = new TrustAnchors(List.of(devArk), time);
            List<Collateral> genesis = new ArrayList<>();
            genesis.add(devArk);
            genesis.addAll(VendorRoots.all());
            if (genesis.stream().filter(c -> c.type() == TeeType.SEV_SNP).count() != 4) {
                throw new IllegalStateException("expected the development ARK and AMD's three ARKs, got " + genesis);
            }
            devnetRoots = new TrustAnchors(genesis, time);
            verifiers = AttestationVerifiers.standard();
            for (TrustAnchors anchors : List.of(devRootOnly, devnetRoots)) {
                if (!register(anchors)) {
                    throw new IllegalStateException("the development report is refused: " + verifiers.verify(document, anchors));
                }
            }
        }

        /** The attestation check of {@code EnclaveRules.register}: authentic evidence that binds this key and node. */
        boolean register(TrustAnchors anchors) {
            AttestationVerdict verdict = verifiers.verify(document, anchors);
            return verdict instanceof AttestationVerdict.Valid valid && !valid.debug()
                    && Arrays.equals(valid.reportData(), EnclaveBinding.reportData(CHAIN_ID, enclaveKey, nodeKey));
        }
    }

    /** Intel's real TDX quote, the SGX root CA and the PCK and root CRLs. */
    @State(Scope.Thread)
    public static class RealTdx {
        byte[] quote;
        byte[] root;
        List<byte[]> crls;

        @Setup
        public void load() {
            quote = resource("/tee/tdx/tdx_prod_quote_SPR_E4.dat");
            root = SevSnpVerifier.pemToDer(new String(resource("/tee/tdx/trusted_root.pem"), StandardCharsets.US_ASCII))
                    .get(0);
            crls = List.of(resource("/tee/tdx/pckcrl"), resource("/tee/tdx/rootcrl.der"));
            TdxVerifier.Result r = verify();
            if (!r.valid()) {
                throw new IllegalStateException("the real TDX vector does not verify: " + r.reason());
            }
        }

        TdxVerifier.Result verify() {
            return TdxVerifier.verify(quote, root, crls, TDX_VECTOR_TIME);
        }

        /** As the chain does it: also Intel's TCB info and QE identity, signed by the TCB Signing certificate. */
        TdxVerifier.Result verifyWithCollateral() {
            return TdxVerifier.verify(quote, root, crls, collateral, TDX_VECTOR_TIME);
        }

        TdxCollateral collateral;

        @Setup
        public void loadCollateral() {
            collateral = new TdxCollateral(resource("/tee/tdx/sample_tcbInfo_response"),
                    resource("/tee/tdx/sample_qeIdentity_response"),
                    SevSnpVerifier.pemToDer(new String(resource("/tee/tdx/tcb_signing_chain.pem"), StandardCharsets.US_ASCII)));
            TdxVerifier.Result r = verifyWithCollateral();
            if (!r.valid()) {
                throw new IllegalStateException("the real TDX vector does not verify with its collateral: " + r.reason());
            }
        }
    }

    /** A registered enclave key and its signature over one result statement. */
    @State(Scope.Thread)
    public static class EnclaveResult {
        PublicKey enclaveKey;
        Hash jobId;
        Hash model;
        Hash input;
        Hash output;
        Signature signature;

        @Setup
        public void sign() {
            PrivateKey key = PrivateKey.deterministic("bench-enclave");
            enclaveKey = key.publicKey();
            jobId = Sha256.digest("job".getBytes(StandardCharsets.UTF_8));
            model = Sha256.digest("model".getBytes(StandardCharsets.UTF_8));
            input = Sha256.digest("input".getBytes(StandardCharsets.UTF_8));
            output = Sha256.digest("output".getBytes(StandardCharsets.UTF_8));
            signature = key.sign(new TeeResultStatement(jobId, model, input, output).signingBytes());
            if (!verify()) {
                throw new IllegalStateException("the enclave signature does not verify");
            }
        }

        boolean verify() {
            return enclaveKey.verify(new TeeResultStatement(jobId, model, input, output).signingBytes(), signature);
        }
    }

    /**
     * One ECDSA signature of each real vector, its public key decoded once on each of two implementations of the
     * same curve: the SEV-SNP report (P-384, SHA-384, by the VCEK) and the TDX quote (P-256, SHA-256, by the
     * attestation key).
     */
    @State(Scope.Thread)
    public static class EcdsaSignatures {
        byte[] snpHash;
        BigInteger snpR;
        BigInteger snpS;
        ECPublicKeyParameters vcekGeneric;
        ECPublicKeyParameters vcekCustom;
        byte[] tdxHash;
        BigInteger tdxR;
        BigInteger tdxS;
        ECPublicKeyParameters attestationKeyGeneric;
        ECPublicKeyParameters attestationKeyCustom;

        @Setup
        public void load() {
            SevSnpReport report = SevSnpReport.parse(resource("/tee/sev-snp/attestation.bin"));
            snpHash = digest(new SHA384Digest(), report.signedBytes());
            snpR = littleEndian(report.signatureR());
            snpS = littleEndian(report.signatureS());
            byte[] vcekPoint = Certificate.getInstance(resource("/tee/sev-snp/vcek.testcer")).getSubjectPublicKeyInfo()
                    .getPublicKeyData().getBytes();
            vcekGeneric = key(SECNamedCurves.getByName("secp384r1"), vcekPoint);
            vcekCustom = key(CustomNamedCurves.getByName("secp384r1"), vcekPoint);

            TdxQuote quote = TdxQuote.parse(resource("/tee/tdx/tdx_prod_quote_SPR_E4.dat"));
            tdxHash = digest(new SHA256Digest(), quote.signedBytes());
            byte[] sig = quote.signature();
            tdxR = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
            tdxS = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
            byte[] point = new byte[65];
            point[0] = 0x04;
            System.arraycopy(quote.attestationKey(), 0, point, 1, 64);
            attestationKeyGeneric = key(SECNamedCurves.getByName("secp256r1"), point);
            attestationKeyCustom = key(CustomNamedCurves.getByName("secp256r1"), point);

            for (ECPublicKeyParameters k : List.of(vcekGeneric, vcekCustom)) {
                if (!verify(k, snpHash, snpR, snpS)) {
                    throw new IllegalStateException("the SEV-SNP report signature does not verify on " + k.getParameters().getCurve());
                }
            }
            for (ECPublicKeyParameters k : List.of(attestationKeyGeneric, attestationKeyCustom)) {
                if (!verify(k, tdxHash, tdxR, tdxS)) {
                    throw new IllegalStateException("the TDX quote signature does not verify on " + k.getParameters().getCurve());
                }
            }
        }

        static boolean verify(ECPublicKeyParameters key, byte[] hash, BigInteger r, BigInteger s) {
            ECDSASigner signer = new ECDSASigner();
            signer.init(false, key);
            return signer.verifySignature(hash, r, s);
        }

        private static ECPublicKeyParameters key(X9ECParameters curve, byte[] point) {
            return new ECPublicKeyParameters(curve.getCurve().decodePoint(point),
                    new ECDomainParameters(curve.getCurve(), curve.getG(), curve.getN(), curve.getH()));
        }

        private static byte[] digest(org.bouncycastle.crypto.Digest d, byte[] data) {
            d.update(data, 0, data.length);
            byte[] out = new byte[d.getDigestSize()];
            d.doFinal(out, 0);
            return out;
        }

        private static BigInteger littleEndian(byte[] le) {
            byte[] be = new byte[le.length];
            for (int i = 0; i < le.length; i++) {
                be[i] = le[le.length - 1 - i];
            }
            return new BigInteger(1, be);
        }
    }

    @Benchmark
    public SevSnpVerifier.Result sevSnpRealReport(RealSevSnp s) {
        return s.verify();
    }

    @Benchmark
    public boolean sevSnpDevelopmentRegistration(DevSevSnp s) {
        return s.register(s.devRootOnly);
    }

    @Benchmark
    public boolean sevSnpDevelopmentRegistrationDevnetRoots(DevSevSnp s) {
        return s.register(s.devnetRoots);
    }

    @Benchmark
    public TdxVerifier.Result tdxRealQuote(RealTdx s) {
        return s.verify();
    }

    @Benchmark
    public TdxVerifier.Result tdxRealQuoteWithCollateral(RealTdx s) {
        return s.verifyWithCollateral();
    }

    @Benchmark
    public boolean enclaveSignature(EnclaveResult s) {
        return s.verify();
    }

    /** One inference of {@code engines.model} on the vectorized integer engine, as a job runs it. */
    @Benchmark
    public float[] inferenceIntegerVectorized(InferenceEnginesBenchmark engines) {
        return engines.integerVectorized();
    }

    /** Diagnostic: the SEV-SNP report's ECDSA P-384 signature on the generic curve arithmetic. */
    @Benchmark
    public boolean ecdsaP384Generic(EcdsaSignatures s) {
        return EcdsaSignatures.verify(s.vcekGeneric, s.snpHash, s.snpR, s.snpS);
    }

    /** Diagnostic: the same signature on the curve-specific arithmetic. */
    @Benchmark
    public boolean ecdsaP384Custom(EcdsaSignatures s) {
        return EcdsaSignatures.verify(s.vcekCustom, s.snpHash, s.snpR, s.snpS);
    }

    /** Diagnostic: the TDX quote's ECDSA P-256 signature on the generic curve arithmetic. */
    @Benchmark
    public boolean ecdsaP256Generic(EcdsaSignatures s) {
        return EcdsaSignatures.verify(s.attestationKeyGeneric, s.tdxHash, s.tdxR, s.tdxS);
    }

    /** Diagnostic: the same signature on the curve-specific arithmetic. */
    @Benchmark
    public boolean ecdsaP256Custom(EcdsaSignatures s) {
        return EcdsaSignatures.verify(s.attestationKeyCustom, s.tdxHash, s.tdxR, s.tdxS);
    }

    static byte[] resource(String path) {
        try (InputStream in = AttestationBenchmark.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("resource " + path + " not found");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
