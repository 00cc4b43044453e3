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
import dev.verity.ledger.state.MeasurementKey;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.state.RevocationRecord;
import dev.verity.proofs.attestation.AttestationVerdict;
import dev.verity.proofs.attestation.AttestationVerifiers;
import dev.verity.proofs.attestation.EnclaveBinding;
import dev.verity.proofs.attestation.TcbVersion;
import dev.verity.proofs.attestation.TrustAnchors;
import dev.verity.protocol.tx.Payload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Registration of a node's enclave key: the hardware evidence is verified once, here, against the
 * collateral in chain state at the block's time; afterwards each TEE result costs one signature check.
 * The chain's policy on authentic evidence: no debug guest, an approved measurement, a TCB at or
 * above the minimum, a vendor TCB status that is not out of date or revoked, nothing revoked, and
 * report data that binds this enclave key to this node on this chain.
 */
public final class EnclaveRules {
    /** Intel TCB statuses the chain refuses outright, whatever the minimum TCB says. */
    static final List<String> REFUSED_TCB_STATUSES =
            List.of("OutOfDate", "OutOfDateConfigurationNeeded", "Revoked", "TcbLevelNotSupported");

    private EnclaveRules() {}

    public static void register(LedgerState state, String chainId, PublicKey sender, Payload.RegisterEnclave r,
                                BlockContext ctx, AttestationVerifiers attestations) {
        NodeRecord node = StakingRules.node(state, sender);
        byte[] doc = r.attestation();
        require(doc.length <= state.params().maxAttestationBytes(), RejectCode.OVERSIZED,
                "the attestation is " + doc.length + " bytes, more than the limit of " + state.params().maxAttestationBytes());
        require(!state.enclaves.contains(r.enclaveKey()), RejectCode.ENCLAVE_EXISTS,
                "enclave key " + r.enclaveKey().hex() + " is already registered");
        TrustAnchors anchors = new TrustAnchors(state.collateral.values(),
                Math.floorDiv(ctx.timestampMillis(), 1000));
        AttestationVerdict verdict = attestations.verify(doc, anchors);
        if (verdict instanceof AttestationVerdict.Invalid invalid) {
            throw reject(RejectCode.INVALID_ATTESTATION, "attestation refused: " + invalid.reason());
        }
        var valid = (AttestationVerdict.Valid) verdict;
        require(!valid.debug(), RejectCode.INVALID_ATTESTATION,
                "the " + valid.type() + " guest allows debugging, so its memory is not confidential");
        require(Arrays.equals(valid.reportData(), EnclaveBinding.reportData(chainId, r.enclaveKey(), sender)),
                RejectCode.INVALID_ATTESTATION,
                "the attestation's report data does not bind this enclave key to this node on chain " + chainId);
        require(state.approvedMeasurements.contains(new MeasurementKey(valid.type(), valid.measurement())),
                RejectCode.INVALID_ATTESTATION, valid.type() + " measurement " + valid.measurement().hex()
                        + " is not an approved build of the node software");
        TcbVersion minimum = state.minimumTcbs.get((long) valid.type().code());
        require(minimum == null || valid.tcb().meets(minimum), RejectCode.INVALID_ATTESTATION,
                "the platform's TCB " + valid.tcb() + " is below the chain's minimum " + minimum + " for " + valid.type());
        require(valid.tcbStatus() == null || !REFUSED_TCB_STATUSES.contains(valid.tcbStatus()),
                RejectCode.INVALID_ATTESTATION, "the vendor rates the platform's TCB " + valid.tcbStatus());
        EnclaveRecord record = new EnclaveRecord(r.enclaveKey(), sender, valid.type(), valid.measurement(), valid.chipId(),
                valid.tcb(), valid.rootId(), Sha256.digest(doc), ctx.height());
        RevocationRecord revoked = GovernanceRules.revocationCovering(state, record);
        if (revoked != null) {
            throw reject(RejectCode.INVALID_ATTESTATION, revoked.target().describe() + " is revoked since height "
                    + revoked.height() + ": " + revoked.reason());
        }
        if (node.enclaveKey() != null) {
            state.enclaves.remove(node.enclaveKey());
        }
        state.enclaves.put(r.enclaveKey(), record);
        state.nodes.put(sender, node.withEnclave(r.enclaveKey()));
        state.emit(LedgerEvent.of(EventType.ENCLAVE_REGISTERED, null, sender, sender, 0,
                valid.type() + " enclave " + r.enclaveKey().hex() + " with measurement " + valid.measurement().hex()
                        + ", TCB " + valid.tcb() + (valid.tcbStatus() == null ? "" : " (" + valid.tcbStatus() + ")")
                        + (valid.chipId().length == 0 ? "" : ", chip " + HexFormat.of().formatHex(valid.chipId()))));
    }
}
