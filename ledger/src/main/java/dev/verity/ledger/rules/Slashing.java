package dev.verity.ledger.rules;

import dev.verity.core.Amounts;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.state.Unbonding;
import dev.verity.protocol.VerificationMode;
import java.util.List;

/**
 * Takes a share of a node's stake for a proven fault. The share is of the stake plus what is still
 * unbonding, and is taken from the stake first, then from the latest unbonding entries, so unbonding
 * right after a bad result does not escape the slash.
 */
final class Slashing {
    private Slashing() {}

    /** Slashes {@code bps} of the node's bonded and unbonding stake; returns the amount taken (0 for an unknown node). */
    static long slashNode(LedgerState state, PublicKey nodeId, long bps, Hash job, String reason) {
        NodeRecord n = state.nodes.get(nodeId);
        if (n == null) {
            return 0;
        }
        long unbonding = 0;
        for (Unbonding u : n.unbonding()) {
            unbonding = Amounts.add(unbonding, u.amount());
        }
        long amount = Amounts.basisPoints(Amounts.add(n.stake(), unbonding), bps);
        long fromStake = Math.min(amount, n.stake());
        long rest = amount - fromStake;
        UnbondingCut cut = UnbondingCut.newestFirst(n.unbonding(), rest);
        List<Unbonding> entries = cut.entries();
        state.nodes.put(nodeId, n.slashed(n.stake() - fromStake, entries, amount));
        state.emit(LedgerEvent.of(EventType.NODE_SLASHED, job, nodeId, nodeId, amount,
                reason + " (" + bps + " basis points of stake)").withMode(modeOf(state, job)));
        return amount;
    }

    /** The mode of {@code job}, for tagging its events; null when there is no such job. */
    static VerificationMode modeOf(LedgerState state, Hash job) {
        JobRecord record = job == null ? null : state.jobs.get(job);
        return record == null ? null : record.mode();
    }
}
