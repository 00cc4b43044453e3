package dev.verity.devnet;

import dev.verity.compute.tee.BuildMeasurement;
import dev.verity.compute.tee.Enclave;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.ledger.evidence.TeeFailureStatement;
import dev.verity.ledger.evidence.TeeResultStatement;
import dev.verity.proofs.attestation.AttestationEvidence;
import dev.verity.proofs.attestation.EnclaveBinding;
import dev.verity.proofs.attestation.Measurement;
import java.security.SecureRandom;
import java.util.List;

/**
 * The software development enclave. It stands in for TEE hardware that this machine lacks and
 * produces the real formats: a fresh signing key made inside the enclave, a SEV-SNP attestation
 * report whose report data binds that key to the node on this chain, signed by a development
 * VCEK under a development ARK/ASK (created at devnet genesis and trusted only by that genesis),
 * and signatures over result and failure statements. The ledger checks them with the same verifier as reports
 * from AMD hardware.
 */
public final class DevEnclave implements Enclave {
    private final PrivateKey enclaveKey;
    private final PublicKey nodeKey;
    private final String chainId;
    private final DevSevSnpPlatform platform;
    private final Measurement measurement;

    private DevEnclave(PrivateKey enclaveKey, PublicKey nodeKey, String chainId, DevSevSnpPlatform platform,
                       Measurement measurement) {
        this.enclaveKey = enclaveKey;
        this.nodeKey = nodeKey;
        this.chainId = chainId;
        this.platform = platform;
        this.measurement = measurement;
    }

    /** Starts an enclave for {@code nodeKey} on {@code chainId}: its signing key never leaves this object. */
    public static DevEnclave launch(DevSevSnpPlatform platform, String chainId, PublicKey nodeKey, Measurement measurement) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return new DevEnclave(PrivateKey.fromSeed(seed), nodeKey, chainId, platform, measurement);
    }

    /**
     * The measurement a development enclave reports: the running node software build's
     * ({@link BuildMeasurement#ofRunningBuild()}). On real hardware the launch measurement covers the VM
     * image that contains the build.
     */
    public static Measurement buildMeasurement() {
        return new Measurement(BuildMeasurement.ofRunningBuild().digest());
    }

    @Override
    public PublicKey publicKey() {
        return enclaveKey.publicKey();
    }

    @Override
    public Measurement measurement() {
        return measurement;
    }

    /** The attestation document to register with {@code RegisterEnclave}: report, VCEK and ASK (never the ARK). */
    @Override
    public byte[] attestation() {
        byte[] reportData = EnclaveBinding.reportData(chainId, enclaveKey.publicKey(), nodeKey);
        byte[] report = platform.report(reportData, measurement.bytes());
        return new AttestationEvidence.SevSnp(report, platform.vcekDer(), List.of(platform.askDer())).encode();
    }

    /** The TEE evidence for a result: the enclave's signature over the statement. */
    @Override
    public byte[] sign(TeeResultStatement statement) {
        return enclaveKey.sign(statement.signingBytes()).bytes();
    }

    /**
     * The TEE evidence for a failure report: the enclave's signature over the statement that it refused the job's input
     * (job, model, input hash, reason and message), as it signs a result.
     */
    @Override
    public byte[] sign(TeeFailureStatement statement) {
        return enclaveKey.sign(statement.signingBytes()).bytes();
    }
}
