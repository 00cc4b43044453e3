package dev.verity.ledger.state;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TcbVersion;
import dev.verity.proofs.attestation.TeeType;

/**
 * An enclave key registered by a node with verified hardware evidence, and what the evidence said:
 * kept so that a later revocation (vendor, chip, measurement, TCB level, root) finds it.
 *
 * @param chipId the platform's identity, empty when the evidence carries none
 * @param rootId the root certificate collateral that anchored the evidence
 */
public record EnclaveRecord(PublicKey enclaveKey, PublicKey node, TeeType type, Measurement measurement, byte[] chipId,
                            TcbVersion tcb, Hash rootId, Hash attestationHash, long registeredAt) {
    public EnclaveRecord {
        chipId = chipId.clone();
    }

    @Override
    public byte[] chipId() {
        return chipId.clone();
    }
}
