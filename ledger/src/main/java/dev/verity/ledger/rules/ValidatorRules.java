package dev.verity.ledger.rules;

import static dev.verity.ledger.rules.Rejections.reject;
import static dev.verity.ledger.rules.Rejections.require;

import dev.verity.core.Amounts;
import dev.verity.core.PublicKey;
import dev.verity.ledger.BlockContext;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.EquivocationKey;
import dev.verity.ledger.state.EquivocationRecord;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.Unbonding;
import dev.verity.ledger.state.ValidatorUnbonding;
import dev.verity.protocol.Params;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.protocol.tx.Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The validator set on chain: joining it and adding stake ({@code ValidatorBond}), leaving it ({@code ValidatorLeave}),
 * withdrawing validator stake after its unbonding period ({@code Withdraw}), and slashing a validator that signed two
 * different finality votes at one height ({@code ReportEquivocation}). A change to the set a block makes takes effect
 * for the next block: the set stored after block h signs block h + 1.
 *
 * <p>A validator's bonded stake lives in its entry of the set; after a leave or a removal it unbonds in
 * {@link LedgerState#validatorUnbonding}, where equivocation evidence still reaches it.
 */
public final class ValidatorRules {
    private ValidatorRules() {}

    public static void bond(LedgerState state, PublicKey sender, Payload.ValidatorBond b, BlockContext ctx) {
        Params p = state.params();
        ValidatorSet set = state.validatorSet();
        Optional<ValidatorInfo> current = set.find(sender);
        require(b.amount() >= 0, RejectCode.INVALID_AMOUNT, "the amount to bond must not be negative, got " + b.amount());
        if (current.isEmpty()) {
            require(set.members().size() < ValidatorSet.MAX_MEMBERS, RejectCode.VALIDATOR_SET_FULL,
                    "the validator set is full: it holds " + ValidatorSet.MAX_MEMBERS + " validators");
            require(b.amount() >= p.minValidatorStake(), RejectCode.STAKE_TOO_LOW,
                    "joining the validator set needs a stake of at least " + p.minValidatorStake() + " base units, got "
                            + b.amount());
            requireAddress(ValidatorInfo.peerAddressProblem(b.peerAddress()), "joining the validator set needs a peer address");
            requireAddress(ValidatorInfo.apiUrlProblem(b.apiUrl()), "joining the validator set needs an API URL");
            requireUnclaimed(set, sender, b.peerAddress(), b.apiUrl());
            Balances.debit(state, sender, b.amount(), "the validator stake");
            state.setValidatorSet(set.with(new ValidatorInfo(sender, b.amount(), b.peerAddress(), b.apiUrl())));
            state.emit(LedgerEvent.of(EventType.VALIDATOR_JOINED, null, null, sender, b.amount(),
                    "joined the validator set with stake " + b.amount() + ", peer address " + b.peerAddress() + ", API "
                            + b.apiUrl() + "; signs from block " + (ctx.height() + 1)));
            return;
        }
        ValidatorInfo v = current.get();
        String peer = v.peerAddress();
        String api = v.apiUrl();
        if (!b.peerAddress().isEmpty()) {
            requireAddress(ValidatorInfo.peerAddressProblem(b.peerAddress()), "a new peer address");
            peer = b.peerAddress();
        }
        if (!b.apiUrl().isEmpty()) {
            requireAddress(ValidatorInfo.apiUrlProblem(b.apiUrl()), "a new API URL");
            api = b.apiUrl();
        }
        boolean moved = !peer.equals(v.peerAddress()) || !api.equals(v.apiUrl());
        require(b.amount() > 0 || moved, RejectCode.INVALID_AMOUNT,
                "this bond changes nothing: bond more than zero, or give a new peer address or API URL");
        requireUnclaimed(set, sender, peer, api);
        Balances.debit(state, sender, b.amount(), "bonding validator stake");
        long stake = Amounts.add(v.stake(), b.amount());
        state.setValidatorSet(set.with(new ValidatorInfo(sender, stake, peer, api)));
        state.emit(LedgerEvent.of(EventType.VALIDATOR_BONDED, null, null, sender, b.amount(),
                (b.amount() > 0 ? "validator stake bonded, now " + stake : "validator stake unchanged at " + stake)
                        + (moved ? "; peer address " + peer + ", API " + api : "")));
    }

    private static void requireAddress(Optional<String> problem, String what) {
        if (problem.isPresent()) {
            throw reject(RejectCode.INVALID_ADDRESS, what + ": " + problem.get());
        }
    }

    /** Another validator's peer address or API URL is not taken over: peers and clients would reach the wrong one. */
    private static void requireUnclaimed(ValidatorSet set, PublicKey sender, String peer, String api) {
        for (ValidatorInfo m : set.members()) {
            if (m.key().equals(sender)) {
                continue;
            }
            require(peer.isEmpty() || !peer.equals(m.peerAddress()), RejectCode.INVALID_ADDRESS,
                    "peer address " + peer + " is validator " + m.key().hex() + "'s");
            require(api.isEmpty() || !api.equals(m.apiUrl()), RejectCode.INVALID_ADDRESS,
                    "API URL " + api + " is validator " + m.key().hex() + "'s");
        }
    }

    public static void leave(LedgerState state, PublicKey sender, BlockContext ctx) {
        ValidatorSet set = state.validatorSet();
        ValidatorInfo v = set.find(sender).orElseThrow(() -> reject(RejectCode.NOT_VALIDATOR,
                "account " + sender.hex() + " is not in the validator set"));
        require(set.members().size() > 1, RejectCode.LAST_VALIDATOR,
                "the last validator cannot leave: nobody would sign the next block; another validator must join first");
        ValidatorUnbonding u = unbondingOf(state, sender);
        require(u.entries().size() < ValidatorUnbonding.MAX_ENTRIES, RejectCode.MALFORMED,
                "at most " + ValidatorUnbonding.MAX_ENTRIES + " validator unbonding entries at once; withdraw matured ones first");
        long release = Amounts.add(ctx.height(), state.params().unbondingBlocks());
        List<Unbonding> entries = new ArrayList<>(u.entries());
        entries.add(new Unbonding(v.stake(), release));
        state.validatorUnbonding.put(sender, new ValidatorUnbonding(entries));
        state.setValidatorSet(set.without(sender));
        state.emit(LedgerEvent.of(EventType.VALIDATOR_LEFT, null, null, sender, v.stake(),
                "left the validator set; its stake of " + v.stake() + " is unbonding, withdrawable from height " + release));
    }

    /**
     * Moves the sender's matured validator unbonding entries to its balance; returns the amount (0 when none matured
     * or it has none). Part of {@code Withdraw}, which also returns matured node stake.
     */
    static long withdrawMatured(LedgerState state, PublicKey sender, BlockContext ctx) {
        ValidatorUnbonding u = state.validatorUnbonding.get(sender);
        if (u == null) {
            return 0;
        }
        long matured = 0;
        List<Unbonding> left = new ArrayList<>();
        for (Unbonding e : u.entries()) {
            if (e.releaseHeight() <= ctx.height()) {
                matured = Amounts.add(matured, e.amount());
            } else {
                left.add(e);
            }
        }
        if (matured == 0) {
            return 0;
        }
        if (left.isEmpty()) {
            state.validatorUnbonding.remove(sender);
        } else {
            state.validatorUnbonding.put(sender, new ValidatorUnbonding(left));
        }
        Balances.credit(state, sender, matured);
        state.emit(LedgerEvent.of(EventType.STAKE_WITHDRAWN, null, null, sender, matured, "matured validator stake withdrawn"));
        return matured;
    }

    /** The release height of the sender's next validator unbonding entry, or -1 when it has none. */
    static long nextValidatorRelease(LedgerState state, PublicKey sender) {
        ValidatorUnbonding u = state.validatorUnbonding.get(sender);
        return u == null || u.entries().isEmpty() ? -1 : u.entries().get(0).releaseHeight();
    }

    private static ValidatorUnbonding unbondingOf(LedgerState state, PublicKey key) {
        ValidatorUnbonding u = state.validatorUnbonding.get(key);
        return u == null ? new ValidatorUnbonding(List.of()) : u;
    }

    /**
     * Slashes a validator that signed two different votes at one height of this chain. Both votes must verify under
     * the same validator key, name this chain and the same height, and differ; the validator must be in the set or
     * still have validator stake unbonding; and it must not have been slashed for that height already. It loses
     * {@code validatorSlashBps} of its validator stake (bonded and unbonding, from the bonded stake first, then from
     * the latest unbonding entries); {@code winnerShareBps} of that goes to the reporter, the rest to the treasury.
     * It leaves the set (unless it is the last validator: the chain would stop), and what is left of its bonded stake
     * unbonds.
     */
    public static void reportEquivocation(LedgerState state, String chainId, PublicKey sender, Payload.ReportEquivocation r,
                                          BlockContext ctx) {
        SignedVote first = r.first();
        SignedVote second = r.second();
        FinalityVote a = first.vote();
        FinalityVote b = second.vote();
        PublicKey validator = first.validator();
        require(second.validator().equals(validator), RejectCode.INVALID_EVIDENCE, "the votes are by two validators, "
                + validator.hex() + " and " + second.validator().hex() + "; an equivocation is two votes of one validator");
        require(a.chainId().equals(chainId) && b.chainId().equals(chainId), RejectCode.INVALID_EVIDENCE,
                "the votes are for chains '" + a.chainId() + "' and '" + b.chainId() + "'; this chain is '" + chainId + "'");
        require(a.height() == b.height(), RejectCode.INVALID_EVIDENCE, "the votes are for heights " + a.height() + " and "
                + b.height() + "; an equivocation is two different votes at one height");
        require(!a.equals(b), RejectCode.INVALID_EVIDENCE,
                "the two votes are the same vote; signing one vote twice is not an equivocation");
        require(first.verify(), RejectCode.INVALID_EVIDENCE,
                "the first vote's signature does not verify against validator " + validator.hex());
        require(second.verify(), RejectCode.INVALID_EVIDENCE,
                "the second vote's signature does not verify against validator " + validator.hex());
        require(!sender.equals(validator), RejectCode.INVALID_EVIDENCE,
                "a validator cannot report its own equivocation (it would be paid part of its slash)");
        long height = a.height();
        ValidatorSet set = state.validatorSet();
        long bonded = set.stakeOf(validator);
        ValidatorUnbonding unbonding = unbondingOf(state, validator);
        long unbondingTotal = unbonding.total();
        require(bonded > 0 || unbondingTotal > 0, RejectCode.NOT_VALIDATOR, "account " + validator.hex()
                + " is not in the validator set and has no validator stake unbonding: there is nothing to slash");
        EquivocationKey key = new EquivocationKey(validator, height);
        require(!state.equivocations.contains(key), RejectCode.INVALID_EVIDENCE,
                "validator " + validator.hex() + " was already slashed for equivocating at height " + height);
        Params p = state.params();
        long amount = Amounts.basisPoints(Amounts.add(bonded, unbondingTotal), p.validatorSlashBps());
        boolean last = bonded > 0 && set.members().size() == 1;
        // The last validator stays in the set (the chain would stop without it), so it keeps at least one base unit.
        long fromStake = Math.min(amount, last ? bonded - 1 : bonded);
        long rest = amount - fromStake;
        UnbondingCut cut = UnbondingCut.newestFirst(unbonding.entries(), rest);
        List<Unbonding> entries = cut.entries();
        rest = cut.left();
        amount -= rest; // only the last validator, slashed in full with nothing unbonding, keeps what cannot be taken
        long reward = Amounts.basisPoints(amount, p.winnerShareBps());
        long toTreasury = amount - reward;
        long remaining = bonded - fromStake;
        long release = Amounts.add(ctx.height(), p.unbondingBlocks());
        boolean removed = bonded > 0 && !last;
        if (removed) {
            set = set.without(validator);
            if (remaining > 0) {
                addEntry(entries, new Unbonding(remaining, release));
            }
        } else if (bonded > 0) {
            set = set.with(set.find(validator).orElseThrow().withStake(remaining));
        }
        state.setValidatorSet(set);
        if (entries.isEmpty()) {
            state.validatorUnbonding.remove(validator);
        } else {
            state.validatorUnbonding.put(validator, new ValidatorUnbonding(entries));
        }
        state.equivocations.put(key, new EquivocationRecord(amount, sender, ctx.height()));
        Balances.credit(state, sender, reward);
        Balances.creditTreasury(state, toTreasury);
        state.emit(LedgerEvent.of(EventType.VALIDATOR_SLASHED, null, null, validator, amount,
                "signed two different votes at height " + height + ": block " + a.blockHash().hex() + " with state root "
                        + a.stateRoot().hex() + " and block " + b.blockHash().hex() + " with state root " + b.stateRoot().hex()
                        + "; " + p.validatorSlashBps() + " basis points of its validator stake (" + bonded + " bonded, "
                        + unbondingTotal + " unbonding): " + reward + " to the reporter " + sender.hex() + ", " + toTreasury
                        + " to the treasury" + (last ? "; it stays in the set as its last validator" : "")));
        if (reward > 0) {
            state.emit(LedgerEvent.of(EventType.EQUIVOCATION_REWARD, null, null, sender, reward,
                    p.winnerShareBps() + " basis points of the slash of validator " + validator.hex()
                            + " for equivocating at height " + height));
        }
        if (removed) {
            state.emit(LedgerEvent.of(EventType.VALIDATOR_LEFT, null, null, validator, remaining,
                    "removed from the validator set for equivocating at height " + height
                            + (remaining > 0 ? "; its remaining stake of " + remaining + " is unbonding, withdrawable from height "
                            + release : "")));
        }
    }

    /** Adds {@code e}; with the entries full, merges it into the latest one, released no earlier than either. */
    private static void addEntry(List<Unbonding> entries, Unbonding e) {
        if (entries.size() < ValidatorUnbonding.MAX_ENTRIES) {
            entries.add(e);
            return;
        }
        Unbonding latest = entries.getLast();
        entries.set(entries.size() - 1, new Unbonding(Amounts.add(latest.amount(), e.amount()),
                Math.max(latest.releaseHeight(), e.releaseHeight())));
    }
}
