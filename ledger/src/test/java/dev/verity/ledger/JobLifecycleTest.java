package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.CAROL;
import static dev.verity.ledger.TestChain.ENCLAVE_1;
import static dev.verity.ledger.TestChain.ENCLAVE_2;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.NODE_2;
import static dev.verity.ledger.TestChain.NODE_3;
import static dev.verity.ledger.TestChain.VALIDATOR;
import static dev.verity.ledger.TestChain.VRT;
import static dev.verity.ledger.TestChain.modelHash;
import static dev.verity.protocol.VerificationMode.NONE;
import static dev.verity.protocol.VerificationMode.TEE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Amounts;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.rules.NodeSelection;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.state.NodeStatus;
import dev.verity.ledger.state.Unbonding;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Jobs from submission to settlement or expiry, with staking, penalties and jail around them. */
class JobLifecycleTest {
    /** 1,234,567 compute units at 1,000 base units per mega unit: NONE costs 1,235, TEE 1,482; neither splits evenly. */
    /** About 1.8 H100-seconds of work: 1,234.8 base units at the default base price of 7,000 per 10^15. */
    static final long COMPUTE_UNITS = 176_400_000_000_000L;
    static final Hash MODEL = modelHash("llama-tiny");
    static final Hash OTHER_MODEL = modelHash("whisper-tiny");
    static final long STAKE = 2_000 * VRT;
    static final Set<EventType> PAYMENTS = EnumSet.of(EventType.TRANSFER, EventType.NODE_PAID, EventType.VALIDATOR_PAID,
            EventType.TREASURY_PAID, EventType.CLIENT_REFUNDED, EventType.NODE_PENALIZED, EventType.STAKE_WITHDRAWN,
            EventType.STAKE_BONDED, EventType.STAKE_UNBONDING, EventType.JOB_SUBMITTED);

    TestChain chain;

    /** Every scenario checks at the end that no block created or destroyed base units and every event says why. */
    @AfterEach
    void conservationAndReasons() {
        if (chain == null) {
            return;
        }
        assertThat(chain.supplyHistory).as("total supply after every block").containsOnly(chain.supplyHistory.get(0));
        assertThat(TestChain.totalSupply(chain.ledger.state())).isEqualTo(chain.supplyHistory.get(0));
        for (LedgerEvent e : chain.events) {
            assertThat(e.reason()).as("reason of %s", e).isNotBlank();
            if (PAYMENTS.contains(e.type()) && e.type() != EventType.NODE_PENALIZED) {
                assertThat(e.amount()).as("amount of %s", e).isPositive();
            }
        }
    }

    /** Model (and a second one), then the given node registrations, each in its own block. */
    private void setUp(SignedTransaction... nodeTxs) {
        chain.block(chain.registerModel(ALICE, MODEL, "llama-tiny", COMPUTE_UNITS),
                chain.registerModel(ALICE, OTHER_MODEL, "whisper-tiny", COMPUTE_UNITS));
        chain.block(nodeTxs);
    }

    private long sum(List<LedgerEvent> events) {
        return events.stream().mapToLong(LedgerEvent::amount).sum();
    }

    // ------------------------------------------------------------------------------- settlement

