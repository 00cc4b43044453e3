package dev.verity.ledger.evidence;

import dev.verity.core.Signature;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.TransactionRejectedException;
import dev.verity.ledger.VerificationMode;
import dev.verity.ledger.state.EnclaveRecord;

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
        var node = context.node();
        if (node.enclaveKey() == null) {
            throw new TransactionRejectedException(RejectCode.INVALID_EVIDENCE,
                    "node " + node.id().hex() + " has no registered enclave, so it cannot answer TEE jobs");
        }
        EnclaveRecord enclave = context.state().enclaves.get(node.enclaveKey());
        if (enclave == null || !enclave.node().equals(node.id())) {
            throw new TransactionRejectedException(RejectCode.INVALID_EVIDENCE,
                    "the enclave key " + node.enclaveKey().hex() + " is no longer registered to this node");
        }
        if (context.evidence().length != Signature.LENGTH) {
            throw new TransactionRejectedException(RejectCode.INVALID_EVIDENCE,
                    "TEE evidence is a 64-byte enclave signature, got " + context.evidence().length + " bytes");
        }
        var job = context.job();
        var statement = new TeeResultStatement(job.id(), job.model(), job.inputHash(), context.outputHash());
        if (!enclave.enclaveKey().verify(statement.signingBytes(), Signature.wrap(context.evidence()))) {
            throw new TransactionRejectedException(RejectCode.INVALID_EVIDENCE,
                    "the enclave signature does not cover this job, model, input and output");
        }
    }
}
