package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.CAROL;
import static dev.verity.ledger.TestChain.ENCLAVE_1;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.NODE_2;
import static dev.verity.ledger.TestChain.NODE_3;
import static dev.verity.ledger.TestChain.NODE_4;
import static dev.verity.ledger.TestChain.VRT;
import static dev.verity.ledger.TestChain.modelHash;
import static dev.verity.protocol.VerificationMode.NONE;
import static dev.verity.protocol.VerificationMode.OPTIMISTIC;
import static dev.verity.protocol.VerificationMode.TEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.rules.FeeMarket;
import dev.verity.ledger.rules.StakingRules;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.state.NodeStatus;
import dev.verity.ledger.state.QueueKey;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.governance.RevocationTarget;
import dev.verity.protocol.tx.FailureReason;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Declared capacity: the chain never assigns a node more jobs than it said it runs at once; jobs that find no
 * room wait in queue order, raise the base price while they wait, and expire with a full refund if they wait
 * too long; the count of jobs in flight returns to zero whichever way a job leaves its node; a network
 * flooded with ten times its capacity costs its honest nodes nothing.
 */
class CapacityTest {
    static final Hash MODEL = modelHash("capacity-model");
    /** Far below a block's target and the minimum fee: the fee is {@code minJobFee} and submissions alone never raise the price. */
    static final long COMPUTE_UNITS = 1_000_000;
    static final long STAKE = 2_000 * VRT;
    static final long MAX_FEE = 10_000;

    TestChain chain;

    TestChain world(Map<String, ?> params) {
        chain = new TestChain(TestChain.params(params));
        chain.block(chain.registerModel(ALICE, MODEL, "capacity-model", COMPUTE_UNITS));
        return chain;
    }

    SignedTransaction job(PrivateKey client, long tip, long deadline) {
        return chain.sign(client, new Payload.SubmitJob(MODEL, chain.nextInput(), NONE, List.of(), MAX_FEE, deadline, tip));
    }

    SignedTransaction answer(JobRecord j) {
        return chain.resultFrom(TestChain.privateKeyOf(j.assignedNode()), j.id(), Bytes.utf8("answer"), new byte[0]);
    }

    List<JobRecord> assignedTo(PrivateKey node) {
        return chain.ledger.state().jobs.values().stream()
                .filter(j -> j.status() == JobStatus.ASSIGNED && node.publicKey().equals(j.assignedNode())).toList();
    }

    String whyNot(PrivateKey node) {
        return chain.node(node).notAssignableBecause(chain.params().minStake(), chain.height);
    }

    /** Every node's in-flight count is the number of jobs assigned to it, and there is one deadline entry per assigned job. */
    static void assertInFlightMatchesTheJobs(LedgerState s) {
        Map<PublicKey, Integer> open = new TreeMap<>();
        int assigned = 0;
        for (JobRecord j : s.jobs.values()) {
            if (j.status() == JobStatus.ASSIGNED) {
                open.merge(j.assignedNode(), 1, Integer::sum);
                assigned++;
            }
        }
        for (NodeRecord n : s.nodes.values()) {
            assertThat(n.inFlight()).as("in flight of %s", n.id().hex()).isEqualTo(open.getOrDefault(n.id(), 0));
        }
        assertThat(s.deadlines.count()).as("deadline entries").isEqualTo(assigned);
    }

    // ------------------------------------------------------------------------------- the bound

    /**
     * Random job streams (tips, deadlines, bursts) on two to four nodes of random capacity and stake, which answer
     * after random delays (some too late), sometimes with a failure, and sometimes change their capacity: at the end
     * of every block, a node that was assigned anything holds at most its capacity, a node never holds more than
     * its capacity unless it lowered it below what it held, and the in-flight counts match the jobs.
     */
    @Test
    void aNodeIsNeverAssignedMoreThanItsCapacity() {
        qt().withExamples(12).forAll(longs().all()).checkAssert(this::randomStream);
    }

