package dev.verity.ledger.rules;

import static dev.verity.ledger.rules.Rejections.reject;
import static dev.verity.ledger.rules.Rejections.require;

import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.EnclaveRecord;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.tx.Payload;
import dev.verity.proofs.attestation.AttestationVerdict;
import dev.verity.proofs.attestation.AttestationVerifiers;
import dev.verity.proofs.attestation.EnclaveBinding;
import dev.verity.proofs.attestation.TrustAnchors;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * Registration of a node's enclave key: the full attestation is verified once, here; afterwards
 * each TEE result costs one signature check.
 */
public final class EnclaveRules {
    private EnclaveRules() {}

    public static void register(LedgerState state, PublicKey sender, Payload.RegisterEnclave r, BlockContext ctx,
                                AttestationVerifiers attestations) {
        NodeRecord node = StakingRules.node(state, sender);
        byte[] doc = r.attestation();
        require(doc.length <= state.params().maxAttestationBytes(), RejectCode.OVERSIZED,
                "the attestation is " + doc.length + " bytes, more than the limit of " + state.params().maxAttestationBytes());
        require(!state.enclaves.contains(r.enclaveKey()), RejectCode.ENCLAVE_EXISTS,
                "enclave key " + r.enclaveKey().hex() + " is already registered");
        AttestationVerdict verdict = attestations.verify(doc, new TrustAnchors(new ArrayList<>(state.trustedPlatformKeys.view().keySet())));
        if (verdict instanceof AttestationVerdict.Invalid invalid) {
            throw reject(RejectCode.INVALID_ATTESTATION, "attestation refused: " + invalid.reason());
        }
        var valid = (AttestationVerdict.Valid) verdict;
        require(state.approvedMeasurements.contains(valid.measurement()), RejectCode.INVALID_ATTESTATION,
                "measurement " + valid.measurement().hex() + " is not an approved build of the node software");
        require(Arrays.equals(valid.reportData(), EnclaveBinding.reportData(r.enclaveKey(), sender)),
                RejectCode.INVALID_ATTESTATION, "the attestation's report data does not bind this enclave key to this node");
        if (node.enclaveKey() != null) {
            state.enclaves.remove(node.enclaveKey());
        }
        state.enclaves.put(r.enclaveKey(), new EnclaveRecord(r.enclaveKey(), sender, valid.format().name(),
                valid.measurement(), Sha256.digest(doc), ctx.height()));
        state.nodes.put(sender, node.withEnclave(r.enclaveKey()));
        state.emit(LedgerEvent.of(EventType.ENCLAVE_REGISTERED, null, sender, sender, 0,
                valid.format() + " enclave " + r.enclaveKey().hex() + " with measurement " + valid.measurement().hex()));
    }
}
