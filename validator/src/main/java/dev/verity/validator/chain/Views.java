package dev.verity.validator.chain;

import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.state.DisputeRecord;
import dev.verity.ledger.state.EnclaveRecord;
import dev.verity.ledger.state.JobFailure;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.ModelRecord;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.state.ProgramRecord;
import dev.verity.ledger.state.ResultClaim;
import dev.verity.ledger.state.RetiredJob;
import dev.verity.ledger.state.RevocationRecord;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.TcbVersion;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.governance.RevocationTarget;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.sdk.InputSchemas;
import dev.verity.sdk.api.BlockView;
import dev.verity.sdk.api.ClaimView;
import dev.verity.sdk.api.DisputeView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.ModelView;
import dev.verity.sdk.api.NodeView;
import dev.verity.sdk.api.ProgramView;
import dev.verity.sdk.api.TeePolicyView;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.Certificate;

/** Maps ledger records to the API's data types. */
public final class Views {
    private Views() {}

    /** A node with its assignability judged under {@code s}'s parameters and height. */
    public static NodeView node(LedgerState s, NodeRecord n) {
        return node(n, n.notAssignableBecause(s.params().minStake(), s.height()), s.nodeEndpoints.get(n.id()));
    }

    static NodeView node(NodeRecord n, String notAssignableBecause, String endpoint) {
        return new NodeView(n.id().hex(), n.stake(), n.models().stream().map(Hash::hex).toList(),
                n.modes().stream().map(Enum::name).toList(), n.hardware().gpuModel(), n.hardware().gpuCount(),
                n.hardware().cpuModel(), n.hardware().cpuCount(), n.status().name(), n.jailedUntil(), n.missedDeadlines(),
                n.unbonding().stream().map(u -> new NodeView.UnbondingView(u.amount(), u.releaseHeight())).toList(),
                n.enclaveKey() == null ? null : n.enclaveKey().hex(), n.registeredAt(), n.earned(), n.penalized(),
                n.jobsCompleted(), n.capacity(), n.inFlight(), notAssignableBecause == null, notAssignableBecause, endpoint);
    }

    public static ModelView model(ModelRecord m, ProgramRecord program) {
        return new ModelView(m.id().hex(), m.owner().hex(), m.name(), m.inputDescription(), m.outputDescription(),
                m.computeUnits(), InputSchemas.view(m.inputSchema()), m.registeredAt(), program == null ? null : program(program));
    }

    /** A model with its program, if it has one, from {@code s}. */
    public static ModelView model(LedgerState s, ModelRecord m) {
        return model(m, s.programs.get(m.id()));
    }

    public static ProgramView program(ProgramRecord p) {
        return new ProgramView(p.root().hex(), p.leafCount(), p.stepCount(), p.registeredAt());
    }

    /** A job with its input and output as given (null in lists) and its pending claim and dispute from {@code s}. */
    public static JobView job(LedgerState s, JobRecord j, byte[] input, byte[] output) {
        ResultClaim claim = s.claims.get(j.id());
        DisputeRecord dispute = s.disputes.get(j.id());
        return job(j, input, output, claim == null ? null : claim(claim, j), dispute == null ? null : dispute(dispute, j),
                s.jobFailures.get(j.id()));
    }

    /** A finished job from the archive: it has no claim or dispute any more. */
    public static JobView archivedJob(RetiredJob r, boolean withData) {
        return job(r.job(), withData ? r.input() : null, withData ? r.output() : null, null, null, r.failure());
    }

    private static JobView job(JobRecord j, byte[] input, byte[] output, ClaimView claim, DisputeView dispute,
                               JobFailure failure) {
        Base64.Encoder b64 = Base64.getEncoder();
        return new JobView(j.id().hex(), j.client().hex(), j.model().hex(), j.inputHash().hex(), j.mode().name(),
                j.fallbackModes().stream().map(Enum::name).toList(), j.maxFee(), j.fee(), j.basePrice(), j.tip(), j.deadlineBlocks(),
                j.status().name(), hex(j.assignedNode()), j.assignedAt(), j.deadlineHeight(), j.reassignments(), j.submittedAt(),
                j.outputHash() == null ? null : j.outputHash().hex(), j.settledAt(), input == null ? null : b64.encodeToString(input),
                output == null ? null : b64.encodeToString(output), claim, dispute, failure(failure));
    }

    static JobView.FailureView failure(JobFailure f) {
        return f == null ? null : new JobView.FailureView(f.reason().name(), f.message(), f.node().hex(), f.height());
    }

    public static ClaimView claim(ResultClaim c, JobRecord j) {
        return new ClaimView(c.job().hex(), j.model().hex(), j.mode().name(), c.phase().name(), c.node().hex(), c.root().hex(),
                c.postedAt(), c.phaseEnds(), c.windowEnds(), hex(c.auditor()), c.auditAttempts());
    }