    private void randomStream(long seed) {
        Random rnd = new Random(seed);
        world(Map.of("maxQueueBlocks", 8L, "jailAfterMisses", 1_000));
        List<PrivateKey> nodes = new ArrayList<>(List.of(NODE_1, NODE_2, NODE_3, NODE_4).subList(0, 2 + rnd.nextInt(3)));
        List<SignedTransaction> regs = new ArrayList<>();
        for (PrivateKey n : nodes) {
            regs.add(chain.registerNode(n, (1_000 + rnd.nextInt(2_000)) * VRT, 1 + rnd.nextInt(5), List.of(MODEL), NONE));
        }
        chain.block(regs.toArray(new SignedTransaction[0]));
        Map<String, Long> answerAt = new HashMap<>();
        Map<PublicKey, Integer> lowered = new HashMap<>();
        int assignments = 0;
        for (int b = 0; b < 40; b++) {
            List<SignedTransaction> txs = new ArrayList<>();
            for (JobRecord j : chain.ledger.state().jobs.values()) {
                if (j.status() != JobStatus.ASSIGNED) {
                    continue;
                }
                long at = answerAt.computeIfAbsent(j.id().hex() + "@" + j.assignedAt(),
                        k -> j.assignedAt() + rnd.nextInt((int) j.deadlineBlocks() + 3));
                if (at == chain.height + 1) {
                    PrivateKey node = TestChain.privateKeyOf(j.assignedNode());
                    int kind = rnd.nextInt(10);
                    txs.add(kind < 7 ? answer(j) : chain.sign(node, new Payload.SubmitFailure(j.id(),
                            kind < 9 ? FailureReason.INPUT_REJECTED : FailureReason.NODE_FAULT, "could not run it", new byte[0])));
                }
            }
            int burst = rnd.nextInt(4) == 0 ? 12 + rnd.nextInt(12) : rnd.nextInt(6);
            for (int i = 0; i < burst; i++) {
                txs.add(job(List.of(ALICE, BOB, CAROL).get(rnd.nextInt(3)), 100L * rnd.nextInt(4), 2 + rnd.nextInt(5)));
            }
            lowered.clear();
            if (rnd.nextInt(8) == 0) {
                PrivateKey n = nodes.get(rnd.nextInt(nodes.size()));
                int cap = 1 + rnd.nextInt(5);
                if (cap != chain.node(n).capacity()) {
                    txs.add(chain.sign(n, new Payload.SetCapacity(cap)));
                    if (cap < chain.node(n).inFlight()) {
                        lowered.put(n.publicKey(), chain.node(n).inFlight());
                    }
                }
            }
            Map<PublicKey, Integer> before = new HashMap<>();
            nodes.forEach(n -> before.put(n.publicKey(), chain.node(n).inFlight()));
            BlockExecution.Produced p = chain.produce(txs);
            assertThat(p.refused()).as("refused at height %d", chain.height).isEmpty();
            Map<PublicKey, Long> got = new HashMap<>();
            for (LedgerEvent e : p.events()) {
                if (e.type() == EventType.JOB_ASSIGNED) {
                    got.merge(e.node(), 1L, Long::sum);
                    assignments++;
                }
            }
            for (PrivateKey n : nodes) {
                NodeRecord r = chain.node(n);
                if (got.containsKey(n.publicKey())) {
                    assertThat(r.inFlight()).as("seed %d, block %d: %s was assigned %d", seed, chain.height, n.publicKey().hex(),
                            got.get(n.publicKey())).isLessThanOrEqualTo(r.capacity());
                }
                if (lowered.containsKey(n.publicKey()) || before.get(n.publicKey()) > r.capacity()) {
                    assertThat(r.inFlight()).as("a node above its lowered capacity only drains")
                            .isLessThanOrEqualTo(Math.max(r.capacity(), before.get(n.publicKey())));
                } else {
                    assertThat(r.inFlight()).as("seed %d, block %d", seed, chain.height).isLessThanOrEqualTo(r.capacity());
                }
            }
            assertInFlightMatchesTheJobs(chain.ledger.state());
        }
        assertThat(assignments).isPositive();
        assertThat(chain.supplyHistory).containsOnly(chain.supplyHistory.get(0));
    }

    // ------------------------------------------------------------------------------- the queue

