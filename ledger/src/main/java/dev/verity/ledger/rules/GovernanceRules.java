package dev.verity.ledger.rules;

import static dev.verity.ledger.rules.Rejections.reject;
import static dev.verity.ledger.rules.Rejections.require;

import dev.verity.core.PublicKey;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.EnclaveRecord;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.MeasurementKey;
import dev.verity.ledger.state.ProgramRecord;
import dev.verity.ledger.state.RevocationRecord;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.protocol.Params;
import dev.verity.protocol.governance.Approval;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.governance.GovernanceCodec;
import dev.verity.protocol.governance.RevocationTarget;
import dev.verity.protocol.tx.Payload;
import java.util.TreeSet;

/**
 * Governance proposals: checked against the council (numbered, each approved by enough distinct
 * members), then applied. Revocations take effect at once through {@link Revocations}.
 */
public final class GovernanceRules {
    private GovernanceRules() {}

    public static void apply(LedgerState state, String chainId, Payload.Govern g, BlockContext ctx) {
        long expected = state.global(LedgerState.GLOBAL_NEXT_PROPOSAL);
        require(g.proposal() == expected, RejectCode.INVALID_PROPOSAL,
                "proposal number " + g.proposal() + " is not the next one (" + expected + ")");
        checkApprovals(state.council(), GovernanceCodec.signingBytes(chainId, g.proposal(), g.action()), g);
        String summary = execute(state, g.action(), ctx);
        state.setGlobal(LedgerState.GLOBAL_NEXT_PROPOSAL, expected + 1);
        state.emit(LedgerEvent.of(EventType.GOVERNANCE_APPLIED, null, null, null, 0,
                "proposal " + g.proposal() + ": " + summary));
    }

    private static void checkApprovals(Council council, byte[] signed, Payload.Govern g) {
        TreeSet<PublicKey> approvers = new TreeSet<>();
        for (Approval a : g.approvals()) {
            require(council.members().contains(a.member()), RejectCode.INVALID_PROPOSAL,
                    "approver " + a.member().hex() + " is not a council member");
            require(approvers.add(a.member()), RejectCode.INVALID_PROPOSAL, "member " + a.member().hex() + " approved twice");
            require(a.member().verify(signed, a.signature()), RejectCode.BAD_SIGNATURE,
                    "the approval of member " + a.member().hex() + " does not verify for proposal " + g.proposal()
                            + " on this chain");
        }
        require(approvers.size() >= council.threshold(), RejectCode.INVALID_PROPOSAL,
                "the proposal has " + approvers.size() + " approvals; the council needs " + council.threshold());
    }

