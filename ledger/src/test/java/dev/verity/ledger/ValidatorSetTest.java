package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.CAROL;
import static dev.verity.ledger.TestChain.CHAIN_ID;
import static dev.verity.ledger.TestChain.FUNDED;
import static dev.verity.ledger.TestChain.INITIAL_BALANCE;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.NODE_2;
import static dev.verity.ledger.TestChain.VALIDATOR;
import static dev.verity.ledger.TestChain.VRT;
import static dev.verity.protocol.VerificationMode.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.core.Signature;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.EquivocationKey;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.Supply;
import dev.verity.ledger.state.Unbonding;
import dev.verity.ledger.state.ValidatorUnbonding;
import dev.verity.protocol.Params;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.consensus.ValidatorSet;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The validator set on chain: genesis validators and their stake in the supply, joining and adding stake
 * ({@code ValidatorBond}), leaving with unbonding and withdrawal ({@code ValidatorLeave}, {@code Withdraw}), set changes
 * taking effect for the next block, and equivocation slashing ({@code ReportEquivocation}) with exact amounts, against
 * evidence that must never cost an honest validator anything. Every refusal leaves the state root unchanged.
 */
class ValidatorSetTest {
    static final String PEER = "alice.example:7000";
    static final String API = "http://alice.example:8080";
    static final long GENESIS_STAKE = Genesis.DEFAULT_VALIDATOR_STAKE;

    final TestChain chain = new TestChain();

    // ------------------------------------------------------------------ helpers

    SignedTransaction bond(PrivateKey who, long amount, String peer, String api) {
        return chain.sign(who, new Payload.ValidatorBond(amount, peer, api));
    }

    SignedTransaction join(PrivateKey who, long amount) {
        String name = who == ALICE ? "alice" : who == BOB ? "bob" : who == CAROL ? "carol" : "v" + who.publicKey().hex().substring(0, 8);
        return bond(who, amount, name + ".example:7000", "http://" + name + ".example:8080");
    }

    SignedTransaction leave(PrivateKey who) {
        return chain.sign(who, new Payload.ValidatorLeave());
    }

    SignedTransaction report(PrivateKey reporter, SignedVote first, SignedVote second) {
        return chain.sign(reporter, new Payload.ReportEquivocation(first, second));
    }

    static Hash h(String label) {
        return Sha256.digest(Bytes.utf8(label));
    }

    static FinalityVote vote(String chainId, long height, String block, String root) {
        return new FinalityVote(chainId, height, h(block), h(root), h("the set"));
    }

    static SignedVote signed(PrivateKey validator, long height, String block, String root) {
        return SignedVote.sign(vote(CHAIN_ID, height, block, root), validator);
    }

    ValidatorSet set() {
        return chain.ledger.state().validatorSet();
    }

    long stakeOf(PrivateKey k) {
        return set().stakeOf(k.publicKey());
    }

    List<Unbonding> unbondingOf(PrivateKey k) {
        ValidatorUnbonding u = chain.ledger.state().validatorUnbonding.get(k.publicKey());
        return u == null ? List.of() : u.entries();
    }

    /** The transaction is refused with {@code code} and a message holding {@code parts}, and changes nothing. */
    TransactionRejectedException refused(SignedTransaction tx, RejectCode code, String... parts) {
        LedgerState s = chain.ledger.state();
        Hash root = s.root();
        Supply supply = Supply.of(s);
        ValidatorSet set = s.validatorSet();
        TransactionRejectedException e = catchThrowableOfType(TransactionRejectedException.class,
                () -> chain.ledger.apply(tx, chain.nextContext()));
        assertThat(e).as("%s", tx.payload()).isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        if (parts.length > 0) {
            assertThat(e.getMessage()).contains(parts);
        }
        assertThat(s.root()).as("a refusal changes nothing").isEqualTo(root);
        assertThat(Supply.of(s)).isEqualTo(supply);
        assertThat(s.validatorSet()).isEqualTo(set);
        assertThat(s.drainEvents()).isEmpty();
        chain.forgetPendingNonces();
        return e;
    }

    void supplyNeverChanged() {
        assertThat(chain.supplyHistory).containsOnly(FUNDED.size() * INITIAL_BALANCE + GENESIS_STAKE);
    }

    LedgerEvent lastEvent(EventType type) {
        List<LedgerEvent> events = chain.events(type);
        assertThat(events).as("%s events", type).isNotEmpty();
        return events.getLast();
    }

    // ------------------------------------------------------------------ genesis