    @Test
    void jobsThatFindNoRoomWaitInQueueOrderTipFirstThenSubmissionOrder() {
        world(Map.of());
        chain.block(chain.registerNode(NODE_1, STAKE, 1, List.of(MODEL), NONE));
        SignedTransaction blocker = job(ALICE, 0, 50);
        chain.block(blocker);
        assertThat(chain.job(blocker.hash()).assignedNode()).isEqualTo(NODE_1.publicKey());
        assertThat(whyNot(NODE_1)).isEqualTo("at capacity: 1 of 1 jobs in flight");

        long[] tips = {0, 500, 50, 500, 0, 50};
        List<SignedTransaction> waiting = new ArrayList<>();
        for (int i = 0; i < tips.length; i++) {
            waiting.add(job(List.of(ALICE, BOB, CAROL).get(i % 3), tips[i], 5));
        }
        chain.block(waiting.toArray(new SignedTransaction[0]));
        chain.emptyBlocks(3);
        SortedMap<QueueKey, Hash> queue = new TreeMap<>();
        chain.ledger.state().queue.forEach((k, id) -> queue.put(k, id) == null);
        assertThat(queue.values()).as("the queue, tip first then submission order").containsExactly(
                waiting.get(1).hash(), waiting.get(3).hash(), waiting.get(2).hash(), waiting.get(5).hash(), waiting.get(0).hash(),
                waiting.get(4).hash());
        for (SignedTransaction tx : waiting) {
            assertThat(chain.job(tx.hash()).status()).isEqualTo(JobStatus.QUEUED);
        }
        assertThat(chain.events(EventType.JOB_ASSIGNED)).hasSize(1);

        List<Hash> order = new ArrayList<>();
        JobRecord holding = chain.job(blocker.hash());
        for (int i = 0; i < tips.length; i++) {
            chain.block(answer(holding));
            assertThat(chain.ledger.state().queue.keys()).as("a waiting job keeps its queue key")
                .isSubsetOf(queue.keySet());
            List<JobRecord> now = assignedTo(NODE_1);
            assertThat(now).hasSize(1);
            holding = now.getFirst();
            order.add(holding.id());
        }
        assertThat(order).containsExactly(waiting.get(1).hash(), waiting.get(3).hash(), waiting.get(2).hash(), waiting.get(5).hash(),
                waiting.get(0).hash(), waiting.get(4).hash());
        chain.block(answer(holding));
        assertThat(chain.node(NODE_1).inFlight()).isZero();
        assertThat(whyNot(NODE_1)).isNull();
        assertThat(chain.events(EventType.NODE_PENALIZED)).isEmpty();
    }

    @Test
    void jobsThatWaitTooLongForRoomExpireWithAFullRefundAndNobodyIsPenalized() {
        world(Map.of("maxQueueBlocks", 4L));
        chain.block(chain.registerNode(NODE_1, STAKE, 1, List.of(MODEL), NONE));
        SignedTransaction holding = job(ALICE, 0, 20);
        chain.block(holding);
        long bobBefore = chain.balance(BOB);
        SignedTransaction waits = job(BOB, 0, 5);
        chain.block(waits);
        long queuedAt = chain.height;
        chain.advanceTo(queuedAt + 3);
        assertThat(chain.job(waits.hash()).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(chain.balance(BOB)).isEqualTo(bobBefore - MAX_FEE);
        chain.emptyBlocks(1);
        JobRecord expired = chain.job(waits.hash());
        assertThat(expired.status()).isEqualTo(JobStatus.EXPIRED);
        assertThat(expired.settledAt()).isEqualTo(queuedAt + 4);
        assertThat(chain.events(EventType.JOB_EXPIRED, waits.hash())).singleElement().satisfies(e -> assertThat(e.reason())
                .isEqualTo("every node serving model " + MODEL.hex() + " in modes [NONE] stayed at its capacity for 4 blocks"));
        assertThat(chain.events(EventType.CLIENT_REFUNDED, waits.hash())).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(MAX_FEE));
        assertThat(chain.balance(BOB)).as("the whole escrow back").isEqualTo(bobBefore);
        assertThat(chain.ledger.state().queue.count()).isZero();
        // the node that held its one job was right to: it answers in time and is paid
        chain.block(answer(chain.job(holding.hash())));
        assertThat(chain.job(holding.hash()).status()).isEqualTo(JobStatus.SETTLED);
        assertThat(chain.events(EventType.NODE_PENALIZED)).isEmpty();
        assertThat(chain.events(EventType.DEADLINE_MISSED)).isEmpty();
        assertThat(chain.supplyHistory).containsOnly(chain.supplyHistory.get(0));
    }