    private static String execute(LedgerState state, GovernanceAction action, BlockContext ctx) {
        return switch (action) {
            case GovernanceAction.AddCollateral a -> {
                Collateral c = a.collateral();
                require(!state.collateral.contains(c.id()), RejectCode.INVALID_PROPOSAL,
                        "collateral " + c.id().hex() + " is already trusted");
                require(c.data().length > 0, RejectCode.INVALID_PROPOSAL, "the collateral is empty");
                state.collateral.put(c.id(), c);
                yield "trusts " + c.type() + " " + c.kind() + " " + c.id().hex();
            }
            case GovernanceAction.RemoveCollateral r -> {
                Collateral c = state.collateral.get(r.id());
                if (c == null) {
                    throw reject(RejectCode.INVALID_PROPOSAL, "collateral " + r.id().hex() + " is not trusted");
                }
                state.collateral.remove(r.id());
                int dropped = c.kind() == CollateralKind.ROOT_CERTIFICATE
                        ? Revocations.unregisterWhere(state, e -> e.rootId().equals(r.id()),
                                c.type() + " root " + r.id().hex() + " removed: " + r.reason(), ctx)
                        : 0;
                yield "no longer trusts " + c.type() + " " + c.kind() + " " + r.id().hex() + " (" + r.reason() + "); "
                        + dropped + " enclave(s) unregistered";
            }
            case GovernanceAction.ApproveMeasurement m -> {
                MeasurementKey key = new MeasurementKey(m.type(), m.measurement());
                require(!state.approvedMeasurements.contains(key), RejectCode.INVALID_PROPOSAL,
                        m.type() + " measurement " + m.measurement().hex() + " is already approved");
                state.approvedMeasurements.put(key, m.label());
                yield "approves " + m.type() + " measurement " + m.measurement().hex() + " (" + m.label() + ")";
            }
            case GovernanceAction.Revoke r -> {
                require(!state.revocations.contains(r.target().id()), RejectCode.INVALID_PROPOSAL,
                        r.target().describe() + " is already revoked");
                state.revocations.put(r.target().id(), new RevocationRecord(r.target(), r.reason(), ctx.height()));
                if (r.target() instanceof RevocationTarget.MeasurementTarget m) {
                    state.approvedMeasurements.remove(new MeasurementKey(m.type(), m.measurement()));
                }
                int dropped = Revocations.unregisterWhere(state,
                        e -> r.target().covers(e.type(), e.chipId(), e.measurement()),
                        r.target().describe() + " revoked: " + r.reason(), ctx);
                yield "revokes " + r.target().describe() + " (" + r.reason() + "); " + dropped + " enclave(s) unregistered";
            }
            case GovernanceAction.Reinstate r -> {
                require(state.revocations.contains(r.target().id()), RejectCode.INVALID_PROPOSAL,
                        r.target().describe() + " is not revoked");
                state.revocations.remove(r.target().id());
                yield "reinstates " + r.target().describe();
            }
            case GovernanceAction.SetMinimumTcb s -> {
                state.minimumTcbs.put((long) s.type().code(), s.minimum());
                int dropped = Revocations.unregisterWhere(state,
                        e -> e.type() == s.type() && !e.tcb().meets(s.minimum()),
                        s.type() + " TCB below " + s.minimum() + " revoked: " + s.reason(), ctx);
                yield "sets the minimum " + s.type() + " TCB to " + s.minimum() + " (" + s.reason() + "); " + dropped
                        + " enclave(s) unregistered";
            }
            case GovernanceAction.SetVerificationParams v -> {
                Params next = state.params().withVerification(v.challengeWindowBlocks(), v.moveDeadlineBlocks(),
                        v.challengerBond(), v.disputeSlashBps(), v.winnerShareBps(), v.auditProbabilityBps());
                String problem = next.problem();
                require(problem == null, RejectCode.INVALID_PROPOSAL, "the verification parameters are refused: " + problem);
                for (ProgramRecord program : state.programs.values()) {
                    String bet = CheatingBet.problem(next, state.models.get(program.model()), FeeMarket.basePrice(state));
                    require(bet == null, RejectCode.INVALID_PROPOSAL, "the verification parameters are refused: " + bet);
                }
                state.setParams(next);
                yield "sets the challenge window to " + v.challengeWindowBlocks() + " blocks, move deadline "
                        + v.moveDeadlineBlocks() + " blocks, challenger bond " + v.challengerBond() + ", dispute slash "
                        + v.disputeSlashBps() + " bps (winner's share " + v.winnerShareBps() + " bps), audit probability "
                        + v.auditProbabilityBps() + " bps";
            }
            case GovernanceAction.ReplaceCouncil r -> {
                state.setCouncil(r.council());
                yield "hands governance to a council of " + r.council().members().size() + " (threshold "
                        + r.council().threshold() + ")";
            }
        };
    }

    /** Whether the record falls under a revocation in force. */
    static RevocationRecord revocationCovering(LedgerState state, EnclaveRecord e) {
        for (RevocationRecord r : state.revocations.values()) {
            if (r.target().covers(e.type(), e.chipId(), e.measurement())) {
                return r;
            }
        }
        return null;
    }
}
