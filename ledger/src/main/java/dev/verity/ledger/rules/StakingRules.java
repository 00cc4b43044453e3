package dev.verity.ledger.rules;

import static dev.verity.ledger.rules.Rejections.reject;
import static dev.verity.ledger.rules.Rejections.require;

import dev.verity.core.Amounts;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.evidence.EvidenceVerifiers;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.state.NodeStatus;
import dev.verity.ledger.state.Unbonding;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.tx.Hardware;
import dev.verity.protocol.tx.Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Node registration, bonding, unbonding, withdrawal, penalties and jail. */
public final class StakingRules {
    static final int MAX_UNBONDING_ENTRIES = 16;
    static final int MAX_DEVICE_COUNT = 1024;
    /** The most jobs a node may declare it runs at once. */
    public static final int MAX_CAPACITY = 4096;

    private StakingRules() {}

    public static NodeRecord node(LedgerState state, PublicKey id) {
        NodeRecord n = state.nodes.get(id);
        if (n == null) {
            throw reject(RejectCode.UNKNOWN_NODE, "account " + id.hex() + " is not a registered node");
        }
        return n;
    }

    public static void register(LedgerState state, PublicKey sender, Payload.RegisterNode r, BlockContext ctx,
                                EvidenceVerifiers verifiers) {
        Params p = state.params();
        require(!state.nodes.contains(sender), RejectCode.NODE_EXISTS, "account " + sender.hex() + " is already a node");
        require(r.stake() >= p.minStake(), RejectCode.STAKE_TOO_LOW,
                "a node needs a stake of at least " + p.minStake() + " base units, got " + r.stake());
        require(!r.models().isEmpty() && r.models().size() <= p.maxModelsPerNode(), RejectCode.MALFORMED,
                "a node serves 1 to " + p.maxModelsPerNode() + " models, got " + r.models().size());
        require(new TreeSet<>(r.models()).size() == r.models().size(), RejectCode.MALFORMED, "a model is listed twice");
        for (Hash m : r.models()) {
            require(state.models.contains(m), RejectCode.UNKNOWN_MODEL, "model " + m.hex() + " is not registered");
        }
        require(!r.modes().isEmpty(), RejectCode.MALFORMED, "a node declares at least one verification mode");
        require(new TreeSet<>(r.modes()).size() == r.modes().size(), RejectCode.MALFORMED, "a mode is listed twice");
        for (VerificationMode m : r.modes()) {
            require(verifiers.supports(m), RejectCode.MODE_NOT_SUPPORTED, "verification mode " + m + " is not enabled on this chain");
        }
        Hardware h = r.hardware();
        require(h.gpuCount() >= 0 && h.gpuCount() <= MAX_DEVICE_COUNT && h.cpuCount() >= 0 && h.cpuCount() <= MAX_DEVICE_COUNT,
                RejectCode.MALFORMED, "GPU and CPU counts must be within 0.." + MAX_DEVICE_COUNT);
        require(h.gpuCount() + h.cpuCount() > 0, RejectCode.MALFORMED, "a node declares at least one GPU or CPU");
        requireCapacity(r.capacity());
        Balances.debit(state, sender, r.stake(), "the stake");
        state.nodes.put(sender, new NodeRecord(sender, r.stake(), new ArrayList<>(new TreeSet<>(r.models())), r.modes(), h,
                NodeStatus.ACTIVE, 0, 0, List.of(), null, ctx.height(), 0, 0, 0, r.capacity(), 0));
        state.emit(LedgerEvent.of(EventType.NODE_REGISTERED, null, sender, sender, r.stake(),
                "node registered with stake " + r.stake() + ", modes " + r.modes() + ", capacity " + r.capacity() + " jobs at once"));
    }

    private static void requireCapacity(int capacity) {
        require(capacity >= 1 && capacity <= MAX_CAPACITY, RejectCode.INVALID_CAPACITY,
                "a node's capacity is 1 to " + MAX_CAPACITY + " jobs at once, got " + capacity);
    }

