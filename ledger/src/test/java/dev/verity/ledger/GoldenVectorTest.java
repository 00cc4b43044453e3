package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.CAROL;
import static dev.verity.ledger.TestChain.ENCLAVE_1;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.NODE_2;
import static dev.verity.ledger.TestChain.NODE_3;
import static dev.verity.ledger.TestChain.VRT;
import static dev.verity.ledger.TestChain.modelHash;
import static dev.verity.protocol.VerificationMode.NONE;
import static dev.verity.protocol.VerificationMode.TEE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.JobStatus;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.consensus.FinalityVote;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.tx.FailureReason;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A golden vector for the whole state transition: a fixed sequence of transactions from fixed keys,
 * produced into nine blocks with fixed heights and timestamps on the fixed test genesis, must give
 * exactly these block hashes and this final state root.
 *
 * <p>What it covers: the genesis and parameter encoding (the genesis hash), transfers (including to
 * a fresh account), model registration, three node registrations with different models, modes and
 * stakes, one development enclave registration (attestation verification and binding), six jobs in
 * NONE and TEE (two TEE jobs with a NONE fallback they do not need, one of them escrowing exactly the
 * TEE price), stake-weighted assignment seeded by the previous block hash, results with NONE and
 * TEE evidence, settlement with the fee split and refunds, one missed deadline (penalty to the
 * treasury, requeue to another node, then a result from that node), an unbond, a capacity change
 * ({@code SetCapacity}), an input refusal of a NONE job paid from its escrow ({@code SubmitFailure}, the
 * {@code jobFailures} table), two accounts joining the validator set ({@code ValidatorBond}), one leaving it
 * ({@code ValidatorLeave}) and the other slashed for an equivocation ({@code ReportEquivocation}: the
 * {@code validatorSet}, {@code validatorUnbonding} and {@code equivocations} tables), the state encoding of every table,
 * the Merkle state root, the events root and the block header encoding and signature.
 *
 * <p><b>A change to the state transition or to any encoding that changes these values must update
 * this vector on purpose</b>, in the same change, saying why: nodes running the old and new code would
 * disagree on every block after the one where they diverge. If this test fails and you did not mean to
 * change consensus, the change is a bug. To update: run the test, read the actual values from the
 * failure message, and paste them here.
 *
 * <p>History: blocks 8 and 9 (a {@code SetCapacity}, a seventh job and its {@code INPUT_REJECTED} failure) were
 * appended on purpose when failure results and declared capacity were added; the genesis hash and the first seven
 * block hashes did not change, the two new block hashes and the final state root are new. Giving every enum an
 * explicit code and every payload, governance and op tag a named constant ({@code PayloadTag}, {@code GovernanceTag},
 * {@code CodedEnumTest}, {@code PayloadTagsTest}) kept every number, so no value moved then.
 *
 * <p>Every block hash and the final root changed on purpose when the state root moved from per-table Merkle roots to
 * one incrementally updated trie over all rows ({@code LedgerState}, {@code MerkleTrie}) and finished jobs began to
 * leave the live state at the end of their block ({@code JobRetirement}); the genesis hash did not change.
 *
 * <p>Every value changed on purpose when the validator set moved on chain: the genesis names each validator with its
 * stake and addresses ({@code ValidatorInfo}) and the parameters gained {@code minValidatorStake} and
 * {@code validatorSlashBps} (so the genesis hash moved), the set became one row of the {@code validatorSet} table
 * instead of rows of the retired {@code validators} table (so every state root, hence every block hash, moved), and
 * blocks 10 and 11 (validator joins, a leave and an equivocation slash) were appended.
 */
class GoldenVectorTest {
    static final String GENESIS_HASH = "7f0a1565f0df49c6429779216e0884b25ef7d2d6075599079319755361cb67f9";
    static final List<String> BLOCK_HASHES = List.of(
            "6d5b966a42acf23c18791cabbcd75b65bb3b75c3c3a40f94ee9a092a727a7aca",
            "91a2140814a8766963fb84fb0d984c71891de3fb6f4f8cc166085075ee11f9a8",
            "450ea9cbb38751f5af8c93f1b355461fe34db539e4af4bc35c3027f9cf0d4c43",
            "65135dcc460829fc4c61c4a2b1b3b21feef38622b2a2bdcb8063e95370a62b79",
            "c4acc141a352ca8e18f705ba1a4752fe31b439cb6ec43864d2e426ef899a59e4",
            "4ce8ac294708bb8f32ef4f0c8cde9a785bc5a5ef9e3435dbfc4d469a9e9fa787",
            "de75f7efc952584157a265131d8a51cd406119270896b3c7d893cee2f54d4413",
            "8915591271eb8b50203c6b63aef3c53747610b3c1c830541c73bf00a90a28d32",
            "401ab78664cfe43061bc7b2566174f15b7f029a594e8bb24bc27e1324a1881cf",
            "d2c8358543eae1c7299b1141b3213e85927816487b2daf103ea6483a4911cd1d",
            "c15c0d4eecd4446458769fa5d24d702f4eb26ae0f67b4be0cd409aa44f838cca");
    static final String FINAL_STATE_ROOT = "ff02cc86b7de67ef096bdba248fbf044aaffb4011887b08fa025bc730236da2e";

