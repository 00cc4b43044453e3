package dev.verity.compute.tee;

import dev.verity.core.PublicKey;
import dev.verity.ledger.evidence.TeeFailureStatement;
import dev.verity.ledger.evidence.TeeResultStatement;
import dev.verity.proofs.attestation.Measurement;

/**
 * The trusted execution environment a compute node answers TEE jobs from: a signing key that never leaves it, the
 * attestation that binds that key to the node on one chain, and signatures over result and failure statements. The
 * real implementation is {@link TsmEnclave} (a confidential VM, evidence through configfs-tsm); the development
 * enclave of the devnet implements the same interface and produces the same formats.
 */
public interface Enclave {
    /** The enclave's signing key, registered on chain with {@code RegisterEnclave}. */
    PublicKey publicKey();

    /** The launch measurement the attestation reports. */
    Measurement measurement();

    /** The encoded {@code AttestationEvidence} whose report data binds {@link #publicKey()} to the node and chain. */
    byte[] attestation();

    /** The TEE evidence for a result: the enclave's signature over the statement. */
    byte[] sign(TeeResultStatement statement);

    /** The TEE evidence for a failure report: the enclave's signature over the statement that it refused the input. */
    byte[] sign(TeeFailureStatement statement);
}