    @Test
    void noneJobIsAssignedToANodeServingTheModelAndSettlesByShares() {
        chain = new TestChain(TestChain.params(Map.of("basePriceChangeBps", 0L))); // a steady base price
        setUp(chain.registerNode(NODE_1, STAKE, List.of(MODEL), NONE),
                chain.registerNode(NODE_2, STAKE, List.of(OTHER_MODEL), NONE, TEE),
                chain.registerNode(NODE_3, STAKE, List.of(MODEL), TEE));
        long fee = chain.fee(MODEL, NONE);
        assertThat(fee).isEqualTo(1_235);
        long maxFee = 5_000;
        long aliceBefore = chain.balance(ALICE);

        SignedTransaction submit = chain.submitJob(ALICE, MODEL, NONE, maxFee);
        Hash jobId = submit.hash();
        chain.block(submit);

        JobRecord job = chain.job(jobId);
        assertThat(job.status()).isEqualTo(JobStatus.ASSIGNED);
        assertThat(job.assignedNode()).as("the only node serving the model in NONE").isEqualTo(NODE_1.publicKey());
        assertThat(job.mode()).isEqualTo(NONE);
        assertThat(job.fee()).isEqualTo(fee);
        assertThat(job.deadlineHeight()).isEqualTo(chain.height + TestChain.DEFAULT_DEADLINE_BLOCKS);
        assertThat(chain.balance(ALICE)).isEqualTo(aliceBefore - maxFee);
        assertThat(chain.events(EventType.JOB_ASSIGNED, jobId)).singleElement()
                .satisfies(e -> assertThat(e.node()).isEqualTo(NODE_1.publicKey()));

        long nodeBefore = chain.balance(NODE_1);
        long validatorBefore = chain.balance(VALIDATOR);
        long treasuryBefore = chain.treasury();
        byte[] output = Bytes.utf8("the answer is 42");
        chain.block(chain.postResult(jobId, output));

        long toValidator = fee * 1_000 / 10_000;
        long toTreasury = fee * 1_000 / 10_000;
        long toNode = fee - toValidator - toTreasury;
        assertThat(toNode).as("the node gets the rounding remainder").isEqualTo(989).isGreaterThan(fee * 8_000 / 10_000);
        assertThat(chain.balance(NODE_1) - nodeBefore).isEqualTo(toNode);
        assertThat(chain.balance(VALIDATOR) - validatorBefore).isEqualTo(toValidator);
        assertThat(chain.treasury() - treasuryBefore).isEqualTo(toTreasury);
        assertThat(chain.balance(ALICE)).as("client pays exactly the fee").isEqualTo(aliceBefore - fee);

        JobRecord settled = chain.job(jobId);
        assertThat(settled.status()).isEqualTo(JobStatus.SETTLED);
        assertThat(settled.outputHash()).isEqualTo(Sha256.digest(output));
        assertThat(chain.output(jobId)).isEqualTo(output);
        assertThat(chain.ledger.state().deadlines.count()).isZero();
        assertThat(chain.node(NODE_1).earned()).isEqualTo(toNode);
        assertThat(chain.node(NODE_1).jobsCompleted()).isEqualTo(1);

        assertThat(chain.events(EventType.NODE_PAID, jobId)).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(toNode))
                .satisfies(e -> assertThat(e.account()).isEqualTo(NODE_1.publicKey()));
        assertThat(chain.events(EventType.VALIDATOR_PAID, jobId)).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(toValidator))
                .satisfies(e -> assertThat(e.account()).isEqualTo(VALIDATOR.publicKey()));
        assertThat(chain.events(EventType.TREASURY_PAID, jobId)).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(toTreasury));
        assertThat(chain.events(EventType.CLIENT_REFUNDED, jobId)).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(maxFee - fee))
                .satisfies(e -> assertThat(e.account()).isEqualTo(ALICE.publicKey()));
        assertThat(chain.events(EventType.JOB_SETTLED, jobId)).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(fee));
    }

    @Test
    void teeJobIsAssignedToANodeWithAnEnclaveAndSettlesByShares() {
        chain = new TestChain(TestChain.params(Map.of("basePriceChangeBps", 0L))); // a steady base price
        setUp(chain.registerNode(NODE_1, STAKE, List.of(MODEL), NONE),
                chain.registerNode(NODE_2, STAKE, List.of(MODEL), NONE, TEE),
                chain.registerEnclave(NODE_2, ENCLAVE_2),
                // declares TEE but never registers an enclave, so it cannot take TEE jobs
                chain.registerNode(NODE_3, STAKE, List.of(MODEL), TEE));
        assertThat(chain.node(NODE_2).enclaveKey()).isEqualTo(ENCLAVE_2.publicKey());
        assertThat(chain.events(EventType.ENCLAVE_REGISTERED)).singleElement()
                .satisfies(e -> assertThat(e.node()).isEqualTo(NODE_2.publicKey()));
        long fee = chain.fee(MODEL, TEE);
        assertThat(fee).isEqualTo(1_482);
        long maxFee = fee;

        List<Hash> jobs = new ArrayList<>();
        List<SignedTransaction> txs = new ArrayList<>();
        for (PrivateKey client : List.of(ALICE, BOB, CAROL)) {
            SignedTransaction t = chain.submitJob(client, MODEL, TEE, maxFee);
            txs.add(t);
            jobs.add(t.hash());
        }
        chain.block(txs.toArray(SignedTransaction[]::new));
        for (Hash j : jobs) {
            assertThat(chain.job(j).assignedNode()).isEqualTo(NODE_2.publicKey());
            assertThat(chain.job(j).mode()).isEqualTo(TEE);
            assertThat(chain.job(j).fee()).isEqualTo(fee);
        }

        long nodeBefore = chain.balance(NODE_2);
        long validatorBefore = chain.balance(VALIDATOR);
        long treasuryBefore = chain.treasury();
        long bobBefore = chain.balance(BOB);
        List<SignedTransaction> results = new ArrayList<>();
        for (Hash j : jobs) {
            results.add(chain.postResult(j, Bytes.utf8("out " + j.hex())));
        }
        chain.block(results.toArray(SignedTransaction[]::new));

        long toValidator = Amounts.basisPoints(fee, 1_000);
        long toTreasury = Amounts.basisPoints(fee, 1_000);
        long toNode = fee - toValidator - toTreasury;
        assertThat(toNode).isEqualTo(1_186);
        assertThat(chain.balance(NODE_2) - nodeBefore).isEqualTo(3 * toNode);
        assertThat(chain.balance(VALIDATOR) - validatorBefore).isEqualTo(3 * toValidator);
        assertThat(chain.treasury() - treasuryBefore).isEqualTo(3 * toTreasury);
        assertThat(chain.balance(BOB)).as("max fee = fee: nothing to refund").isEqualTo(bobBefore);
        assertThat(chain.events(EventType.CLIENT_REFUNDED)).as("no zero refunds").isEmpty();
        for (Hash j : jobs) {
            assertThat(chain.job(j).status()).isEqualTo(JobStatus.SETTLED);
        }
        // payment events add up to the balance changes
        assertThat(sum(chain.events(EventType.NODE_PAID))).isEqualTo(3 * toNode);
        assertThat(sum(chain.events(EventType.VALIDATOR_PAID))).isEqualTo(chain.balance(VALIDATOR));
        assertThat(sum(chain.events(EventType.TREASURY_PAID))).isEqualTo(chain.treasury());
    }

    // ------------------------------------------------------------------------------- assignment

    /** Three nodes, a few jobs of both modes, results: the same on every ledger. */
    private static List<Hash> script(TestChain c) {
        c.block(c.registerModel(ALICE, MODEL, "llama-tiny", COMPUTE_UNITS));
        c.block(c.registerNode(NODE_1, 1_000 * VRT, List.of(MODEL), NONE, TEE), c.registerEnclave(NODE_1, ENCLAVE_1),
                c.registerNode(NODE_2, 3_000 * VRT, List.of(MODEL), NONE, TEE), c.registerEnclave(NODE_2, ENCLAVE_2),
                c.registerNode(NODE_3, 5_000 * VRT, List.of(MODEL), NONE));
        List<Hash> jobs = new ArrayList<>();
        List<SignedTransaction> txs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            PrivateKey client = List.of(ALICE, BOB, CAROL).get(i % 3);
            SignedTransaction t = c.submitJob(client, MODEL, i % 2 == 0 ? NONE : TEE, 10_000);
            txs.add(t);
            jobs.add(t.hash());
        }
        c.block(txs.toArray(SignedTransaction[]::new));
        List<SignedTransaction> results = new ArrayList<>();
        for (Hash j : jobs) {
            results.add(c.postResult(j, Bytes.utf8("out")));
        }
        c.block(results.toArray(SignedTransaction[]::new));
        return jobs;
    }

    @Test
    void assignmentIsDeterministic() {
        chain = new TestChain();
        TestChain other = new TestChain();
        List<Hash> jobs = script(chain);
        List<Hash> jobs2 = script(other);

        assertThat(jobs2).isEqualTo(jobs);
        List<PublicKey> assigned = jobs.stream().map(j -> chain.job(j).assignedNode()).toList();
        assertThat(jobs2.stream().map(j -> other.job(j).assignedNode()).toList()).isEqualTo(assigned);
        assertThat(other.ledger.state().root()).isEqualTo(chain.ledger.state().root());
        for (int i = 0; i < chain.blocks.size(); i++) {
            assertThat(other.blocks.get(i).block().hash()).isEqualTo(chain.blocks.get(i).block().hash());
            assertThat(other.blocks.get(i).events()).isEqualTo(chain.blocks.get(i).events());
        }
        // TEE jobs only ever went to nodes with an enclave
        for (int i = 1; i < jobs.size(); i += 2) {
            assertThat(assigned.get(i)).isIn(NODE_1.publicKey(), NODE_2.publicKey());
        }
        assertThat(Set.copyOf(assigned)).as("12 jobs over 3 nodes spread over more than one").hasSizeGreaterThan(1);
    }

    private static NodeRecord node(PrivateKey k, long stake) {
        return new NodeRecord(k.publicKey(), stake, List.of(MODEL), List.of(NONE), TestChain.hardware(), NodeStatus.ACTIVE,
                0, 0, List.of(), null, 0, 0, 0, 0, 4, 0);
    }

    @Test
    void assignmentIsStakeWeighted() {
        NodeRecord light = node(NODE_1, 1_000 * VRT);
        NodeRecord heavy = node(NODE_2, 3_000 * VRT);
        List<NodeRecord> candidates = List.of(light, heavy);
        Hash previous = Sha256.digest(Bytes.utf8("previous block"));
        int n = 2_000;
        int heavyPicks = 0;
        for (int i = 0; i < n; i++) {
            Hash job = Sha256.digest(Bytes.utf8("job " + i));
            NodeRecord pick = NodeSelection.pick(candidates, previous, job, 0);
            assertThat(NodeSelection.pick(candidates, previous, job, 0)).isSameAs(pick);
            if (pick == heavy) {
                heavyPicks++;
            }
        }
        // expected 1500 with a standard deviation of about 19.4: these bounds are more than 5 sigma wide
        assertThat(heavyPicks).isBetween(1_400, 1_600);

        // a node alone is always picked, and a single point of stake never beats a huge stake every time
        assertThat(NodeSelection.pick(List.of(light), previous, previous, 3)).isSameAs(light);
        int tinyPicks = 0;
        NodeRecord tiny = node(NODE_3, 1);
        for (int i = 0; i < 200; i++) {
            if (NodeSelection.pick(List.of(tiny, heavy), previous, Sha256.digest(Bytes.utf8("j" + i)), i) == tiny) {
                tinyPicks++;
            }
        }
        assertThat(tinyPicks).isLessThan(2);
    }

    // ------------------------------------------------------------------------------- fallback and queueing

    @Test
    void teeJobFallsBackToNoneWhenNoNodeHasAnEnclave() {
        chain = new TestChain();
        setUp(chain.registerNode(NODE_1, STAKE, List.of(MODEL), NONE, TEE));
        long teeFee = chain.fee(MODEL, TEE);
        long noneFee = chain.fee(MODEL, NONE);
        long aliceBefore = chain.balance(ALICE);
        SignedTransaction submit = chain.submitJob(ALICE, MODEL, TEE, List.of(NONE), teeFee, 3);
        chain.block(submit);
        Hash jobId = submit.hash();

        JobRecord job = chain.job(jobId);
        assertThat(job.status()).isEqualTo(JobStatus.ASSIGNED);
        assertThat(job.mode()).isEqualTo(NONE);
        assertThat(job.fee()).as("fee recomputed for the mode in force").isEqualTo(noneFee);
        assertThat(job.fallbackModes()).isEmpty();
        assertThat(chain.events(EventType.MODE_FALLBACK, jobId)).singleElement().satisfies(e -> {
            assertThat(e.amount()).isEqualTo(noneFee);
            assertThat(e.reason()).contains("TEE").contains("NONE");
        });

        chain.block(chain.postResult(jobId, Bytes.utf8("plain answer")));
        assertThat(chain.job(jobId).status()).isEqualTo(JobStatus.SETTLED);
        assertThat(chain.balance(ALICE)).isEqualTo(aliceBefore - noneFee);
        assertThat(chain.events(EventType.CLIENT_REFUNDED, jobId)).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(teeFee - noneFee));
    }

    @Test
    void teeJobWithoutFallbackStaysQueuedThenExpiresWithAFullRefund() {
        chain = new TestChain();
        setUp(chain.registerNode(NODE_1, STAKE, List.of(MODEL), NONE, TEE));
        long maxFee = 10_000;
        long aliceBefore = chain.balance(ALICE);
        SignedTransaction submit = chain.submitJob(ALICE, MODEL, TEE, maxFee);
        chain.block(submit);
        Hash jobId = submit.hash();
        long submittedAt = chain.height;
        long maxQueue = chain.params().maxQueueBlocks();

        chain.advanceTo(submittedAt + maxQueue - 1);
        assertThat(chain.job(jobId).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(chain.balance(ALICE)).isEqualTo(aliceBefore - maxFee);

        chain.emptyBlocks(1);
        JobRecord job = chain.job(jobId);
        assertThat(job.status()).isEqualTo(JobStatus.EXPIRED);
        assertThat(job.settledAt()).isEqualTo(submittedAt + maxQueue);
        assertThat(chain.balance(ALICE)).isEqualTo(aliceBefore);
        assertThat(chain.ledger.state().queue.count()).isZero();
        assertThat(chain.events(EventType.JOB_EXPIRED, jobId)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("no eligible node"));
        assertThat(chain.events(EventType.CLIENT_REFUNDED, jobId)).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(maxFee));
        assertThat(chain.events(EventType.JOB_ASSIGNED)).isEmpty();
    }

    @Test
    void queuedTeeJobIsAssignedOnceANodeRegistersAnEnclave() {
        chain = new TestChain();
        setUp(chain.registerNode(NODE_1, STAKE, List.of(MODEL), NONE, TEE));
        SignedTransaction submit = chain.submitJob(ALICE, MODEL, TEE, 10_000);
        chain.block(submit);
        chain.emptyBlocks(3);
        assertThat(chain.job(submit.hash()).status()).isEqualTo(JobStatus.QUEUED);

        chain.block(chain.registerEnclave(NODE_1, ENCLAVE_1));
        assertThat(chain.job(submit.hash()).status()).isEqualTo(JobStatus.ASSIGNED);
        assertThat(chain.job(submit.hash()).mode()).isEqualTo(TEE);
        chain.block(chain.postResult(submit.hash(), Bytes.utf8("sealed answer")));
        assertThat(chain.job(submit.hash()).status()).isEqualTo(JobStatus.SETTLED);
    }

    // ------------------------------------------------------------------------------- deadlines, penalties, jail

    @Test
    void missedDeadlinesPenalizeRequeueToAnotherNodeThenExpireWithAFullRefund() {
        chain = new TestChain();
        setUp(chain.registerNode(NODE_1, STAKE, List.of(MODEL), NONE), chain.registerNode(NODE_2, STAKE, List.of(MODEL), NONE));
        Params p = chain.params();
        long maxFee = 4_000;
        long bobBefore = chain.balance(BOB);
        SignedTransaction submit = chain.submitJob(BOB, MODEL, NONE, List.of(), maxFee, 2);
        chain.block(submit);
        Hash jobId = submit.hash();

        List<PublicKey> assignees = new ArrayList<>();
        for (int attempt = 0; attempt <= p.maxReassignments(); attempt++) {
            JobRecord job = chain.job(jobId);
            assertThat(job.status()).isEqualTo(JobStatus.ASSIGNED);
            assertThat(job.reassignments()).isEqualTo(attempt);
            PublicKey late = job.assignedNode();
            if (attempt == 1) {
                assertThat(late).as("requeued to the node that has not missed it").isNotEqualTo(assignees.get(0));
            }
            assignees.add(late);
            long stakeBefore = chain.ledger.state().nodes.get(late).stake();
            long treasuryBefore = chain.treasury();

            chain.advanceTo(job.deadlineHeight() - 1);
            assertThat(chain.job(jobId).status()).as("not yet late").isEqualTo(JobStatus.ASSIGNED);
            chain.emptyBlocks(1);

            long penalty = stakeBefore * p.missedDeadlinePenaltyBps() / 10_000;
            // both nodes miss once first; the third attempt goes to one of them, already 1% down
            assertThat(stakeBefore).isEqualTo(attempt < 2 ? STAKE : STAKE - 20 * VRT);
            assertThat(penalty).isEqualTo(attempt < 2 ? 20 * VRT : 19_800_000);
            assertThat(chain.ledger.state().nodes.get(late).stake()).isEqualTo(stakeBefore - penalty);
            assertThat(chain.treasury()).isEqualTo(treasuryBefore + penalty);
            List<LedgerEvent> penalized = chain.events(EventType.NODE_PENALIZED, jobId);
            assertThat(penalized).hasSize(attempt + 1);
            LedgerEvent last = penalized.get(attempt);
            assertThat(last.node()).isEqualTo(late);
            assertThat(last.amount()).isEqualTo(penalty);
            assertThat(last.reason()).contains("missed").contains("deadline");
            assertThat(chain.events(EventType.DEADLINE_MISSED, jobId)).hasSize(attempt + 1);
        }
        JobRecord expired = chain.job(jobId);
        assertThat(expired.status()).isEqualTo(JobStatus.EXPIRED);
        assertThat(expired.missedBy()).containsExactlyElementsOf(assignees);
        assertThat(chain.events(EventType.JOB_REQUEUED, jobId)).hasSize(p.maxReassignments());
        assertThat(chain.events(EventType.JOB_EXPIRED, jobId)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("no result"));
        assertThat(chain.events(EventType.CLIENT_REFUNDED, jobId)).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(maxFee));
        assertThat(chain.balance(BOB)).as("full refund").isEqualTo(bobBefore);
        assertThat(chain.ledger.state().deadlines.count()).isZero();
        assertThat(chain.treasury()).isEqualTo(sum(chain.events(EventType.NODE_PENALIZED)));
    }

    @Test
    void aResultAtTheDeadlineHeightStillCounts() {
        chain = new TestChain();
        setUp(chain.registerNode(NODE_1, STAKE, List.of(MODEL), NONE));
        SignedTransaction submit = chain.submitJob(ALICE, MODEL, NONE, List.of(), 2_000, 2);
        chain.block(submit);
        long deadline = chain.job(submit.hash()).deadlineHeight();
        chain.advanceTo(deadline - 1);
        chain.block(chain.postResult(submit.hash(), Bytes.utf8("just in time")));
        assertThat(chain.height).isEqualTo(deadline);
        assertThat(chain.job(submit.hash()).status()).isEqualTo(JobStatus.SETTLED);
        assertThat(chain.events(EventType.NODE_PENALIZED)).isEmpty();
        assertThat(chain.node(NODE_1).stake()).isEqualTo(STAKE);
    }

    @Test
    void aNodeIsJailedAfterRepeatedMissesAndCanOnlyUnjailAfterTheJailPeriod() {
        chain = new TestChain();
        setUp(chain.registerNode(NODE_1, STAKE, List.of(MODEL), NONE));
        Params p = chain.params();
        assertThat(p.jailAfterMisses()).isEqualTo(p.maxReassignments() + 1);
        SignedTransaction submit = chain.submitJob(ALICE, MODEL, NONE, List.of(), 2_000, 2);
        chain.block(submit);
        Hash jobId = submit.hash();

        // the only node serving the model misses the job on every attempt
        long expectedStake = STAKE;
        for (int miss = 1; miss <= p.jailAfterMisses(); miss++) {
            assertThat(chain.job(jobId).assignedNode()).isEqualTo(NODE_1.publicKey());
            assertThat(chain.node(NODE_1).status()).isEqualTo(NodeStatus.ACTIVE);
            chain.advanceTo(chain.job(jobId).deadlineHeight());
            expectedStake -= expectedStake * p.missedDeadlinePenaltyBps() / 10_000;
            assertThat(chain.node(NODE_1).stake()).isEqualTo(expectedStake);
        }
        long jailedAt = chain.height;
        NodeRecord jailed = chain.node(NODE_1);
        assertThat(jailed.status()).isEqualTo(NodeStatus.JAILED);
        assertThat(jailed.jailedUntil()).isEqualTo(jailedAt + p.jailBlocks());
        assertThat(jailed.penalized()).isEqualTo(STAKE - expectedStake);
        assertThat(chain.events(EventType.NODE_JAILED)).singleElement().satisfies(e -> {
            assertThat(e.node()).isEqualTo(NODE_1.publicKey());
            assertThat(e.reason()).contains("jailed until height " + jailed.jailedUntil());
        });
        assertThat(chain.job(jobId).status()).isEqualTo(JobStatus.EXPIRED);

        // a jailed node is never assigned: a new job waits in the queue
        SignedTransaction next = chain.submitJob(BOB, MODEL, NONE, List.of(), 2_000, 2);
        chain.block(next);
        assertThat(chain.job(next.hash()).status()).isEqualTo(JobStatus.QUEUED);

        chain.advanceTo(jailed.jailedUntil() - 2);
        BlockExecution.Produced early = chain.produce(List.of(chain.sign(NODE_1, new Payload.Unjail())));
        assertThat(chain.height).isEqualTo(jailed.jailedUntil() - 1);
        assertThat(early.refused()).singleElement().satisfies(r -> {
            assertThat(r.reason().code()).isEqualTo(RejectCode.NODE_JAILED);
            assertThat(r.reason().getMessage()).contains("jailed until height " + jailed.jailedUntil());
        });
        assertThat(chain.node(NODE_1).status()).isEqualTo(NodeStatus.JAILED);
        assertThat(chain.job(next.hash()).status()).isEqualTo(JobStatus.QUEUED);

        chain.block(chain.sign(NODE_1, new Payload.Unjail()));
        assertThat(chain.height).isEqualTo(jailed.jailedUntil());
        assertThat(chain.node(NODE_1).status()).isEqualTo(NodeStatus.ACTIVE);
        assertThat(chain.node(NODE_1).missedDeadlines()).isZero();
        assertThat(chain.events(EventType.NODE_UNJAILED)).hasSize(1);
        assertThat(chain.job(next.hash()).assignedNode()).as("assigned again once unjailed").isEqualTo(NODE_1.publicKey());

        BlockExecution.Produced again = chain.produce(List.of(chain.sign(NODE_1, new Payload.Unjail())));
        assertThat(again.refused()).singleElement()
                .satisfies(r -> assertThat(r.reason().code()).isEqualTo(RejectCode.NOT_JAILED));
    }

    @Test
    void aNodeBelowTheMinimumStakeIsNeverAssignedUntilItBondsMore() {
        // half the stake per miss, and no jail, so the node stays ACTIVE but under-staked
        chain = new TestChain(TestChain.params(Map.of("missedDeadlinePenaltyBps", 5_000L, "jailAfterMisses", 100)));
        long min = chain.params().minStake();
        setUp(chain.registerNode(NODE_1, min, List.of(MODEL), NONE));
        SignedTransaction submit = chain.submitJob(ALICE, MODEL, NONE, List.of(), 2_000, 2);
        chain.block(submit);
        chain.advanceTo(chain.job(submit.hash()).deadlineHeight());

        assertThat(chain.node(NODE_1).status()).isEqualTo(NodeStatus.ACTIVE);
        assertThat(chain.node(NODE_1).stake()).isEqualTo(min / 2);
        assertThat(chain.job(submit.hash()).status()).as("requeued, but nobody eligible").isEqualTo(JobStatus.QUEUED);
        chain.emptyBlocks(5);
        assertThat(chain.job(submit.hash()).status()).isEqualTo(JobStatus.QUEUED);

        chain.block(chain.sign(NODE_1, new Payload.Bond(min / 2)));
        assertThat(chain.node(NODE_1).stake()).isEqualTo(min);
        assertThat(chain.job(submit.hash()).status()).isEqualTo(JobStatus.ASSIGNED);
        assertThat(chain.job(submit.hash()).assignedNode()).isEqualTo(NODE_1.publicKey());
    }

    // ------------------------------------------------------------------------------- unbonding

    @Test
    void unbondLocksFundsUntilTheUnbondingPeriodHasPassed() {
        chain = new TestChain();
        setUp(chain.registerNode(NODE_1, STAKE, List.of(MODEL), NONE));
        Params p = chain.params();
        long balanceBefore = chain.balance(NODE_1);
        long amount = 500 * VRT;

        chain.block(chain.sign(NODE_1, new Payload.Unbond(amount)));
        long unbondedAt = chain.height;
        long release = unbondedAt + p.unbondingBlocks();
        assertThat(chain.node(NODE_1).stake()).isEqualTo(STAKE - amount);
        assertThat(chain.node(NODE_1).unbonding()).containsExactly(new Unbonding(amount, release));
        assertThat(chain.balance(NODE_1)).isEqualTo(balanceBefore);
        assertThat(chain.events(EventType.STAKE_UNBONDING)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains(Long.toString(release)));

        // partial unbond that would leave less than the minimum stake
        BlockExecution.Produced below = chain.produce(List.of(chain.sign(NODE_1, new Payload.Unbond(STAKE - amount - p.minStake() + 1))));
        assertThat(below.refused()).singleElement().satisfies(r -> {
            assertThat(r.reason().code()).isEqualTo(RejectCode.STAKE_TOO_LOW);
            assertThat(r.reason().getMessage()).contains("below the minimum stake");
        });

        BlockExecution.Produced early = chain.produce(List.of(chain.sign(NODE_1, new Payload.Withdraw())));
        assertThat(early.refused()).singleElement().satisfies(r -> {
            assertThat(r.reason().code()).isEqualTo(RejectCode.NOTHING_TO_WITHDRAW);
            assertThat(r.reason().getMessage()).contains("matures at height " + release);
        });
        chain.advanceTo(release - 2);
        BlockExecution.Produced stillEarly = chain.produce(List.of(chain.sign(NODE_1, new Payload.Withdraw())));
        assertThat(chain.height).isEqualTo(release - 1);
        assertThat(stillEarly.refused()).singleElement()
                .satisfies(r -> assertThat(r.reason().code()).isEqualTo(RejectCode.NOTHING_TO_WITHDRAW));
        assertThat(chain.balance(NODE_1)).isEqualTo(balanceBefore);

        chain.block(chain.sign(NODE_1, new Payload.Withdraw()));
        assertThat(chain.height).isEqualTo(release);
        assertThat(chain.balance(NODE_1)).isEqualTo(balanceBefore + amount);
        assertThat(chain.node(NODE_1).unbonding()).isEmpty();
        assertThat(chain.events(EventType.STAKE_WITHDRAWN)).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(amount));

        BlockExecution.Produced nothing = chain.produce(List.of(chain.sign(NODE_1, new Payload.Withdraw())));
        assertThat(nothing.refused()).singleElement().satisfies(r -> {
            assertThat(r.reason().code()).isEqualTo(RejectCode.NOTHING_TO_WITHDRAW);
            assertThat(r.reason().getMessage()).contains("nothing is unbonding");
        });
    }

    @Test
    void aFullyUnbondedNodeIsNeverAssigned() {
        chain = new TestChain();
        setUp(chain.registerNode(NODE_1, STAKE, List.of(MODEL), NONE));
        chain.block(chain.sign(NODE_1, new Payload.Unbond(STAKE)));
        assertThat(chain.node(NODE_1).stake()).isZero();
        SignedTransaction submit = chain.submitJob(ALICE, MODEL, NONE, 2_000);
        chain.block(submit);
        chain.emptyBlocks(3);
        assertThat(chain.job(submit.hash()).status()).isEqualTo(JobStatus.QUEUED);
    }
}