    // ------------------------------------------------------------------------------- why a node gets nothing

    @Test
    void aNodeThatIsNotAssignableSaysWhy() {
        world(Map.of("jailAfterMisses", 1, "jailBlocks", 10L, "maxReassignments", 0));
        long min = chain.params().minStake();
        chain.block(chain.registerNode(NODE_1, STAKE, 2, List.of(MODEL), NONE));
        assertThat(whyNot(NODE_1)).isNull();
        // at capacity
        chain.block(job(ALICE, 0, 3), job(ALICE, 0, 3));
        assertThat(whyNot(NODE_1)).isEqualTo("at capacity: 2 of 2 jobs in flight");
        // jailed: it misses both deadlines
        chain.emptyBlocks(3);
        NodeRecord jailed = chain.node(NODE_1);
        assertThat(jailed.status()).isEqualTo(NodeStatus.JAILED);
        assertThat(jailed.inFlight()).isZero();
        assertThat(whyNot(NODE_1)).isEqualTo("jailed until height " + jailed.jailedUntil());
        SignedTransaction meanwhile = job(BOB, 0, 5);
        chain.block(meanwhile);
        assertThat(chain.job(meanwhile.hash()).status()).as("a jailed node gets nothing").isEqualTo(JobStatus.QUEUED);
        chain.advanceTo(jailed.jailedUntil());
        assertThat(whyNot(NODE_1)).isEqualTo("jailed until height " + jailed.jailedUntil() + " (may unjail now)");
        chain.block(chain.sign(NODE_1, new Payload.Unjail()));
        assertThat(chain.job(meanwhile.hash()).status()).as("assigned once it is back").isEqualTo(JobStatus.ASSIGNED);
        chain.block(answer(chain.job(meanwhile.hash())));
        assertThat(whyNot(NODE_1)).isNull();

        // unbonded to zero: still ACTIVE, but holding nothing at stake
        chain.block(chain.sign(NODE_1, new Payload.Unbond(chain.node(NODE_1).stake())));
        NodeRecord unbonded = chain.node(NODE_1);
        assertThat(unbonded.stake()).isZero();
        assertThat(unbonded.status()).isEqualTo(NodeStatus.ACTIVE);
        assertThat(whyNot(NODE_1)).isEqualTo("stake (unbonding the rest) 0 is below the minimum " + min);
        SignedTransaction after = job(CAROL, 0, 5);
        chain.block(after);
        assertThat(chain.job(after.hash()).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(chain.node(NODE_1).inFlight()).isZero();
    }

    @Test
    void aNodeBelowTheMinimumStakeWithoutUnbondingSaysSo() {
        world(Map.of("maxReassignments", 0));
        long min = chain.params().minStake();
        chain.block(chain.registerNode(NODE_1, min, 4, List.of(MODEL), NONE));
        chain.block(job(ALICE, 0, 2));
        chain.emptyBlocks(2);
        NodeRecord n = chain.node(NODE_1);
        assertThat(n.status()).isEqualTo(NodeStatus.ACTIVE);
        assertThat(n.stake()).isEqualTo(min - min / 100);
        assertThat(whyNot(NODE_1)).isEqualTo("stake " + (min - min / 100) + " is below the minimum " + min);
        SignedTransaction waits = job(BOB, 0, 5);
        chain.block(waits);
        assertThat(chain.job(waits.hash()).status()).isEqualTo(JobStatus.QUEUED);
    }

    // ------------------------------------------------------------------------------- SetCapacity

    @Test
    void setCapacityTakesOneToTheMaximumAndOnlyAChange() {
        world(Map.of());
        chain.block(chain.registerNode(NODE_1, STAKE, List.of(MODEL), NONE),
                chain.sign(NODE_2, new Payload.RegisterNode(STAKE, List.of(MODEL), List.of(NONE), TestChain.hardware())));
        assertThat(chain.node(NODE_2).capacity()).as("the default").isEqualTo(Payload.RegisterNode.DEFAULT_CAPACITY).isEqualTo(4);
        assertThat(chain.node(NODE_1).capacity()).isEqualTo(StakingRules.MAX_CAPACITY);
        for (int bad : new int[] {0, StakingRules.MAX_CAPACITY + 1, Integer.MAX_VALUE}) {
            refused(chain.sign(NODE_2, new Payload.SetCapacity(bad)), RejectCode.INVALID_CAPACITY,
                    "a node's capacity is 1 to " + StakingRules.MAX_CAPACITY + " jobs at once, got " + bad);
            refused(chain.registerNode(NODE_3, STAKE, bad, List.of(MODEL), NONE), RejectCode.INVALID_CAPACITY, "got " + bad);
        }
        refused(chain.sign(NODE_2, new Payload.SetCapacity(4)), RejectCode.INVALID_CAPACITY, "the capacity is already 4");
        refused(chain.sign(ALICE, new Payload.SetCapacity(2)), RejectCode.UNKNOWN_NODE,
                "account " + ALICE.publicKey().hex() + " is not a registered node");
        chain.block(chain.sign(NODE_2, new Payload.SetCapacity(1)));
        assertThat(chain.node(NODE_2).capacity()).isEqualTo(1);
        assertThat(chain.events(EventType.CAPACITY_CHANGED)).singleElement().satisfies(e -> {
            assertThat(e.node()).isEqualTo(NODE_2.publicKey());
            assertThat(e.reason()).isEqualTo("capacity changed from 4 to 1 jobs at once (0 in flight)");
        });
        chain.block(chain.sign(NODE_2, new Payload.SetCapacity(StakingRules.MAX_CAPACITY)));
        assertThat(chain.node(NODE_2).capacity()).isEqualTo(StakingRules.MAX_CAPACITY);
        chain.block(chain.registerNode(NODE_3, STAKE, 1, List.of(MODEL), NONE));
        assertThat(chain.node(NODE_3).capacity()).isEqualTo(1);
        assertThat(chain.events(EventType.NODE_REGISTERED).getLast().reason()).endsWith("capacity 1 jobs at once");
    }

    private void refused(SignedTransaction tx, RejectCode code, String... parts) {
        Hash root = chain.ledger.state().root();
        TransactionRejectedException e = catchThrowableOfType(TransactionRejectedException.class,
                () -> chain.ledger.apply(tx, chain.nextContext()));
        assertThat(e).as("%s", tx.payload()).isNotNull();
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).contains(parts);
        assertThat(chain.ledger.state().root()).isEqualTo(root);
        chain.ledger.state().drainEvents();
        chain.forgetPendingNonces();
    }

