package dev.verity.node.tee;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.evidence.TeeResultStatement;
import dev.verity.proofs.attestation.DevAttestation;
import dev.verity.proofs.attestation.EnclaveBinding;
import java.security.SecureRandom;

/**
 * The software development enclave. It stands in for TEE hardware that this machine lacks and
 * produces the same shapes as the real thing: a fresh signing key made inside the enclave, an
 * attestation document (a measurement, 64 bytes of report data binding the key to the node, a
 * platform signature) and signatures over result statements. The ledger checks them with the same
 * verifier code path as hardware evidence. The platform key plays the vendor's chip key.
 */
public final class DevEnclave {
    /** The development build's measurement; the devnet genesis approves it. */
    public static final Hash DEV_MEASUREMENT = Sha256.digest(Bytes.utf8("verity-node-dev-enclave-v1"));

    private final PrivateKey enclaveKey;
    private final PublicKey nodeKey;
    private final PrivateKey platformKey;
    private final Hash measurement;

    private DevEnclave(PrivateKey enclaveKey, PublicKey nodeKey, PrivateKey platformKey, Hash measurement) {
        this.enclaveKey = enclaveKey;
        this.nodeKey = nodeKey;
        this.platformKey = platformKey;
        this.measurement = measurement;
    }

    /** Starts an enclave for {@code nodeKey}: its signing key never leaves this object. */
    public static DevEnclave launch(PrivateKey platformKey, PublicKey nodeKey, Hash measurement) {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return new DevEnclave(PrivateKey.fromSeed(seed), nodeKey, platformKey, measurement);
    }

    public PublicKey publicKey() {
        return enclaveKey.publicKey();
    }

    public Hash measurement() {
        return measurement;
    }

    /** The attestation document to register with {@code RegisterEnclave}. */
    public byte[] attestation() {
        byte[] reportData = EnclaveBinding.reportData(enclaveKey.publicKey(), nodeKey);
        byte[] signed = DevAttestation.signedBytes(DevAttestation.VERSION, platformKey.publicKey(), measurement, reportData);
        return new DevAttestation(DevAttestation.VERSION, platformKey.publicKey(), measurement, reportData,
                platformKey.sign(signed)).encode();
    }

    /** The TEE evidence for a result: the enclave's signature over the statement. */
    public byte[] sign(TeeResultStatement statement) {
        return enclaveKey.sign(statement.signingBytes()).bytes();
    }
}
