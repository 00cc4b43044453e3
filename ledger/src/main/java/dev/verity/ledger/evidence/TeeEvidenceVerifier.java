package dev.verity.ledger.evidence;

import dev.verity.core.Signature;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.TransactionRejectedException;
import dev.verity.ledger.state.EnclaveRecord;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.protocol.VerificationMode;

/**
 * {@code TEE}: the evidence is the 64-byte signature of the node's registered enclave key over
 * the {@link TeeResultStatement}. The attestation itself was verified once, at registration.
 */
public final class TeeEvidenceVerifier implements EvidenceVerifier {
    @Override
    public VerificationMode mode() {
        return VerificationMode.TEE;
    }

    @Override
    public void verify(EvidenceContext context) {
        var job = context.job();
        var statement = new TeeResultStatement(job.id(), job.model(), job.inputHash(), context.outputHash());
        verifyEnclaveSignature(context.state(), context.node(), statement.signingBytes(), context.evidence(),
                "this job, model, input and output");
    }

    /**
     * Checks that {@code evidence} is the signature, over {@code signed}, of the enclave key registered to {@code node}
     * (and still registered); {@code covers} says what the statement binds, for the error.
     */
    public static void verifyEnclaveSignature(LedgerState state, NodeRecord node, byte[] signed, byte[] evidence, String covers) {
        if (node.enclaveKey() == null) {
            throw new TransactionRejectedException(RejectCode.INVALID_EVIDENCE,
                    "node " + node.id().hex() + " has no registered enclave, so it cannot answer TEE jobs");
        }
        EnclaveRecord enclave = state.enclaves.get(node.enclaveKey());
        if (enclave == null || !enclave.node().equals(node.id())) {
            throw new TransactionRejectedException(RejectCode.INVALID_EVIDENCE,
                    "the enclave key " + node.enclaveKey().hex() + " is no longer registered to this node");
        }
        if (evidence.length != Signature.LENGTH) {
            throw new TransactionRejectedException(RejectCode.INVALID_EVIDENCE,
                    "TEE evidence is a 64-byte enclave signature, got " + evidence.length + " bytes");
        }
        if (!enclave.enclaveKey().verify(signed, Signature.wrap(evidence))) {
            throw new TransactionRejectedException(RejectCode.INVALID_EVIDENCE,
                    "the enclave signature does not cover " + covers);
        }
    }
}
