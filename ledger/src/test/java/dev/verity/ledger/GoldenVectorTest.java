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
import dev.verity.ledger.block.Block;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.JobStatus;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
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
 * {@code jobFailures} table), the state encoding of every table, the Merkle state root, the events root and the block header encoding and signature.
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
 */
class GoldenVectorTest {
    static final String GENESIS_HASH = "d30e0103485b92e5c3b5468497ecda8a8a4a1cca227bc1361efb7fa3c2b37e46";
    static final List<String> BLOCK_HASHES = List.of(
            "26f674272c8b81577ce0ee2eabc0a11fa0eac1ad18beec53519a9406c15ad152",
            "071e09e4a5d0121467fce3f9826dd67d476b508de6c52ede292f8719331a49d1",
            "9a9bce43b315346bd60133dcdf9f8073d507797ba118ddc1c4dcb0de50ee363f",
            "998cd9c06d0755f182583deed5ee83edfa37c81cfcf113aca88a6977a06b7a22",
            "26a9c515f025e9ca7d05d8cd5b41036f638157e8939b1265d569c0c3f1a1cbc1",
            "34049bdeeb49b72f913b241640bebb8e1979b743edc7d984f8f9bfa5777277cd",
            "494db5610055bceee4d4ae14be8c4f962eeb801a24b3ad6d6340a1c1d51426f3",
            "935a3c72eda11e488b6e980458929b5a2a508ddb77cf278ad26618ba2fb2082f",
            "2de2f5fdb8b02f2571d0daaf3831e75fb2b264307fffad7d65233adc6e874931");
    static final String FINAL_STATE_ROOT = "604a1c6329344b4fa907e2fbcc340542a1a90c63e6f4bf202ba13828230c4362";

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
        return c;
    }

    @Test
    void theSequenceDoesWhatTheVectorClaims() {
        TestChain c = run();
        assertThat(c.blocks).hasSize(9);
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