    @Test
    void loweringTheCapacityBelowTheJobsInFlightAssignsNothingNewUntilTheyDrain() {
        world(Map.of());
        chain.block(chain.registerNode(NODE_1, STAKE, 3, List.of(MODEL), NONE));
        chain.block(job(ALICE, 0, 10), job(ALICE, 0, 10), job(ALICE, 0, 10), job(BOB, 0, 10), job(BOB, 0, 10));
        assertThat(chain.node(NODE_1).inFlight()).isEqualTo(3);
        assertThat(chain.ledger.state().queue.count()).isEqualTo(2);
        chain.block(chain.sign(NODE_1, new Payload.SetCapacity(1)));
        assertThat(chain.events(EventType.CAPACITY_CHANGED).getLast().reason())
                .isEqualTo("capacity changed from 3 to 1 jobs at once (3 in flight)");
        assertThat(chain.node(NODE_1).inFlight()).as("nothing is taken back").isEqualTo(3);
        assertThat(whyNot(NODE_1)).isEqualTo("at capacity: 3 of 1 jobs in flight");
        List<JobRecord> held = assignedTo(NODE_1);
        chain.block(answer(held.get(0)));
        assertThat(chain.node(NODE_1).inFlight()).isEqualTo(2);
        chain.block(answer(held.get(1)));
        assertThat(chain.node(NODE_1).inFlight()).isEqualTo(1);
        assertThat(chain.ledger.state().queue.count()).as("still nothing new").isEqualTo(2);
        chain.block(answer(held.get(2)));
        assertThat(chain.node(NODE_1).inFlight()).as("one new job, the new capacity").isEqualTo(1);
        assertThat(chain.ledger.state().queue.count()).isEqualTo(1);
        chain.block(chain.sign(NODE_1, new Payload.SetCapacity(2)));
        assertThat(chain.node(NODE_1).inFlight()).as("raised: the last one is assigned at once").isEqualTo(2);
        assertThat(chain.ledger.state().queue.count()).isZero();
        assertThat(chain.events(EventType.NODE_PENALIZED)).isEmpty();
    }