    public static DisputeView dispute(DisputeRecord d, JobRecord j) {
        return new DisputeView(d.job().hex(), j.model().hex(), d.kind().name(), d.defender().hex(), d.challenger().hex(),
                d.defenderRoot().hex(), d.challengerRoot().hex(), Sha256.digest(d.challengerOutput()).hex(), d.bond(),
                d.traceSize(), d.phase().name(), d.lo(), d.hi(), d.defenderNode().hex(), d.challengerNode().hex(), d.agreedLo(),
                d.agreedNode() == null ? null : d.agreedNode().hex(), d.defenderMove() != null, d.challengerMove() != null,
                d.deadline(), d.round(), d.defenderMoves(), d.challengerMoves(), d.openedAt());
    }

    private static String hex(PublicKey key) {
        return key == null ? null : key.hex();
    }

    public static BlockView block(Block b) {
        var h = b.header();
        List<String> txs = b.transactions().stream().map(SignedTransaction::hash).map(Hash::hex).toList();
        return new BlockView(h.height(), b.hash().hex(), h.previousHash().hex(), h.timestampMillis(), h.transactionsRoot().hex(),
                h.stateRoot().hex(), h.eventsRoot().hex(), h.producer().hex(), b.signature().hex(), txs);
    }

    /** The chain's TEE policy: council, next proposal, collateral, measurements, revocations, TCB minimums, enclaves. */
    public static TeePolicyView teePolicy(LedgerState s) {
        Council c = s.council();
        TeePolicyView.CouncilView council = c == null ? new TeePolicyView.CouncilView(List.of(), 0)
                : new TeePolicyView.CouncilView(c.members().stream().map(PublicKey::hex).toList(), c.threshold());
        List<TeePolicyView.CollateralView> collateral = new ArrayList<>();
        for (Map.Entry<Hash, Collateral> e : s.collateral.rows()) {
            collateral.add(collateral(e.getKey(), e.getValue()));
        }
        List<TeePolicyView.MeasurementView> measurements = new ArrayList<>();
        s.approvedMeasurements.forEach((k, label) ->
                measurements.add(new TeePolicyView.MeasurementView(k.type().name(), k.measurement().hex(), label)));
        List<TeePolicyView.RevocationView> revocations = new ArrayList<>();
        s.revocations.forEach((id, r) -> revocations.add(revocation(id, r)));
        List<TeePolicyView.MinimumTcbView> minimums = new ArrayList<>();
        s.minimumTcbs.forEach((code, tcb) ->
                minimums.add(new TeePolicyView.MinimumTcbView(typeName(code), tcb.components())));
        List<TeePolicyView.EnclaveView> enclaves = s.enclaves.values().stream().map(Views::enclave).toList();
        return new TeePolicyView(council, s.global(LedgerState.GLOBAL_NEXT_PROPOSAL), collateral, measurements, revocations,
                minimums, enclaves);
    }

    public static TeePolicyView.CollateralView collateral(Hash id, Collateral c) {
        byte[] data = c.data();
        return new TeePolicyView.CollateralView(id.hex(), c.type().name(), c.kind().name(), Sha256.digest(data).hex(),
                isCertificate(c.kind()) ? subject(data) : null, data.length);
    }

    private static boolean isCertificate(CollateralKind kind) {
        return kind == CollateralKind.ROOT_CERTIFICATE || kind == CollateralKind.TCB_SIGNING_CERTIFICATE;
    }

    /** The X.509 subject of a DER certificate, or null when the bytes are not one. */
    static String subject(byte[] der) {
        try {
            return Certificate.getInstance(der).getSubject().toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    public static TeePolicyView.RevocationView revocation(Hash id, RevocationRecord r) {
        RevocationTarget t = r.target();
        TeePolicyView.RevocationTargetView target = switch (t) {
            case RevocationTarget.Vendor v -> new TeePolicyView.RevocationTargetView("VENDOR", v.type().name(), null, null);
            case RevocationTarget.Chip chip -> new TeePolicyView.RevocationTargetView("CHIP", chip.type().name(),
                    HexFormat.of().formatHex(chip.chipId()), null);
            case RevocationTarget.MeasurementTarget m -> new TeePolicyView.RevocationTargetView("MEASUREMENT", m.type().name(),
                    null, m.measurement().hex());
        };
        return new TeePolicyView.RevocationView(id.hex(), target, t.describe(), r.reason(), r.height());
    }

    public static TeePolicyView.EnclaveView enclave(EnclaveRecord e) {
        byte[] chip = e.chipId();
        TcbVersion tcb = e.tcb();
        return new TeePolicyView.EnclaveView(e.enclaveKey().hex(), e.node().hex(), e.type().name(), e.measurement().hex(),
                chip.length == 0 ? null : HexFormat.of().formatHex(chip), tcb == null ? List.of() : tcb.components(),
                e.rootId() == null ? null : e.rootId().hex(), e.registeredAt());
    }

    private static String typeName(long code) {
        try {
            return TeeType.fromCode((int) code).name();
        } catch (DecodingException e) {
            return "0x" + Long.toHexString(code);
        }
    }
}