    static final Hash LLAMA = modelHash("llama-tiny");
    static final Hash WHISPER = modelHash("whisper-tiny");

    /** Runs the fixed sequence; every transaction must be included. */
    static TestChain run() {
        TestChain c = new TestChain();
        // block 1: transfers and models
        c.block(c.transfer(ALICE, BOB, 1_000 * VRT), c.transfer(BOB, TestChain.STRANGER, 250 * VRT),
                c.registerModel(ALICE, LLAMA, "llama-tiny", 1_234_567), c.registerModel(BOB, WHISPER, "whisper-tiny", 500_000));
        // block 2: three nodes, one of them with an enclave
        c.block(c.registerNode(NODE_1, 2_000 * VRT, List.of(LLAMA, WHISPER), NONE, TEE), c.registerEnclave(NODE_1, ENCLAVE_1),
                c.registerNode(NODE_2, 3_000 * VRT, List.of(LLAMA), NONE),
                c.registerNode(NODE_3, 1_500 * VRT, List.of(LLAMA, WHISPER), NONE));
        // block 3: six jobs
        SignedTransaction j1 = c.submitJob(ALICE, LLAMA, Bytes.utf8("prompt 1"), NONE, List.of(), 5_000, 3);
        SignedTransaction j2 = c.submitJob(BOB, LLAMA, Bytes.utf8("prompt 2"), TEE, List.of(), 2_000, 3);
        SignedTransaction j3 = c.submitJob(CAROL, WHISPER, Bytes.utf8("audio 3"), NONE, List.of(), 1_000, 3);
        SignedTransaction j4 = c.submitJob(ALICE, WHISPER, Bytes.utf8("audio 4"), TEE, List.of(NONE), 1_500, 3);
        SignedTransaction j5 = c.submitJob(BOB, LLAMA, Bytes.utf8("prompt 5"), NONE, List.of(), 3_000, 2);
        SignedTransaction j6 = c.submitJob(CAROL, LLAMA, Bytes.utf8("prompt 6"), TEE, List.of(NONE), 1_482, 3);
        c.block(j1, j2, j3, j4, j5, j6);
        // block 4: every result except job 5's
        c.block(c.postResult(j1.hash(), Bytes.utf8("answer 1")), c.postResult(j2.hash(), Bytes.utf8("answer 2")),
                c.postResult(j3.hash(), Bytes.utf8("transcript 3")), c.postResult(j4.hash(), Bytes.utf8("transcript 4")),
                c.postResult(j6.hash(), Bytes.utf8("answer 6")));
        // block 5: an unbond; job 5's deadline passes at the end of this block
        c.block(c.sign(NODE_3, new Payload.Unbond(200 * VRT)));
        // block 6: the node job 5 was requeued to answers it
        c.block(c.postResult(j5.hash(), Bytes.utf8("answer 5")));
        // block 7: a last transfer
        c.block(c.transfer(CAROL, ALICE, 1));
        // block 8: a node declares a smaller capacity; a seventh job
        SignedTransaction j7 = c.submitJob(ALICE, LLAMA, Bytes.utf8("prompt 7"), NONE, List.of(), 5_000, 3);
        c.block(c.sign(NODE_2, new Payload.SetCapacity(8)), j7);
        // block 9: its node refuses the input, and is paid from the escrow
        c.block(c.sign(TestChain.privateKeyOf(c.assignedNode(j7.hash())), new Payload.SubmitFailure(j7.hash(),
                FailureReason.INPUT_REJECTED, "prompt refused by the tokenizer", new byte[0])));
        // block 10: two accounts join the validator set
        c.block(c.sign(ALICE, new Payload.ValidatorBond(1_500 * VRT, "alice.example:7000", "http://alice.example:8080")),
                c.sign(BOB, new Payload.ValidatorBond(1_000 * VRT, "10.0.0.2:7000", "https://[2001:db8::2]:8443")));
        // block 11: one leaves; the other is slashed for two different votes at height 10, reported by Carol
        Hash set = c.ledger.state().validatorSet().hash();
        c.block(c.sign(BOB, new Payload.ValidatorLeave()), c.sign(CAROL, new Payload.ReportEquivocation(
                SignedVote.sign(new FinalityVote(TestChain.CHAIN_ID, 10, c.blocks.getLast().block().hash(),
                        c.blocks.getLast().block().header().stateRoot(), set), ALICE),
                SignedVote.sign(new FinalityVote(TestChain.CHAIN_ID, 10, Sha256.digest(Bytes.utf8("a fork")),
                        Sha256.digest(Bytes.utf8("a forked root")), set), ALICE))));
        return c;
    }