    // ------------------------------------------------------------------------------- in flight goes back to zero

    @Test
    void inFlightReturnsToZeroAfterResultsFailuresAndMissedDeadlines() {
        world(Map.of("maxReassignments", 0));
        chain.block(chain.registerNode(NODE_1, STAKE, 4, List.of(MODEL), NONE));
        SignedTransaction result = job(ALICE, 0, 6);
        SignedTransaction refusal = job(ALICE, 0, 6);
        SignedTransaction fault = job(ALICE, 0, 6);
        SignedTransaction missed = job(ALICE, 0, 6);
        chain.block(result, refusal, fault, missed);
        assertThat(chain.node(NODE_1).inFlight()).isEqualTo(4);
        assertThat(whyNot(NODE_1)).startsWith("at capacity");
        chain.block(answer(chain.job(result.hash())));
        assertThat(chain.node(NODE_1).inFlight()).isEqualTo(3);
        chain.block(chain.sign(NODE_1, new Payload.SubmitFailure(refusal.hash(), FailureReason.INPUT_REJECTED, "bad input", new byte[0])));
        assertThat(chain.node(NODE_1).inFlight()).isEqualTo(2);
        chain.block(chain.sign(NODE_1, new Payload.SubmitFailure(fault.hash(), FailureReason.NODE_FAULT, "crashed", new byte[0])));
        assertThat(chain.node(NODE_1).inFlight()).isEqualTo(1);
        chain.advanceTo(chain.job(missed.hash()).deadlineHeight());
        assertThat(chain.job(missed.hash()).status()).isEqualTo(JobStatus.EXPIRED);
        assertThat(chain.node(NODE_1).inFlight()).isZero();
        assertThat(List.of(chain.job(result.hash()).status(), chain.job(refusal.hash()).status(), chain.job(fault.hash()).status()))
                .containsExactly(JobStatus.SETTLED, JobStatus.FAILED, JobStatus.EXPIRED);
        assertInFlightMatchesTheJobs(chain.ledger.state());
    }

    @Test
    void inFlightReturnsToZeroWhenARevocationMovesOrCancelsTeeJobs() {
        world(Map.of());
        chain.block(chain.registerNode(NODE_1, STAKE, 2, List.of(MODEL), TEE), chain.registerEnclave(NODE_1, ENCLAVE_1),
                chain.registerNode(NODE_3, STAKE, 2, List.of(MODEL), NONE));
        SignedTransaction moves = chain.sign(ALICE, new Payload.SubmitJob(MODEL, chain.nextInput(), TEE, List.of(NONE), MAX_FEE, 8));
        SignedTransaction cancelled = chain.sign(BOB, new Payload.SubmitJob(MODEL, chain.nextInput(), TEE, List.of(), MAX_FEE, 8));
        chain.block(moves, cancelled);
        assertThat(chain.node(NODE_1).inFlight()).isEqualTo(2);
        chain.block(chain.govern(new GovernanceAction.Revoke(new RevocationTarget.Vendor(TeeType.SEV_SNP), "broken")));
        assertThat(chain.node(NODE_1).inFlight()).isZero();
        assertThat(chain.job(cancelled.hash()).status()).isEqualTo(JobStatus.CANCELLED);
        JobRecord moved = chain.job(moves.hash());
        assertThat(moved.mode()).isEqualTo(NONE);
        assertThat(moved.assignedNode()).isEqualTo(NODE_3.publicKey());
        assertThat(chain.node(NODE_3).inFlight()).isEqualTo(1);
        assertInFlightMatchesTheJobs(chain.ledger.state());
        chain.block(answer(moved));
        assertThat(chain.node(NODE_3).inFlight()).isZero();
        assertThat(chain.events(EventType.NODE_PENALIZED)).isEmpty();
    }

