package dev.verity.node.chain;

import dev.verity.core.Hash;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.ModelRecord;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.tx.SignedTransaction;
import dev.verity.sdk.api.BlockView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.ModelView;
import dev.verity.sdk.api.NodeView;
import java.util.Base64;
import java.util.List;

/** Maps ledger records to the API's data types. */
public final class Views {
    private Views() {}

    public static NodeView node(NodeRecord n) {
        return new NodeView(n.id().hex(), n.stake(), n.models().stream().map(Hash::hex).toList(),
                n.modes().stream().map(Enum::name).toList(), n.hardware().gpuModel(), n.hardware().gpuCount(),
                n.hardware().cpuModel(), n.hardware().cpuCount(), n.status().name(), n.jailedUntil(), n.missedDeadlines(),
                n.unbonding().stream().map(u -> new NodeView.UnbondingView(u.amount(), u.releaseHeight())).toList(),
                n.enclaveKey() == null ? null : n.enclaveKey().hex(), n.registeredAt(), n.earned(), n.penalized(),
                n.jobsCompleted());
    }

    public static ModelView model(ModelRecord m) {
        return new ModelView(m.id().hex(), m.owner().hex(), m.name(), m.inputDescription(), m.outputDescription(),
                m.computeUnits(), m.inputBytes(), m.registeredAt());
    }

    public static JobView job(JobRecord j, byte[] input, byte[] output) {
        Base64.Encoder b64 = Base64.getEncoder();
        return new JobView(j.id().hex(), j.client().hex(), j.model().hex(), j.inputHash().hex(), j.mode().name(),
                j.fallbackModes().stream().map(Enum::name).toList(), j.maxFee(), j.fee(), j.deadlineBlocks(),
                j.status().name(), j.assignedNode() == null ? null : j.assignedNode().hex(), j.assignedAt(),
                j.deadlineHeight(), j.reassignments(), j.submittedAt(), j.outputHash() == null ? null : j.outputHash().hex(),
                j.settledAt(), input == null ? null : b64.encodeToString(input), output == null ? null : b64.encodeToString(output));
    }

    public static BlockView block(Block b) {
        var h = b.header();
        List<String> txs = b.transactions().stream().map(SignedTransaction::hash).map(Hash::hex).toList();
        return new BlockView(h.height(), b.hash().hex(), h.previousHash().hex(), h.timestampMillis(), h.transactionsRoot().hex(),
                h.stateRoot().hex(), h.eventsRoot().hex(), h.producer().hex(), b.signature().hex(), txs);
    }
}