    @Test
    void theGenesisValidatorsAreTheActiveSetAndTheirStakeIsInTheSupply() {
        assertThat(set().members()).containsExactly(new ValidatorInfo(VALIDATOR.publicKey(), GENESIS_STAKE, "", ""));
        Supply s = Supply.of(chain.ledger.state());
        assertThat(s.validatorStakes()).isEqualTo(GENESIS_STAKE);
        assertThat(s.validatorUnbonding()).isZero();
        assertThat(s.total()).isEqualTo(FUNDED.size() * INITIAL_BALANCE + GENESIS_STAKE);
        assertThat(chain.balance(VALIDATOR)).as("genesis validator stake is in no balance").isZero();
        assertThat(chain.ledger.state().prove(chain.ledger.state().validatorSet.storageKey(LedgerState.VALIDATOR_SET_KEY))
                .value()).isEqualTo(set().encode());
    }

    @Test
    void aGenesisWithSeveralValidatorsKeepsThemInKeyOrderWithTheirAddressesAndRoundTrips() {
        Genesis base = TestChain.genesis(Params.defaults());
        List<ValidatorInfo> validators = List.of(new ValidatorInfo(ALICE.publicKey(), 3_000 * VRT, "a.example:7000", "http://a.example"),
                new ValidatorInfo(BOB.publicKey(), 2_000 * VRT, "b.example:7000", "https://b.example/api"),
                new ValidatorInfo(VALIDATOR.publicKey(), GENESIS_STAKE, "", ""));
        Genesis g = new Genesis(base.chainId(), base.timestampMillis(), base.params(), base.allocations(), validators,
                base.council(), base.collateral(), base.approvedMeasurements(), base.minimumTcbs());
        Genesis decoded = Genesis.decode(g.encode());
        assertThat(decoded.validators()).isEqualTo(validators);
        assertThat(decoded.encode()).isEqualTo(g.encode());
        assertThat(decoded.hash()).isEqualTo(g.hash());
        TestChain c = new TestChain(g);
        assertThat(c.ledger.state().validatorSet()).isEqualTo(ValidatorSet.of(validators));
        assertThat(Supply.of(c.ledger.state()).validatorStakes()).isEqualTo(6_000 * VRT);
        assertThat(c.supplyHistory.getFirst()).isEqualTo(FUNDED.size() * INITIAL_BALANCE + 6_000 * VRT);
    }