    @Test
    void aProvableResultFreesItsSlotWhenPostedNotWhenSettled() {
        ProvableWorld world = new ProvableWorld(Map.of(), 5, NODE_1);
        Hash job = world.submit(OPTIMISTIC, TinyProgram.input(world.rnd));
        assertThat(world.chain.node(NODE_1).inFlight()).isEqualTo(1);
        world.chain.block(world.chain.sign(NODE_1, world.resultParty(job, TraceParty.Kind.HONEST, null).result()));
        assertThat(world.job(job).status()).isEqualTo(JobStatus.VERIFYING);
        assertThat(world.chain.node(NODE_1).inFlight()).isZero();
        assertInFlightMatchesTheJobs(world.chain.ledger.state());
    }

    // ------------------------------------------------------------------------------- price

    /** {@code FeeMarket.backlogDemand} as docs/ECONOMICS.md states it, of the backlog's growth in a block. */
    static long backlogDemand(Params p, long waiting, long capacity) {
        if (waiting <= 0) {
            return 0;
        }
        long target = p.targetComputeUnitsPerBlock();
        long share = capacity <= 0 ? 1 : Math.min(waiting, capacity);
        long over = BigInteger.valueOf(target).multiply(BigInteger.valueOf(share))
                .divide(BigInteger.valueOf(Math.max(capacity, 1))).longValueExact();
        return target + Math.max(over, 1);
    }