    @Test
    void theSequenceDoesWhatTheVectorClaims() {
        TestChain c = run();
        assertThat(c.blocks).hasSize(11);
        assertThat(c.ledger.state().jobs.values()).as("finished jobs leave the live state").isEmpty();
        assertThat(c.ledger.state().jobInputs.count() + c.ledger.state().jobOutputs.count()
                + c.ledger.state().jobFailures.count()).isZero();
        assertThat(c.allJobs()).hasSize(7)
                .allSatisfy(j -> assertThat(j.status()).isIn(JobStatus.SETTLED, JobStatus.FAILED));
        assertThat(c.allJobs().stream().filter(j -> j.status() == JobStatus.FAILED)).hasSize(1);
        assertThat(c.retired.values().stream().filter(r -> r.failure() != null)).hasSize(1);
        assertThat(c.node(NODE_2).capacity()).isEqualTo(8);
        assertThat(c.events(EventType.CAPACITY_CHANGED)).hasSize(1);
        assertThat(c.events(EventType.JOB_FAILED)).singleElement().satisfies(e -> assertThat(e.amount()).isPositive());
        assertThat(c.events(EventType.DEADLINE_MISSED)).hasSize(1);
        assertThat(c.events(EventType.NODE_PENALIZED)).hasSize(1);
        assertThat(c.events(EventType.JOB_REQUEUED)).hasSize(1);
        assertThat(c.events(EventType.MODE_FALLBACK)).isEmpty();
        assertThat(c.events(EventType.ENCLAVE_REGISTERED)).hasSize(1);
        assertThat(c.events(EventType.STAKE_UNBONDING)).hasSize(1);
        List<Hash> missed = c.allJobs().stream().filter(j -> !j.missedBy().isEmpty())
                .map(j -> j.id()).toList();
        assertThat(missed).hasSize(1);
        var requeued = c.job(missed.get(0));
        assertThat(requeued.reassignments()).isEqualTo(1);
        assertThat(requeued.assignedNode()).isNotEqualTo(requeued.missedBy().get(0));
        assertThat(c.allJobs().stream().filter(j -> j.mode() == TEE).count()).isEqualTo(3);
        assertThat(c.ledger.state().nodes.values()).allSatisfy(n -> assertThat(n.inFlight()).isZero());
        assertThat(c.supplyHistory).containsOnly(c.supplyHistory.get(0));
        assertThat(c.treasury()).isPositive();
        assertThat(c.events(EventType.VALIDATOR_JOINED)).hasSize(2);
        assertThat(c.events(EventType.VALIDATOR_LEFT)).hasSize(2);
        assertThat(c.events(EventType.VALIDATOR_SLASHED)).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(750 * VRT));
        assertThat(c.ledger.state().validatorSet().members()).extracting(v -> v.key()).containsExactly(TestChain.VALIDATOR.publicKey());
        assertThat(c.ledger.state().validatorUnbonding.count()).isEqualTo(2);
        assertThat(c.ledger.state().equivocations.count()).isEqualTo(1);
    }

    @Test
    void producingTheSequenceGivesTheGoldenHashesAndRoot() {
        TestChain c = run();
        List<String> hashes = c.blocks.stream().map(p -> p.block().hash().hex()).toList();
        String actual = "GENESIS_HASH = \"" + c.genesis.hash().hex() + "\"\nBLOCK_HASHES = " + String.join(",\n", hashes.stream()
                .map(h -> "\"" + h + "\"").toList()) + "\nFINAL_STATE_ROOT = \"" + c.ledger.state().root().hex() + "\"";
        assertThat(c.genesis.hash().hex()).as(actual).isEqualTo(GENESIS_HASH);
        assertThat(hashes).as(actual).isEqualTo(BLOCK_HASHES);
        assertThat(c.ledger.state().root().hex()).as(actual).isEqualTo(FINAL_STATE_ROOT);
        assertThat(c.blocks.getLast().block().header().stateRoot().hex()).isEqualTo(FINAL_STATE_ROOT);
    }

    @Test
    void reExecutingTheBlocksOnAFreshLedgerReproducesEveryRoot() {
        TestChain c = run();
        Ledger fresh = Ledger.fromGenesis(TestChain.genesis(Params.defaults()));
        Hash previous = Hash.fromHex(GENESIS_HASH);
        assertThat(previous).isEqualTo(c.genesis.hash());
        for (BlockExecution.Produced p : c.blocks) {
            // through the wire encoding, as a peer would receive it
            Block received = Block.decode(p.block().encode());
            assertThat(received.hash()).isEqualTo(p.block().hash());
            List<LedgerEvent> events = BlockExecution.execute(fresh, received, previous);
            assertThat(fresh.state().root()).isEqualTo(p.block().header().stateRoot());
            assertThat(events).isEqualTo(p.events());
            assertThat(fresh.state().height()).isEqualTo(p.block().height());
            previous = received.hash();
        }
        assertThat(fresh.state().root().hex()).isEqualTo(FINAL_STATE_ROOT);
        assertThat(previous.hex()).isEqualTo(BLOCK_HASHES.getLast());
    }
}