    /** A new capacity: the chain assigns no new job while the jobs in flight are at or above it; none is taken back. */
    public static void setCapacity(LedgerState state, PublicKey sender, Payload.SetCapacity c) {
        NodeRecord n = node(state, sender);
        requireCapacity(c.capacity());
        require(c.capacity() != n.capacity(), RejectCode.INVALID_CAPACITY, "the capacity is already " + n.capacity());
        state.nodes.put(sender, n.withCapacity(c.capacity()));
        state.emit(LedgerEvent.of(EventType.CAPACITY_CHANGED, null, sender, sender, 0,
                "capacity changed from " + n.capacity() + " to " + c.capacity() + " jobs at once (" + n.inFlight() + " in flight)"));
    }

    /** Records (or, with an empty URL, withdraws) the URL where the sending node streams its tokens. */
    public static void setEndpoint(LedgerState state, PublicKey sender, Payload.SetNodeEndpoint e) {
        node(state, sender);
        String url = e.url();
        String old = state.nodeEndpoints.get(sender);
        if (url.isEmpty()) {
            require(old != null, RejectCode.INVALID_ADDRESS, "this node has announced no endpoint, so there is none to withdraw");
            state.nodeEndpoints.remove(sender);
            state.emit(LedgerEvent.of(EventType.NODE_ENDPOINT_SET, null, sender, sender, 0, "endpoint " + old + " withdrawn"));
            return;
        }
        Optional<String> problem = ValidatorInfo.urlProblem(url, "endpoint URL");
        require(problem.isEmpty(), RejectCode.INVALID_ADDRESS, problem.orElse(""));
        require(!url.equals(old), RejectCode.INVALID_ADDRESS, "the endpoint is already " + url);
        state.nodeEndpoints.put(sender, url);
        state.emit(LedgerEvent.of(EventType.NODE_ENDPOINT_SET, null, sender, sender, 0, "endpoint set to " + url));
    }

    public static void bond(LedgerState state, PublicKey sender, Payload.Bond b) {
        NodeRecord n = node(state, sender);
        Balances.requirePositive(b.amount(), "the amount to bond");
        Balances.debit(state, sender, b.amount(), "bonding");
        state.nodes.put(sender, n.withStake(Amounts.add(n.stake(), b.amount())));
        state.emit(LedgerEvent.of(EventType.STAKE_BONDED, null, sender, sender, b.amount(), "stake bonded"));
    }

    public static void unbond(LedgerState state, PublicKey sender, Payload.Unbond u, BlockContext ctx) {
        NodeRecord n = node(state, sender);
        Params p = state.params();
        Balances.requirePositive(u.amount(), "the amount to unbond");
        require(u.amount() <= n.stake(), RejectCode.INSUFFICIENT_FUNDS,
                "cannot unbond " + u.amount() + ": the stake is " + n.stake());
        long remaining = n.stake() - u.amount();
        require(remaining == 0 || remaining >= p.minStake(), RejectCode.STAKE_TOO_LOW,
                "unbonding " + u.amount() + " would leave " + remaining + ", below the minimum stake " + p.minStake()
                        + "; unbond everything or at most " + (n.stake() - p.minStake()));
        require(n.unbonding().size() < MAX_UNBONDING_ENTRIES, RejectCode.MALFORMED,
                "at most " + MAX_UNBONDING_ENTRIES + " unbonding entries at once; withdraw matured ones first");
        long release = Amounts.add(ctx.height(), p.unbondingBlocks());
        List<Unbonding> entries = new ArrayList<>(n.unbonding());
        entries.add(new Unbonding(u.amount(), release));
        state.nodes.put(sender, n.withUnbonding(remaining, entries));
        state.emit(LedgerEvent.of(EventType.STAKE_UNBONDING, null, sender, sender, u.amount(),
                "stake unbonding, withdrawable from height " + release));
    }