    @Test
    void theBasePriceRisesWhileJobsWaitForRoomAndFallsOnceTheQueueDrains() {
        world(Map.of());
        chain.block(chain.registerNode(NODE_1, STAKE, 3, List.of(MODEL), NONE), chain.registerNode(NODE_2, STAKE, 1, List.of(MODEL), NONE));
        Params p = chain.params();
        long capacity = 4;
        long price = FeeMarket.basePrice(chain.ledger.state());
        List<SignedTransaction> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jobs.add(job(List.of(ALICE, BOB).get(i % 2), 0, 5));
        }
        List<Long> prices = new ArrayList<>(List.of(price));
        List<Long> waitingAfter = new ArrayList<>();
        chain.block(jobs.toArray(new SignedTransaction[0]));
        long previous = 0;
        for (int b = 0; b < 8; b++) {
            long waiting = chain.ledger.state().queue.count();
            waitingAfter.add(waiting);
            long submitted = b == 0 ? 10 * COMPUTE_UNITS : 0;
            long expected = FeeMarket.next(p, price, Math.max(submitted, backlogDemand(p, waiting - previous, capacity)));
            previous = waiting;
            price = FeeMarket.basePrice(chain.ledger.state());
            assertThat(price).as("after block %d with %d waiting", chain.height, waiting).isEqualTo(expected);
            prices.add(price);
            List<SignedTransaction> answers = new ArrayList<>();
            for (JobRecord j : chain.ledger.state().jobs.values()) {
                if (j.status() == JobStatus.ASSIGNED) {
                    answers.add(answer(j));
                }
            }
            chain.block(answers.toArray(new SignedTransaction[0]));
        }
        assertThat(waitingAfter.subList(0, 4)).containsExactly(6L, 2L, 0L, 0L);
        // the backlog grew by six with four slots: a full step up; then it only drains, and the price falls
        assertThat(prices.get(1)).isEqualTo(prices.get(0) + prices.get(0) * p.basePriceChangeBps() / 10_000);
        assertThat(prices.get(2)).isLessThan(prices.get(1));
        for (int i = 2; i < prices.size() - 1; i++) {
            assertThat(prices.get(i + 1)).isLessThanOrEqualTo(prices.get(i));
        }
        assertThat(chain.events(EventType.NODE_PENALIZED)).isEmpty();
    }

    // ------------------------------------------------------------------------------- overload

    /**
     * Ten times the network's declared capacity submitted every block for 20 blocks, against honest nodes of random
     * capacity that answer every job within its deadline after a random delay: nobody is ever penalized, no node
     * ever holds more than its capacity, the price climbs, and every job ends settled or expired with its whole
     * escrow refunded. No base unit appears or vanishes.
     */
    @Test
    void tenTimesTheCapacityEveryBlockCostsHonestNodesNothing() {
        qt().withExamples(2).forAll(longs().all()).checkAssert(this::overload);
    }

    private void overload(long seed) {
        Random rnd = new Random(seed);
        world(Map.of("maxQueueBlocks", 5L));
        List<PrivateKey> nodes = List.of(NODE_1, NODE_2, NODE_3);
        List<SignedTransaction> regs = new ArrayList<>();
        int capacity = 0;
        for (PrivateKey n : nodes) {
            int c = 1 + rnd.nextInt(4);
            capacity += c;
            regs.add(chain.registerNode(n, STAKE, c, List.of(MODEL), NONE));
        }
        chain.block(regs.toArray(new SignedTransaction[0]));
        long startPrice = FeeMarket.basePrice(chain.ledger.state());
        long highest = startPrice;
        List<Hash> jobs = new ArrayList<>();
        Map<Hash, Long> answerAt = new HashMap<>();
        int blocks = 0;
        while (blocks < 20 || chain.ledger.state().queue.count() > 0 || chain.ledger.state().deadlines.count() > 0) {
            assertThat(blocks).isLessThan(60);
            List<SignedTransaction> txs = new ArrayList<>();
            for (JobRecord j : chain.ledger.state().jobs.values()) {
                if (j.status() == JobStatus.ASSIGNED
                        && answerAt.computeIfAbsent(j.id(), k -> j.assignedAt() + 1 + rnd.nextInt((int) j.deadlineBlocks())) == chain.height + 1) {
                    txs.add(answer(j));
                }
            }
            List<SignedTransaction> submitted = new ArrayList<>();
            if (blocks < 20) {
                for (int i = 0; i < 10 * capacity; i++) {
                    submitted.add(job(List.of(ALICE, BOB, CAROL).get(i % 3), 10L * rnd.nextInt(3), 3));
                }
            }
            txs.addAll(submitted);
            BlockExecution.Produced p = chain.produce(txs);
            assertThat(p.refused()).isEmpty();
            submitted.forEach(tx -> jobs.add(tx.hash()));
            blocks++;
            for (PrivateKey n : nodes) {
                assertThat(chain.node(n).inFlight()).isLessThanOrEqualTo(chain.node(n).capacity());
            }
            assertThat(p.events()).noneMatch(e -> e.type() == EventType.NODE_PENALIZED || e.type() == EventType.DEADLINE_MISSED
                    || e.type() == EventType.NODE_JAILED);
            highest = Math.max(highest, FeeMarket.basePrice(chain.ledger.state()));
        }
        int settled = 0;
        int expired = 0;
        Map<Hash, Long> refunds = new HashMap<>();
        Map<Hash, Integer> paid = new HashMap<>();
        for (LedgerEvent e : chain.events) {
            if (e.type() == EventType.CLIENT_REFUNDED) {
                refunds.merge(e.job(), e.amount(), Long::sum);
            } else if (e.type() == EventType.NODE_PAID) {
                paid.merge(e.job(), 1, Integer::sum);
            }
        }
        for (Hash id : jobs) {
            JobRecord j = chain.job(id);
            long refunded = refunds.getOrDefault(id, 0L);
            if (j.status() == JobStatus.SETTLED) {
                settled++;
                assertThat(paid.get(id)).isEqualTo(1);
                assertThat(refunded).isEqualTo(j.maxFee() - j.fee());
            } else {
                assertThat(j.status()).as("job %s", id.hex()).isEqualTo(JobStatus.EXPIRED);
                expired++;
                assertThat(refunded).as("the whole escrow of expired job %s", id.hex()).isEqualTo(j.maxFee());
                assertThat(paid.get(id)).isNull();
            }
        }
        assertThat(jobs).hasSize(200 * capacity);
        assertThat(settled).as("the network worked at its capacity").isGreaterThanOrEqualTo(20 * capacity / 3);
        assertThat(expired).isPositive();
        assertThat(chain.events(EventType.JOB_EXPIRED)).hasSize(expired)
                .allSatisfy(e -> assertThat(e.reason()).contains("stayed at its capacity"));
        assertThat(highest).as("the backlog raised the price").isGreaterThan(startPrice);
        for (PrivateKey n : nodes) {
            assertThat(chain.node(n).stake()).isEqualTo(STAKE);
            assertThat(chain.node(n).penalized()).isZero();
            assertThat(chain.node(n).inFlight()).isZero();
        }
        assertThat(chain.supplyHistory).as("no base unit created or destroyed").containsOnly(chain.supplyHistory.get(0));
    }
}