    @Test
    void aGenesisWithoutValidatorsOrWithOneTwiceIsRefused() {
        Genesis base = TestChain.genesis(Params.defaults());
        Genesis none = new Genesis(base.chainId(), base.timestampMillis(), base.params(), base.allocations(), List.of(),
                base.council(), base.collateral(), base.approvedMeasurements(), base.minimumTcbs());
        assertThatThrownBy(() -> Ledger.fromGenesis(none)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names no validator");
        Genesis twice = new Genesis(base.chainId(), base.timestampMillis(), base.params(), base.allocations(),
                List.of(Genesis.validator(ALICE.publicKey()), Genesis.validator(ALICE.publicKey())),
                base.council(), base.collateral(), base.approvedMeasurements(), base.minimumTcbs());
        assertThatThrownBy(() -> Ledger.fromGenesis(twice)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid genesis validators");
    }

    @Test
    void theNewParametersAreChecked() {
        assertThat(Params.defaults().minValidatorStake()).isEqualTo(1_000 * VRT);
        assertThat(Params.defaults().validatorSlashBps()).isEqualTo(5_000);
        assertThat(TestChain.params(Map.of("minValidatorStake", 0L)).problem()).contains("minimum validator stake");
        assertThat(TestChain.params(Map.of("validatorSlashBps", 0L)).problem()).contains("equivocation slash");
        assertThat(TestChain.params(Map.of("validatorSlashBps", 10_001L)).problem()).contains("equivocation slash");
        assertThat(TestChain.params(Map.of("validatorSlashBps", 10_000L)).problem()).isNull();
    }

    // ------------------------------------------------------------------ joining and bonding

    @Test
    void anAccountJoinsWithItsStakeAndAddresses() {
        chain.block(bond(ALICE, 1_500 * VRT, PEER, API));
        assertThat(set().find(ALICE.publicKey())).contains(new ValidatorInfo(ALICE.publicKey(), 1_500 * VRT, PEER, API));
        assertThat(set().members()).hasSize(2);
        assertThat(chain.balance(ALICE)).isEqualTo(INITIAL_BALANCE - 1_500 * VRT);
        LedgerEvent joined = lastEvent(EventType.VALIDATOR_JOINED);
        assertThat(joined.account()).isEqualTo(ALICE.publicKey());
        assertThat(joined.amount()).isEqualTo(1_500 * VRT);
        assertThat(joined.reason()).contains(PEER, API, "signs from block 2");
        assertThat(Supply.of(chain.ledger.state()).validatorStakes()).isEqualTo(GENESIS_STAKE + 1_500 * VRT);
        supplyNeverChanged();
    }

    @Test
    void aValidatorAddsStakeAndMovesItsAddresses() {
        chain.block(bond(ALICE, 1_000 * VRT, PEER, API));
        chain.block(bond(ALICE, 250 * VRT, "", ""));
        assertThat(set().find(ALICE.publicKey())).contains(new ValidatorInfo(ALICE.publicKey(), 1_250 * VRT, PEER, API));
        LedgerEvent bonded = lastEvent(EventType.VALIDATOR_BONDED);
        assertThat(bonded.amount()).isEqualTo(250 * VRT);
        assertThat(bonded.reason()).contains("now " + 1_250 * VRT);
        // an address alone, without new stake
        chain.block(bond(ALICE, 0, "10.0.0.7:7100", ""));
        assertThat(set().find(ALICE.publicKey())).contains(
                new ValidatorInfo(ALICE.publicKey(), 1_250 * VRT, "10.0.0.7:7100", API));
        chain.block(bond(ALICE, 0, "", "https://[2001:db8::7]:8443/verity"));
        assertThat(set().find(ALICE.publicKey()).orElseThrow().apiUrl()).isEqualTo("https://[2001:db8::7]:8443/verity");
        assertThat(chain.balance(ALICE)).isEqualTo(INITIAL_BALANCE - 1_250 * VRT);
        refused(bond(ALICE, 0, "", ""), RejectCode.INVALID_AMOUNT, "changes nothing");
        refused(bond(ALICE, 0, "10.0.0.7:7100", ""), RejectCode.INVALID_AMOUNT, "changes nothing");
        supplyNeverChanged();
    }

    @Test
    void joiningNeedsTheMinimumStakeAndTheBalance() {
        long min = Params.defaults().minValidatorStake();
        refused(bond(ALICE, min - 1, PEER, API), RejectCode.STAKE_TOO_LOW, "at least " + min, "got " + (min - 1));
        refused(bond(ALICE, 0, PEER, API), RejectCode.STAKE_TOO_LOW);
        refused(bond(ALICE, INITIAL_BALANCE + 1, PEER, API), RejectCode.INSUFFICIENT_FUNDS, "the validator stake");
        refused(bond(ALICE, Long.MAX_VALUE, PEER, API), RejectCode.INSUFFICIENT_FUNDS);
        chain.block(bond(ALICE, min, PEER, API));
        assertThat(stakeOf(ALICE)).isEqualTo(min);
        refused(bond(ALICE, INITIAL_BALANCE, "", ""), RejectCode.INSUFFICIENT_FUNDS, "bonding validator stake");
        // more than a base unit short of overflowing is still only short of balance
        refused(bond(ALICE, Long.MAX_VALUE - 1, "", ""), RejectCode.INSUFFICIENT_FUNDS);
        supplyNeverChanged();
    }

    @Test
    void malformedOrTakenAddressesAreRefused() {
        String tooLong = "a".repeat(ValidatorInfo.MAX_ADDRESS - 5) + ".com:80";
        for (String peer : List.of("", "alice.example", "alice.example:", "alice.example:0", "alice.example:65536",
                "alice.example:080", "alice.example:7o00", "ali ce.example:7000", "alice_example:7000", ":7000",
                "[::1:7000", "[::g]:7000", ".alice:7000", "alice..example:7000", "alice.example:7000\n", "älice:7000", tooLong)) {
            refused(bond(ALICE, 1_000 * VRT, peer, API), RejectCode.INVALID_ADDRESS, "peer address");
        }
        for (String api : List.of("", "alice.example:8080", "ftp://alice.example", "http://", "http://user@alice.example",
                "http://alice.example:99999", "http://alice.example:", "http://alice.example/v1?x=1", "http://alice.example/#top",
                "https://ali ce.example", "http://[::1", "http:/alice.example")) {
            refused(bond(ALICE, 1_000 * VRT, PEER, api), RejectCode.INVALID_ADDRESS, "API URL");
        }
        for (String peer : List.of("10.0.0.1:7000", "[::1]:7000", "v-1.example.org:65535")) {
            assertThat(ValidatorInfo.peerAddressProblem(peer)).as(peer).isEmpty();
        }
        for (String api : List.of("http://10.0.0.1", "https://v.example:8443/api/", "http://[::1]:8080")) {
            assertThat(ValidatorInfo.apiUrlProblem(api)).as(api).isEmpty();
        }
        chain.block(bond(ALICE, 1_000 * VRT, PEER, API));
        // another validator's endpoints cannot be claimed, on joining or on moving
        refused(bond(BOB, 1_000 * VRT, PEER, "http://bob.example"), RejectCode.INVALID_ADDRESS, "peer address " + PEER,
                ALICE.publicKey().hex());
        refused(bond(BOB, 1_000 * VRT, "bob.example:7000", API), RejectCode.INVALID_ADDRESS, "API URL " + API);
        chain.block(bond(BOB, 1_000 * VRT, "bob.example:7000", "http://bob.example"));
        refused(bond(BOB, 0, PEER, ""), RejectCode.INVALID_ADDRESS, "peer address " + PEER);
        refused(bond(ALICE, 1, "bad address", ""), RejectCode.INVALID_ADDRESS, "a new peer address");
        supplyNeverChanged();
    }

    @Test
    void aFullSetRefusesANewValidatorButNotMoreStakeFromAMember() {
        Genesis base = TestChain.genesis(Params.defaults());
        List<ValidatorInfo> full = new ArrayList<>();
        full.add(Genesis.validator(NODE_1.publicKey()));
        for (int i = 1; i < ValidatorSet.MAX_MEMBERS; i++) {
            full.add(Genesis.validator(PrivateKey.deterministic("validator " + i).publicKey()));
        }
        TestChain c = new TestChain(new Genesis(base.chainId(), base.timestampMillis(), base.params(), base.allocations(), full,
                base.council(), base.collateral(), base.approvedMeasurements(), base.minimumTcbs()));
        c.producer = NODE_1;
        Hash root = c.ledger.state().root();
        TransactionRejectedException e = catchThrowableOfType(TransactionRejectedException.class,
                () -> c.ledger.apply(c.sign(ALICE, new Payload.ValidatorBond(1_000 * VRT, PEER, API)), c.nextContext()));
        assertThat(e.code()).isEqualTo(RejectCode.VALIDATOR_SET_FULL);
        assertThat(e.getMessage()).contains("holds " + ValidatorSet.MAX_MEMBERS);
        assertThat(c.ledger.state().root()).isEqualTo(root);
        c.forgetPendingNonces();
        c.block(c.sign(NODE_1, new Payload.ValidatorBond(5 * VRT, PEER, API)));
        assertThat(c.ledger.state().validatorSet().stakeOf(NODE_1.publicKey())).isEqualTo(GENESIS_STAKE + 5 * VRT);
        assertThat(c.ledger.state().validatorSet().members()).hasSize(ValidatorSet.MAX_MEMBERS);
    }

    // ------------------------------------------------------------------ leaving, unbonding, withdrawing

    @Test
    void aLeavingValidatorsStakeUnbondsAndIsThenWithdrawn() {
        chain.block(bond(ALICE, 1_500 * VRT, PEER, API));
        chain.block(leave(ALICE));
        long left = chain.height;
        long release = left + Params.defaults().unbondingBlocks();
        assertThat(set().contains(ALICE.publicKey())).isFalse();
        assertThat(unbondingOf(ALICE)).containsExactly(new Unbonding(1_500 * VRT, release));
        LedgerEvent event = lastEvent(EventType.VALIDATOR_LEFT);
        assertThat(event.account()).isEqualTo(ALICE.publicKey());
        assertThat(event.amount()).isEqualTo(1_500 * VRT);
        assertThat(event.reason()).contains("withdrawable from height " + release);
        assertThat(Supply.of(chain.ledger.state()).validatorUnbonding()).isEqualTo(1_500 * VRT);
        refused(leave(ALICE), RejectCode.NOT_VALIDATOR, "not in the validator set");

        chain.advanceTo(release - 2);
        refused(chain.sign(ALICE, new Payload.Withdraw()), RejectCode.NOTHING_TO_WITHDRAW, "matures at height " + release);
        chain.emptyBlocks(1);
        chain.block(chain.sign(ALICE, new Payload.Withdraw()));
        assertThat(chain.height).isEqualTo(release);
        assertThat(chain.balance(ALICE)).isEqualTo(INITIAL_BALANCE);
        assertThat(chain.ledger.state().validatorUnbonding.contains(ALICE.publicKey())).as("the row is gone").isFalse();
        LedgerEvent withdrawn = lastEvent(EventType.STAKE_WITHDRAWN);
        assertThat(withdrawn.account()).isEqualTo(ALICE.publicKey());
        assertThat(withdrawn.amount()).isEqualTo(1_500 * VRT);
        assertThat(withdrawn.reason()).contains("validator");
        refused(chain.sign(ALICE, new Payload.Withdraw()), RejectCode.UNKNOWN_NODE, "no validator stake unbonding");
        supplyNeverChanged();
    }

    @Test
    void oneWithdrawReturnsMaturedNodeAndValidatorStakeTogether() {
        chain.block(chain.registerModel(ALICE, TestChain.modelHash("m"), "m", 1_000));
        chain.block(chain.registerNode(NODE_1, 3_000 * VRT, List.of(TestChain.modelHash("m")), NONE),
                bond(NODE_1, 1_000 * VRT, PEER, API));
        chain.block(chain.sign(NODE_1, new Payload.Unbond(1_000 * VRT)), leave(NODE_1));
        long release = chain.height + Params.defaults().unbondingBlocks();
        chain.advanceTo(release - 1);
        chain.block(chain.sign(NODE_1, new Payload.Withdraw()));
        assertThat(chain.balance(NODE_1)).isEqualTo(INITIAL_BALANCE - 2_000 * VRT);
        assertThat(chain.node(NODE_1).unbonding()).isEmpty();
        assertThat(unbondingOf(NODE_1)).isEmpty();
        assertThat(chain.events(EventType.STAKE_WITHDRAWN).stream().map(LedgerEvent::amount)).containsExactly(1_000 * VRT, 1_000 * VRT);
        supplyNeverChanged();
    }

    @Test
    void theLastValidatorCannotLeave() {
        chain.block(chain.transfer(ALICE, VALIDATOR, 10 * VRT));
        refused(leave(VALIDATOR), RejectCode.LAST_VALIDATOR, "the last validator cannot leave");
        refused(leave(BOB), RejectCode.NOT_VALIDATOR, BOB.publicKey().hex());
        chain.block(join(ALICE, 1_000 * VRT));
        chain.block(leave(VALIDATOR));
        assertThat(set().members()).extracting(ValidatorInfo::key).containsExactly(ALICE.publicKey());
        chain.producer = ALICE;
        refused(leave(ALICE), RejectCode.LAST_VALIDATOR);
        supplyNeverChanged();
    }

    @Test
    void aValidatorHoldsAtMostSixteenUnbondingEntries() {
        chain.block(chain.transfer(BOB, ALICE, 20_000 * VRT));
        for (int i = 0; i < ValidatorUnbonding.MAX_ENTRIES; i++) {
            chain.block(join(ALICE, 1_000 * VRT));
            chain.block(leave(ALICE));
        }
        assertThat(unbondingOf(ALICE)).hasSize(ValidatorUnbonding.MAX_ENTRIES);
        chain.block(join(ALICE, 1_000 * VRT));
        refused(leave(ALICE), RejectCode.MALFORMED, "withdraw matured ones first");
        supplyNeverChanged();
    }

    // ------------------------------------------------------------------ the set signs the next block

    @Test
    void aJoinOrALeaveCountsFromTheNextBlock() {
        chain.block(join(ALICE, 1_000 * VRT));
        chain.producer = ALICE;
        chain.block(chain.transfer(ALICE, VALIDATOR, 5 * VRT)); // block 2, by the new validator
        chain.producer = VALIDATOR;
        chain.block(leave(VALIDATOR)); // block 3: the leaving validator still signs the block of its leave
        chain.producer = ALICE;
        chain.emptyBlocks(1); // block 4
        // a peer re-executing the chain accepts all of it
        Ledger peer = Ledger.fromGenesis(chain.genesis);
        Hash previous = chain.genesis.hash();
        for (BlockExecution.Produced p : chain.blocks) {
            BlockExecution.execute(peer, Block.decode(p.block().encode()), previous);
            previous = p.block().hash();
        }
        assertThat(peer.state().root()).isEqualTo(chain.ledger.state().root());

        // ALICE cannot sign the block of its own join, nor VALIDATOR the block after its leave
        TestChain early = new TestChain();
        early.producer = ALICE;
        BlockExecution.Produced own = early.block(early.sign(ALICE, new Payload.ValidatorBond(1_000 * VRT, PEER, API)));
        Ledger fresh = Ledger.fromGenesis(early.genesis);
        assertThatThrownBy(() -> BlockExecution.execute(fresh, own.block(), early.genesis.hash()))
                .isInstanceOf(BlockExecution.InvalidBlockException.class).hasMessageContaining("not in the validator set");

        TestChain late = new TestChain();
        late.block(late.sign(ALICE, new Payload.ValidatorBond(1_000 * VRT, PEER, API)), late.transfer(BOB, VALIDATOR, VRT));
        late.block(late.sign(VALIDATOR, new Payload.ValidatorLeave()));
        BlockExecution.Produced after = late.block();
        Ledger replay = Ledger.fromGenesis(late.genesis);
        BlockExecution.execute(replay, late.blocks.get(0).block(), late.genesis.hash());
        BlockExecution.execute(replay, late.blocks.get(1).block(), late.blocks.get(0).block().hash());
        assertThatThrownBy(() -> BlockExecution.execute(replay, after.block(), late.blocks.get(1).block().hash()))
                .isInstanceOf(BlockExecution.InvalidBlockException.class)
                .hasMessageContaining("block 3 was produced by " + VALIDATOR.publicKey().hex());
    }

    // ------------------------------------------------------------------ equivocation

    @Test
    void anEquivocatingValidatorIsSlashedAndRemovedWithExactAmounts() {
        chain.block(join(ALICE, 2_000 * VRT));
        long treasury = chain.treasury();
        long bob = chain.balance(BOB);
        SignedVote first = signed(ALICE, 5, "block A", "root A");
        SignedVote second = signed(ALICE, 5, "block B", "root B");
        chain.block(report(BOB, first, second));
        long slash = 1_000 * VRT; // 5 000 bps of 2 000 VRT
        long reward = 500 * VRT; // 5 000 bps (winnerShareBps) of the slash
        assertThat(chain.balance(BOB) - bob).isEqualTo(reward);
        assertThat(chain.treasury() - treasury).isEqualTo(slash - reward);
        assertThat(set().contains(ALICE.publicKey())).isFalse();
        long release = chain.height + Params.defaults().unbondingBlocks();
        assertThat(unbondingOf(ALICE)).containsExactly(new Unbonding(1_000 * VRT, release));
        assertThat(chain.ledger.state().equivocations.get(new EquivocationKey(ALICE.publicKey(), 5)))
                .satisfies(r -> {
                    assertThat(r.slashed()).isEqualTo(slash);
                    assertThat(r.reporter()).isEqualTo(BOB.publicKey());
                    assertThat(r.reportedAt()).isEqualTo(chain.height);
                });

        List<LedgerEvent> block = chain.blocks.getLast().events();
        assertThat(block).extracting(LedgerEvent::type)
                .containsExactly(EventType.VALIDATOR_SLASHED, EventType.EQUIVOCATION_REWARD, EventType.VALIDATOR_LEFT);
        LedgerEvent slashed = block.get(0);
        assertThat(slashed.account()).isEqualTo(ALICE.publicKey());
        assertThat(slashed.amount()).isEqualTo(slash);
        assertThat(slashed.reason()).contains("height 5", h("block A").hex(), h("root A").hex(), h("block B").hex(),
                h("root B").hex(), "5000 basis points", reward + " to the reporter", (slash - reward) + " to the treasury");
        assertThat(block.get(1).account()).isEqualTo(BOB.publicKey());
        assertThat(block.get(1).amount()).isEqualTo(reward);
        assertThat(block.get(2).account()).isEqualTo(ALICE.publicKey());
        assertThat(block.get(2).amount()).isEqualTo(1_000 * VRT);
        assertThat(block.get(2).reason()).contains("removed", "withdrawable from height " + release);

        chain.advanceTo(release);
        chain.block(chain.sign(ALICE, new Payload.Withdraw()));
        assertThat(chain.balance(ALICE)).isEqualTo(INITIAL_BALANCE - slash);
        supplyNeverChanged();
    }

    @Test
    void aValidatorThatWasNeverFundedReportsAnEquivocationButAStrangerCannotSendAnything() {
        assertThat(chain.ledger.state().accounts.contains(VALIDATOR.publicKey())).as("the genesis validator holds no account")
                .isFalse();
        chain.block(join(ALICE, 2_000 * VRT));
        SignedVote first = signed(ALICE, 5, "block A", "root A");
        SignedVote second = signed(ALICE, 5, "block B", "root B");
        refused(report(TestChain.STRANGER, first, second), RejectCode.INSUFFICIENT_FUNDS, "never received funds");
        chain.block(report(VALIDATOR, first, second));
        assertThat(set().contains(ALICE.publicKey())).isFalse();
        assertThat(chain.balance(VALIDATOR)).as("the reporter's reward").isEqualTo(500 * VRT);
        supplyNeverChanged();
    }

    @Test
    void votesThatDifferOnlyInTheStateRootOrTheSetAreAnEquivocationToo() {
        chain.block(join(ALICE, 1_000 * VRT), join(CAROL, 1_000 * VRT));
        chain.block(report(BOB, signed(ALICE, 3, "block", "root 1"), signed(ALICE, 3, "block", "root 2")));
        assertThat(lastEvent(EventType.VALIDATOR_SLASHED).account()).isEqualTo(ALICE.publicKey());
        SignedVote a = SignedVote.sign(new FinalityVote(CHAIN_ID, 3, h("block"), h("root"), h("set 1")), CAROL);
        SignedVote b = SignedVote.sign(new FinalityVote(CHAIN_ID, 3, h("block"), h("root"), h("set 2")), CAROL);
        chain.block(report(BOB, a, b));
        assertThat(lastEvent(EventType.VALIDATOR_SLASHED).account()).isEqualTo(CAROL.publicKey());
        assertThat(set().members()).extracting(ValidatorInfo::key).containsExactly(VALIDATOR.publicKey());
        supplyNeverChanged();
    }

    @Test
    void theSlashReachesStakeThatIsUnbondingAfterALeave() {
        chain.block(join(ALICE, 2_000 * VRT));
        chain.block(leave(ALICE));
        long release = chain.height + Params.defaults().unbondingBlocks();
        chain.block(report(CAROL, signed(ALICE, 1, "x", "r"), signed(ALICE, 1, "y", "r")));
        assertThat(unbondingOf(ALICE)).containsExactly(new Unbonding(1_000 * VRT, release));
        assertThat(lastEvent(EventType.VALIDATOR_SLASHED).amount()).isEqualTo(1_000 * VRT);
        assertThat(chain.events(EventType.VALIDATOR_LEFT)).as("only the leave itself").hasSize(1);
        assertThat(chain.balance(CAROL)).isEqualTo(INITIAL_BALANCE + 500 * VRT);
        supplyNeverChanged();
    }

    @Test
    void theSlashTakesTheBondedStakeFirstThenTheLatestUnbonding() {
        chain.block(join(ALICE, 2_000 * VRT));
        chain.block(leave(ALICE));
        long firstRelease = chain.height + Params.defaults().unbondingBlocks();
        chain.block(join(ALICE, 1_000 * VRT));
        chain.block(leave(ALICE));
        long secondRelease = chain.height + Params.defaults().unbondingBlocks();
        chain.block(join(ALICE, 1_200 * VRT));
        // bonded 1 200, unbonding 2 000 + 1 000: the slash is 2 100, 1 200 from the bond and 900 from the latest entry
        chain.block(report(BOB, signed(ALICE, 9, "x", "r"), signed(ALICE, 9, "y", "r")));
        assertThat(lastEvent(EventType.VALIDATOR_SLASHED).amount()).isEqualTo(2_100 * VRT);
        assertThat(lastEvent(EventType.VALIDATOR_SLASHED).reason()).contains("1200000000 bonded, 3000000000 unbonding");
        assertThat(unbondingOf(ALICE)).containsExactly(new Unbonding(2_000 * VRT, firstRelease),
                new Unbonding(100 * VRT, secondRelease));
        assertThat(set().contains(ALICE.publicKey())).isFalse();
        assertThat(lastEvent(EventType.VALIDATOR_LEFT).amount()).as("nothing bonded was left").isZero();
        supplyNeverChanged();
    }

    @Test
    void theLastValidatorIsSlashedButStaysSoTheChainGoesOn() {
        chain.block(report(ALICE, signed(VALIDATOR, 2, "x", "r"), signed(VALIDATOR, 2, "y", "r")));
        assertThat(set().members()).containsExactly(new ValidatorInfo(VALIDATOR.publicKey(), GENESIS_STAKE / 2, "", ""));
        assertThat(lastEvent(EventType.VALIDATOR_SLASHED).reason()).contains("stays in the set as its last validator");
        assertThat(chain.events(EventType.VALIDATOR_LEFT)).isEmpty();
        chain.emptyBlocks(1);
        supplyNeverChanged();

        TestChain all = new TestChain(TestChain.params(Map.of("validatorSlashBps", 10_000L)));
        all.block(all.sign(ALICE, new Payload.ReportEquivocation(signed(VALIDATOR, 2, "x", "r"), signed(VALIDATOR, 2, "y", "r"))));
        assertThat(all.ledger.state().validatorSet().stakeOf(VALIDATOR.publicKey())).as("one base unit is kept").isEqualTo(1);
        assertThat(all.events(EventType.VALIDATOR_SLASHED).getLast().amount()).isEqualTo(GENESIS_STAKE - 1);
        all.emptyBlocks(1);
    }

    // ------------------------------------------------------------------ an honest validator loses nothing

    @Test
    void evidenceThatIsNoEquivocationIsRefusedAndAnHonestValidatorLosesNothing() {
        chain.block(join(ALICE, 2_000 * VRT), join(CAROL, 1_000 * VRT));
        SignedVote honest = signed(ALICE, 4, "block", "root");

        // the same vote twice, also with a different (invalid) signature
        refused(report(BOB, honest, honest), RejectCode.INVALID_EVIDENCE, "the same vote");
        refused(report(BOB, honest, new SignedVote(honest.vote(), ALICE.publicKey(), Signature.wrap(new byte[64]))),
                RejectCode.INVALID_EVIDENCE, "the same vote");
        // votes at two heights
        refused(report(BOB, honest, signed(ALICE, 5, "other block", "other root")), RejectCode.INVALID_EVIDENCE,
                "heights 4 and 5");
        // a forged signature: a flipped bit, zeros, another key's signature over the vote
        FinalityVote forged = vote(CHAIN_ID, 4, "forged block", "forged root");
        byte[] sig = ALICE.sign(forged.signingBytes()).bytes();
        sig[7] ^= 1;
        refused(report(BOB, honest, new SignedVote(forged, ALICE.publicKey(), Signature.wrap(sig))), RejectCode.INVALID_EVIDENCE,
                "the second vote's signature does not verify");
        refused(report(BOB, new SignedVote(forged, ALICE.publicKey(), Signature.wrap(new byte[64])), honest),
                RejectCode.INVALID_EVIDENCE, "the first vote's signature does not verify");
        refused(report(BOB, honest, new SignedVote(forged, ALICE.publicKey(), BOB.sign(forged.signingBytes()))),
                RejectCode.INVALID_EVIDENCE, "does not verify against validator " + ALICE.publicKey().hex());
        // a signature over another message (the vote of another height) moved onto this one
        refused(report(BOB, honest, new SignedVote(forged, ALICE.publicKey(), signed(ALICE, 6, "b", "r").signature())),
                RejectCode.INVALID_EVIDENCE, "does not verify");
        // two validators' votes are not one validator's equivocation
        refused(report(BOB, honest, signed(CAROL, 4, "other block", "root")), RejectCode.INVALID_EVIDENCE, "two validators");
        // votes for another chain, both or one
        SignedVote otherChain1 = SignedVote.sign(vote("verity-other", 4, "block", "root"), ALICE);
        SignedVote otherChain2 = SignedVote.sign(vote("verity-other", 4, "fork", "root"), ALICE);
        refused(report(BOB, otherChain1, otherChain2), RejectCode.INVALID_EVIDENCE, "this chain is '" + CHAIN_ID + "'");
        refused(report(BOB, honest, otherChain2), RejectCode.INVALID_EVIDENCE, "'verity-other'");
        refused(report(BOB, otherChain1, honest), RejectCode.INVALID_EVIDENCE, "'verity-other'");
        // a validator reporting itself would get part of its slash back
        refused(report(ALICE, honest, signed(ALICE, 4, "fork", "root")), RejectCode.INVALID_EVIDENCE, "its own");

        assertThat(stakeOf(ALICE)).isEqualTo(2_000 * VRT);
        assertThat(stakeOf(CAROL)).isEqualTo(1_000 * VRT);
        assertThat(chain.events(EventType.VALIDATOR_SLASHED)).isEmpty();
        assertThat(chain.ledger.state().equivocations.count()).isZero();
        supplyNeverChanged();
    }

    @Test
    void evidenceIsUsedOnceAndAgainstValidatorsOnly() {
        chain.block(join(ALICE, 2_000 * VRT));
        SignedVote a = signed(ALICE, 4, "block A", "root");
        SignedVote b = signed(ALICE, 4, "block B", "root");
        chain.block(report(BOB, a, b));
        long afterFirst = unbondingOf(ALICE).getFirst().amount();
        // the same evidence, by another reporter, in the other order, or with a third vote at that height
        refused(report(CAROL, a, b), RejectCode.INVALID_EVIDENCE, "already slashed for equivocating at height 4");
        refused(report(BOB, b, a), RejectCode.INVALID_EVIDENCE, "already slashed");
        refused(report(CAROL, a, signed(ALICE, 4, "block C", "root")), RejectCode.INVALID_EVIDENCE, "already slashed");
        assertThat(unbondingOf(ALICE).getFirst().amount()).isEqualTo(afterFirst);
        // another height is another equivocation, while stake is still unbonding
        chain.block(report(CAROL, signed(ALICE, 7, "x", "r"), signed(ALICE, 7, "y", "r")));
        assertThat(unbondingOf(ALICE).getFirst().amount()).isEqualTo(afterFirst / 2);

        // an account that never was a validator
        refused(report(BOB, signed(NODE_2, 4, "x", "r"), signed(NODE_2, 4, "y", "r")), RejectCode.NOT_VALIDATOR,
                NODE_2.publicKey().hex(), "nothing to slash");
        // a former validator that withdrew everything
        chain.advanceTo(chain.height + Params.defaults().unbondingBlocks());
        chain.block(chain.sign(ALICE, new Payload.Withdraw()));
        refused(report(BOB, signed(ALICE, 8, "x", "r"), signed(ALICE, 8, "y", "r")), RejectCode.NOT_VALIDATOR);
        supplyNeverChanged();
    }

    @Test
    void malformedVotesDoNotDecode() {
        SignedTransaction tx = report(BOB, signed(ALICE, 4, "x", "r"), signed(ALICE, 4, "y", "r"));
        byte[] bytes = tx.encoded();
        // the first vote's height (after the tag, the chain id of the vote) set to 0
        int at = PayloadTagsTest.TAG_OFFSET + 1 + 4 + Bytes.utf8(CHAIN_ID).length;
        for (int i = 0; i < 8; i++) {
            bytes[at + i] = 0;
        }
        assertThatThrownBy(() -> chain.ledger.decodeAndCheck(bytes)).isInstanceOf(TransactionRejectedException.class)
                .hasMessageContaining("height 1 or above");
    }
}