    /**
     * Returns every matured unbonding entry of the sender to its balance: its node stake's, and its validator stake's
     * after it left the validator set. Refused for an account that is neither a node nor has validator stake unbonding,
     * and when nothing has matured.
     */
    public static void withdraw(LedgerState state, PublicKey sender, BlockContext ctx) {
        NodeRecord n = state.nodes.get(sender);
        long nextValidator = ValidatorRules.nextValidatorRelease(state, sender);
        if (n == null && nextValidator < 0) {
            throw reject(RejectCode.UNKNOWN_NODE, "account " + sender.hex()
                    + " is not a registered node and has no validator stake unbonding: nothing to withdraw");
        }
        long matured = 0;
        long nextNode = -1;
        if (n != null) {
            List<Unbonding> left = new ArrayList<>();
            for (Unbonding u : n.unbonding()) {
                if (u.releaseHeight() <= ctx.height()) {
                    matured = Amounts.add(matured, u.amount());
                } else {
                    left.add(u);
                }
            }
            nextNode = n.unbonding().isEmpty() ? -1 : n.unbonding().get(0).releaseHeight();
            if (matured > 0) {
                state.nodes.put(sender, n.withUnbonding(n.stake(), left));
                Balances.credit(state, sender, matured);
                state.emit(LedgerEvent.of(EventType.STAKE_WITHDRAWN, null, sender, sender, matured, "matured unbonding withdrawn"));
            }
        }
        matured = Amounts.add(matured, ValidatorRules.withdrawMatured(state, sender, ctx));
        if (matured == 0) {
            long next = nextNode < 0 ? nextValidator : nextValidator < 0 ? nextNode : Math.min(nextNode, nextValidator);
            String why = next < 0 ? "nothing is unbonding" : "the next entry matures at height " + next;
            throw reject(RejectCode.NOTHING_TO_WITHDRAW, "nothing to withdraw at height " + ctx.height() + ": " + why);
        }
    }

    public static void unjail(LedgerState state, PublicKey sender, BlockContext ctx) {
        NodeRecord n = node(state, sender);
        require(n.status() == NodeStatus.JAILED, RejectCode.NOT_JAILED, "node " + sender.hex() + " is not jailed");
        require(ctx.height() >= n.jailedUntil(), RejectCode.NODE_JAILED,
                "the node is jailed until height " + n.jailedUntil() + " (now " + ctx.height() + ")");
        require(n.stake() >= state.params().minStake(), RejectCode.STAKE_TOO_LOW,
                "bond at least " + (state.params().minStake() - n.stake()) + " more before unjailing");
        state.nodes.put(sender, n.withStatus(NodeStatus.ACTIVE, 0, 0));
        state.emit(LedgerEvent.of(EventType.NODE_UNJAILED, null, sender, sender, 0, "node unjailed"));
    }

    /**
     * A missed deadline: takes {@code missedDeadlinePenaltyBps} of the stake to the treasury, and
     * jails the node once it has missed {@code jailAfterMisses} deadlines since it was last jailed.
     */
    static void penalizeMissedDeadline(LedgerState state, PublicKey nodeId, Hash job, BlockContext ctx) {
        NodeRecord n = state.nodes.get(nodeId);
        if (n == null) {
            return;
        }
        Params p = state.params();
        long penalty = Amounts.basisPoints(n.stake(), p.missedDeadlinePenaltyBps());
        int misses = n.missedDeadlines() + 1;
        n = n.penalizedBy(penalty, misses);
        Balances.creditTreasury(state, penalty);
        state.emit(LedgerEvent.of(EventType.NODE_PENALIZED, job, nodeId, nodeId, penalty,
                "missed the result deadline of job " + job.hex() + ": " + p.missedDeadlinePenaltyBps()
                        + " basis points of stake to the treasury").withMode(Slashing.modeOf(state, job)));
        if (misses >= p.jailAfterMisses() && n.status() == NodeStatus.ACTIVE) {
            long until = Amounts.add(ctx.height(), p.jailBlocks());
            n = n.withStatus(NodeStatus.JAILED, until, 0);
            state.emit(LedgerEvent.of(EventType.NODE_JAILED, job, nodeId, nodeId, 0,
                    "jailed until height " + until + " after " + misses + " missed deadlines"));
        }
        state.nodes.put(nodeId, n);
    }
}
