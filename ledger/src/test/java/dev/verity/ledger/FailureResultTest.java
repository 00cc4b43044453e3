package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;
import static dev.verity.ledger.TestChain.BOB;
import static dev.verity.ledger.TestChain.CAROL;
import static dev.verity.ledger.TestChain.ENCLAVE_1;
import static dev.verity.ledger.TestChain.ENCLAVE_2;
import static dev.verity.ledger.TestChain.ENCLAVE_3;
import static dev.verity.ledger.TestChain.NODE_1;
import static dev.verity.ledger.TestChain.NODE_2;
import static dev.verity.ledger.TestChain.NODE_3;
import static dev.verity.ledger.TestChain.NODE_4;
import static dev.verity.ledger.TestChain.VALIDATOR;
import static dev.verity.ledger.TestChain.VRT;
import static dev.verity.ledger.TestChain.modelHash;
import static dev.verity.protocol.VerificationMode.NONE;
import static dev.verity.protocol.VerificationMode.OPTIMISTIC;
import static dev.verity.protocol.VerificationMode.SAMPLED;
import static dev.verity.protocol.VerificationMode.TEE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.verity.core.Amounts;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.inference.program.TensorSpec;
import dev.verity.inference.trace.IoLeaf;
import dev.verity.inference.trace.OneStepProver;
import dev.verity.inference.trace.StepWitness;
import dev.verity.inference.trace.TraceValues;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.evidence.TeeFailureStatement;
import dev.verity.ledger.rules.StakingRules;
import dev.verity.ledger.state.Account;
import dev.verity.ledger.state.ClaimPhase;
import dev.verity.ledger.state.JobFailure;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.NodeRecord;
import dev.verity.ledger.state.NodeStatus;
import dev.verity.ledger.state.ResultClaim;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.FailureReason;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Failure results ({@code SubmitFailure}): a node that cannot run its job says so, and who pays follows whose
 * fault it was. An input refusal proven by the evidence of the job's mode pays the node exactly its fee share
 * from the client's escrow, refunds the rest, and never touches the node's stake; a refusal whose evidence does
 * not hold is refused and changes nothing; a node's own fault costs exactly what a missed deadline costs. Last,
 * an adversarial stream of poisoned inputs never costs an honest node any stake.
 */
class FailureResultTest {
    static final Hash TEXT = modelHash("failure-text");
    /** 2,000 base units in NONE (2,400 in TEE) at the default base price of 7,000 per 10^15. */
    static final long COMPUTE_UNITS = 285_714_285_714_285L;
    static final long STAKE = 2_000 * VRT;
    static final long MAX_FEE = 10_000;
    /** {@link TinyProgram}'s model with the program's own input shape: the engine accepts every schema-valid input. */
    static final Hash TINY = modelHash("tiny-mlp");
    /** The same program under a schema of 32 values: every schema-valid input is one the engine refuses. */
    static final Hash WIDE = modelHash("tiny-mlp-wide");
    static final String REFUSAL = "the tokenizer refused the input: unknown control sequence";
    static final Set<EventType> STAKE_LOSSES = EnumSet.of(EventType.NODE_PENALIZED, EventType.NODE_SLASHED, EventType.NODE_JAILED,
            EventType.DEADLINE_MISSED);

    TestChain chain;

    // ------------------------------------------------------------------------------- worlds

    /** A text model; NODE_1 and NODE_3 serve it in NONE, NODE_2 in TEE with ENCLAVE_2. NODE_3 holds ENCLAVE_3 but serves no TEE. */
    void textWorld(Map<String, ?> overrides) {
        Map<String, Object> params = new HashMap<>(overrides);
        params.putIfAbsent("basePriceChangeBps", 0L);
        chain = new TestChain(TestChain.params(params));
        chain.block(chain.registerModel(ALICE, TEXT, "failure-text", COMPUTE_UNITS));
        chain.block(chain.registerNode(NODE_1, STAKE, List.of(TEXT), NONE),
                chain.registerNode(NODE_2, STAKE, List.of(TEXT), TEE), chain.registerEnclave(NODE_2, ENCLAVE_2),
                chain.registerNode(NODE_3, STAKE, List.of(TEXT), NONE), chain.registerEnclave(NODE_3, ENCLAVE_3));
    }

    void textWorld() {
        textWorld(Map.of());
    }

    /** TINY and WIDE with {@link TinyProgram} registered for both, and TEXT; the nodes serve all three, in every mode but TEE. */
    void provableWorld(int capacity, PrivateKey... nodes) {
        chain = new TestChain();
        int lo = Float.floatToIntBits(-1e6f);
        int hi = Float.floatToIntBits(1e6f);
        chain.block(
                chain.sign(ALICE, new Payload.RegisterModel(TINY, "tiny-mlp", "16 float32", "4 float32", 2_000_000,
                        new InputSchema.Float32Tensor(List.of(TinyProgram.INPUTS), lo, hi))),
                chain.sign(ALICE, new Payload.RegisterModel(WIDE, "tiny-mlp-wide", "32 float32", "4 float32", 2_000_000,
                        new InputSchema.Float32Tensor(List.of(2 * TinyProgram.INPUTS), lo, hi))),
                chain.registerModel(ALICE, TEXT, "failure-text", COMPUTE_UNITS));
        chain.block(
                chain.sign(ALICE, new Payload.RegisterProgram(TINY, TinyProgram.COMMITMENT.root(), TinyProgram.COMMITMENT.leafCount(),
                        TinyProgram.COMMITMENT.stepCount())),
                chain.sign(ALICE, new Payload.RegisterProgram(WIDE, TinyProgram.COMMITMENT.root(), TinyProgram.COMMITMENT.leafCount(),
                        TinyProgram.COMMITMENT.stepCount())));
        SignedTransaction[] regs = new SignedTransaction[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            regs[i] = chain.registerNode(nodes[i], STAKE, capacity, List.of(TINY, WIDE, TEXT), NONE, OPTIMISTIC, SAMPLED);
        }
        chain.block(regs);
    }

    static String text(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] floats(Random rnd, int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(rnd.nextInt(256) / 128f - 1f);
        }
        return b.array();
    }

    // ------------------------------------------------------------------------------- helpers

    Hash submit(PrivateKey client, Hash model, byte[] input, VerificationMode mode) {
        SignedTransaction tx = chain.submitJob(client, model, input, mode, List.of(), MAX_FEE, 5);
        chain.block(tx);
        assertThat(chain.job(tx.hash()).status()).isEqualTo(JobStatus.ASSIGNED);
        return tx.hash();
    }

    Hash submit(PrivateKey client, VerificationMode mode) {
        return submit(client, TEXT, chain.nextInput(), mode);
    }

    PrivateKey assigned(Hash job) {
        return TestChain.privateKeyOf(chain.assignedNode(job));
    }

    SignedTransaction failure(PrivateKey node, Hash job, FailureReason reason, String message, byte[] evidence) {
        return chain.sign(node, new Payload.SubmitFailure(job, reason, message, evidence));
    }

    SignedTransaction refusal(Hash job, byte[] evidence) {
        return failure(assigned(job), job, FailureReason.INPUT_REJECTED, REFUSAL, evidence);
    }

    static byte[] teeFailureEvidence(PrivateKey enclave, JobRecord job, FailureReason reason, String message) {
        return enclave.sign(new TeeFailureStatement(job.id(), job.model(), job.inputHash(), reason, message).signingBytes()).bytes();
    }

    static byte[] inputWitness() {
        return new StepWitness.InputWitness(TinyProgram.COMMITMENT.ioLeaf(), TinyProgram.COMMITMENT.ioPath()).encode();
    }

    record Snapshot(Hash root, Map<PublicKey, Account> accounts, long treasury, long supply) {}

    Snapshot snapshot() {
        return new Snapshot(chain.ledger.state().root(), chain.accounts(), chain.treasury(), TestChain.totalSupply(chain.ledger.state()));
    }

    /** {@code tx} is refused with {@code code} and a message holding every part, and nothing changes. */
    TransactionRejectedException refused(SignedTransaction tx, RejectCode code, String... parts) {
        chain.ledger.state().drainEvents();
        Snapshot before = snapshot();
        TransactionRejectedException e = catchThrowableOfType(TransactionRejectedException.class,
                () -> chain.ledger.apply(tx, chain.nextContext()));
        assertThat(e).as("%s should be refused with %s", tx.payload(), code).isNotNull();
        assertThat(e.code()).as("code of: %s", e.getMessage()).isEqualTo(code);
        assertThat(e.getMessage()).contains(parts);
        assertThat(snapshot()).as("state after the refused %s", tx.payload()).isEqualTo(before);
        assertThat(chain.ledger.state().drainEvents()).isEmpty();
        chain.forgetPendingNonces();
        return e;
    }

    /** Balances of a job's parties, taken before it was submitted. */
    record Money(long client, long node, long validator, long treasury) {}

    Money money(PrivateKey client, PrivateKey node) {
        return new Money(chain.balance(client), chain.balance(node), chain.balance(VALIDATOR), chain.treasury());
    }

    /**
     * The job failed on an input refusal in the last block: the node got exactly its share of the fee, the validator
     * and treasury theirs, the client paid exactly the fee (the rest of its escrow came back); the node's stake, status
     * and record of misses are as they were.
     */
    void assertPaidRefusal(Hash jobId, PrivateKey client, PrivateKey node, String message, Money before, NodeRecord nodeBefore) {
        JobRecord job = chain.job(jobId);
        Params p = chain.params();
        long fee = job.fee();
        long toValidator = Amounts.basisPoints(fee, p.validatorShareBps());
        long toTreasury = Amounts.basisPoints(fee, p.treasuryShareBps());
        long toNode = fee - toValidator - toTreasury;
        assertThat(fee).isPositive();
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.settledAt()).isEqualTo(chain.height);
        assertThat(job.assignedNode()).isEqualTo(node.publicKey());
        assertThat(chain.balance(client)).as("the client pays exactly the fee").isEqualTo(before.client() - fee);
        assertThat(chain.balance(node) - before.node()).as("the node's share").isEqualTo(toNode);
        assertThat(chain.balance(VALIDATOR) - before.validator()).isEqualTo(toValidator);
        assertThat(chain.treasury() - before.treasury()).isEqualTo(toTreasury);

        assertThat(chain.events(EventType.JOB_FAILED, jobId)).singleElement().satisfies(e -> {
            assertThat(e.amount()).isEqualTo(fee);
            assertThat(e.node()).isEqualTo(node.publicKey());
            assertThat(e.account()).isEqualTo(client.publicKey());
            assertThat(e.mode()).isEqualTo(job.mode());
            assertThat(e.reason()).startsWith("INPUT_REJECTED: " + message + " (").endsWith("the node is paid its fee from the escrow");
        });
        assertThat(chain.events(EventType.NODE_PAID, jobId)).singleElement().satisfies(e -> {
            assertThat(e.amount()).isEqualTo(toNode);
            assertThat(e.account()).isEqualTo(node.publicKey());
        });
        assertThat(chain.events(EventType.CLIENT_REFUNDED, jobId)).singleElement()
                .satisfies(e -> assertThat(e.amount()).isEqualTo(job.maxFee() - fee));
        assertThat(chain.events(EventType.JOB_SETTLED, jobId)).isEmpty();
        for (EventType t : STAKE_LOSSES) {
            assertThat(chain.events(t)).as("%s events", t).isEmpty();
        }
        assertThat(chain.failure(jobId))
                .isEqualTo(new JobFailure(FailureReason.INPUT_REJECTED, message, node.publicKey(), chain.height));

        NodeRecord after = chain.node(node);
        assertThat(after.stake()).as("stake").isEqualTo(nodeBefore.stake());
        assertThat(after.status()).isEqualTo(NodeStatus.ACTIVE);
        assertThat(after.penalized()).isEqualTo(nodeBefore.penalized());
        assertThat(after.missedDeadlines()).isEqualTo(nodeBefore.missedDeadlines());
        assertThat(after.earned()).isEqualTo(nodeBefore.earned() + toNode);
        assertThat(after.inFlight()).isEqualTo(nodeBefore.inFlight() - 1);
        assertThat(chain.ledger.state().deadlines.keys()).noneMatch(k -> k.job().equals(jobId));
        assertThat(chain.supplyHistory).containsOnly(chain.supplyHistory.get(0));
    }

    // ------------------------------------------------------------------------------- NONE and TEE

    @Test
    void aNoneInputRefusalPaysTheNodeItsFeeShareAndRefundsTheRest() {
        textWorld();
        Money before = money(ALICE, NODE_1);
        Money before3 = money(ALICE, NODE_3);
        Hash job = submit(ALICE, NONE);
        PrivateKey node = assigned(job);
        NodeRecord nodeBefore = chain.node(node);
        assertThat(nodeBefore.inFlight()).isEqualTo(1);
        chain.block(refusal(job, new byte[0]));
        assertPaidRefusal(job, ALICE, node, REFUSAL, node.equals(NODE_1) ? before : before3, nodeBefore);
        assertThat(chain.job(job).fee()).isEqualTo(2_000);
        assertThat(chain.events(EventType.JOB_FAILED, job).getFirst().reason()).contains("(reported by the node)");
    }

    @Test
    void aTeeInputRefusalSignedByTheNodesEnclaveIsPaid() {
        textWorld();
        Money before = money(BOB, NODE_2);
        Hash job = submit(BOB, TEE);
        assertThat(chain.assignedNode(job)).isEqualTo(NODE_2.publicKey());
        NodeRecord nodeBefore = chain.node(NODE_2);
        byte[] evidence = teeFailureEvidence(ENCLAVE_2, chain.job(job), FailureReason.INPUT_REJECTED, REFUSAL);
        chain.block(refusal(job, evidence));
        assertPaidRefusal(job, BOB, NODE_2, REFUSAL, before, nodeBefore);
        assertThat(chain.job(job).fee()).isEqualTo(2_400);
        assertThat(chain.events(EventType.JOB_FAILED, job).getFirst().reason()).contains("(signed by the node's enclave)");
    }

    @Test
    void aTeeRefusalWithoutTheEnclavesSignatureOverThisVeryFailureIsRefused() {
        textWorld();
        Hash jobId = submit(BOB, TEE);
        Hash otherJob = submit(BOB, TEE);
        JobRecord job = chain.job(jobId);
        String cover = "the enclave signature does not cover this job's input refusal and message";
        // signed by an enclave key nobody registered, and by another node's registered enclave
        refused(refusal(jobId, teeFailureEvidence(ENCLAVE_1, job, FailureReason.INPUT_REJECTED, REFUSAL)),
                RejectCode.INVALID_EVIDENCE, cover);
        refused(refusal(jobId, teeFailureEvidence(ENCLAVE_3, job, FailureReason.INPUT_REJECTED, REFUSAL)),
                RejectCode.INVALID_EVIDENCE, cover);
        // signed by the right enclave over another message, another reason, another job, or a result
        refused(refusal(jobId, teeFailureEvidence(ENCLAVE_2, job, FailureReason.INPUT_REJECTED, REFUSAL + ".")),
                RejectCode.INVALID_EVIDENCE, cover);
        refused(refusal(jobId, teeFailureEvidence(ENCLAVE_2, job, FailureReason.NODE_FAULT, REFUSAL)),
                RejectCode.INVALID_EVIDENCE, cover);
        refused(refusal(jobId, teeFailureEvidence(ENCLAVE_2, chain.job(otherJob), FailureReason.INPUT_REJECTED, REFUSAL)),
                RejectCode.INVALID_EVIDENCE, cover);
        refused(refusal(jobId, TestChain.teeEvidence(ENCLAVE_2, job, Bytes.utf8(REFUSAL)).bytes()), RejectCode.INVALID_EVIDENCE,
                cover);
        byte[] good = teeFailureEvidence(ENCLAVE_2, job, FailureReason.INPUT_REJECTED, REFUSAL);
        refused(refusal(jobId, TestChain.flipBit(good, 40, 3)), RejectCode.INVALID_EVIDENCE, cover);
        refused(refusal(jobId, new byte[0]), RejectCode.INVALID_EVIDENCE, "TEE evidence is a 64-byte enclave signature, got 0 bytes");
        refused(refusal(jobId, Bytes.concat(good, new byte[1])), RejectCode.INVALID_EVIDENCE, "got 65 bytes");
        // and the genuine one applies, once
        Money before = money(BOB, NODE_2);
        NodeRecord nodeBefore = chain.node(NODE_2);
        chain.block(refusal(jobId, good));
        assertThat(chain.job(jobId).status()).isEqualTo(JobStatus.FAILED);
        assertThat(chain.balance(NODE_2) - before.node()).isPositive();
        assertThat(chain.node(NODE_2).stake()).isEqualTo(nodeBefore.stake());
        refused(refusal(otherJob, good), RejectCode.INVALID_EVIDENCE, cover);
    }

    @Test
    void aRevokedEnclaveCannotSignARefusal() {
        textWorld();
        Hash jobId = submit(BOB, TEE);
        byte[] evidence = teeFailureEvidence(ENCLAVE_2, chain.job(jobId), FailureReason.INPUT_REJECTED, REFUSAL);
        // the node's enclave is replaced by a new registration: the old key no longer speaks for it
        chain.block(chain.registerEnclave(NODE_2, ENCLAVE_1));
        refused(refusal(jobId, evidence), RejectCode.INVALID_EVIDENCE, "does not cover");
        chain.block(refusal(jobId, teeFailureEvidence(ENCLAVE_1, chain.job(jobId), FailureReason.INPUT_REJECTED, REFUSAL)));
        assertThat(chain.job(jobId).status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void aNoneJobsFailureCarriesNoEvidenceAndANodeFaultNeverDoes() {
        textWorld();
        Hash none = submit(ALICE, NONE);
        refused(refusal(none, new byte[] {0}), RejectCode.INVALID_EVIDENCE, "a NONE job's failure carries no evidence");
        refused(refusal(none, new byte[64]), RejectCode.INVALID_EVIDENCE, "a NONE job's failure carries no evidence");
        refused(failure(assigned(none), none, FailureReason.NODE_FAULT, "out of memory", new byte[] {1}), RejectCode.INVALID_EVIDENCE,
                "a node's own failure carries no evidence");
        Hash tee = submit(ALICE, TEE);
        byte[] signed = teeFailureEvidence(ENCLAVE_2, chain.job(tee), FailureReason.NODE_FAULT, "out of memory");
        refused(failure(NODE_2, tee, FailureReason.NODE_FAULT, "out of memory", signed), RejectCode.INVALID_EVIDENCE,
                "a node's own failure carries no evidence");
    }

    @Test
    void onlyTheAssignedNodeMayReportAFailureOfAnOpenJobAndOnlyOnce() {
        textWorld();
        Hash job = submit(ALICE, NONE);
        PrivateKey node = assigned(job);
        PrivateKey other = node.equals(NODE_1) ? NODE_3 : NODE_1;
        for (PrivateKey k : List.of(other, NODE_2, ALICE)) {
            refused(failure(k, job, FailureReason.INPUT_REJECTED, REFUSAL, new byte[0]), RejectCode.NOT_ASSIGNED,
                    "is assigned to node " + node.publicKey().hex() + ", not to " + k.publicKey().hex());
            refused(failure(k, job, FailureReason.NODE_FAULT, "crashed", new byte[0]), RejectCode.NOT_ASSIGNED, "not to");
        }
        Hash unknown = Sha256.digest(Bytes.utf8("no such job"));
        refused(failure(node, unknown, FailureReason.INPUT_REJECTED, REFUSAL, new byte[0]), RejectCode.UNKNOWN_JOB,
                "job " + unknown.hex() + " is not live");
        refused(failure(node, job, FailureReason.INPUT_REJECTED, "", new byte[0]), RejectCode.MALFORMED,
                "a failure report says what happened; the message is empty");
        refused(failure(node, job, FailureReason.NODE_FAULT, " \t\n", new byte[0]), RejectCode.MALFORMED, "the message is empty");

        chain.block(failure(node, job, FailureReason.INPUT_REJECTED, REFUSAL, new byte[0]));
        NodeRecord paid = chain.node(node);
        // a second report of the same job, of either kind, is refused: the job is closed
        refused(failure(node, job, FailureReason.INPUT_REJECTED, REFUSAL, new byte[0]), RejectCode.UNKNOWN_JOB,
                "job " + job.hex() + " is not live");
        refused(failure(node, job, FailureReason.NODE_FAULT, "crashed after all", new byte[0]), RejectCode.UNKNOWN_JOB, "finished and left the live state");
        refused(chain.resultFrom(node, job, Bytes.utf8("an answer after all"), new byte[0]), RejectCode.UNKNOWN_JOB, "finished and left the live state");
        // a replay of the very same transaction is a replayed nonce
        SignedTransaction again = chain.blocks.getLast().block().transactions().getFirst();
        refused(again, RejectCode.BAD_NONCE, "already used");
        assertThat(chain.events(EventType.NODE_PAID, job)).hasSize(1);
        assertThat(chain.node(node)).isEqualTo(paid);

        // a settled job takes no failure either
        Hash settled = submit(BOB, NONE);
        chain.block(chain.postResult(settled, Bytes.utf8("done")));
        refused(failure(TestChain.privateKeyOf(chain.job(settled).assignedNode()), settled, FailureReason.INPUT_REJECTED, REFUSAL,
                new byte[0]), RejectCode.UNKNOWN_JOB, "finished and left the live state");
    }

    @Test
    void aFailureIsTakenUpToTheDeadlineAndNotAfter() {
        textWorld(Map.of("maxReassignments", 0));
        // at the deadline height itself: accepted
        Hash onTime = submit(ALICE, NONE);
        JobRecord j = chain.job(onTime);
        chain.advanceTo(j.deadlineHeight() - 1);
        NodeRecord nodeBefore = chain.node(assigned(onTime));
        Money before = new Money(chain.balance(ALICE) + j.maxFee(), chain.balance(assigned(onTime)), chain.balance(VALIDATOR),
                chain.treasury());
        PrivateKey node = assigned(onTime);
        chain.block(refusal(onTime, new byte[0]));
        assertThat(chain.height).isEqualTo(j.deadlineHeight());
        assertPaidRefusal(onTime, ALICE, node, REFUSAL, before, nodeBefore);

        // after it: the job has expired (no reassignment left), and a late report is refused
        Hash late = submit(BOB, NONE);
        PrivateKey lateNode = assigned(late);
        chain.advanceTo(chain.job(late).deadlineHeight());
        assertThat(chain.job(late).status()).isEqualTo(JobStatus.EXPIRED);
        refused(failure(lateNode, late, FailureReason.INPUT_REJECTED, REFUSAL, new byte[0]), RejectCode.UNKNOWN_JOB, "finished and left the live state");
        refused(failure(lateNode, late, FailureReason.NODE_FAULT, "crashed", new byte[0]), RejectCode.UNKNOWN_JOB, "finished and left the live state");
    }

    @Test
    void afterTheDeadlineTheRequeuedJobBelongsToAnotherNode() {
        textWorld();
        Hash job = submit(ALICE, NONE);
        PrivateKey first = assigned(job);
        chain.advanceTo(chain.job(job).deadlineHeight());
        PrivateKey second = assigned(job);
        assertThat(second).isNotEqualTo(first);
        refused(failure(first, job, FailureReason.INPUT_REJECTED, REFUSAL, new byte[0]), RejectCode.NOT_ASSIGNED,
                "not to " + first.publicKey().hex());
        chain.block(refusal(job, new byte[0]));
        assertThat(chain.job(job).status()).isEqualTo(JobStatus.FAILED);
        assertThat(chain.failure(job).node()).isEqualTo(second.publicKey());
    }

    // ------------------------------------------------------------------------------- NODE_FAULT

    @Test
    void aNodeFaultCostsExactlyWhatAMissedDeadlineCostsAndRequeuesTheJobToAnotherNode() {
        textWorld();
        Hash job = submit(ALICE, NONE);
        PrivateKey node = assigned(job);
        PrivateKey other = node.equals(NODE_1) ? NODE_3 : NODE_1;
        long aliceBefore = chain.balance(ALICE);
        long nodeBalance = chain.balance(node);
        long treasuryBefore = chain.treasury();
        NodeRecord before = chain.node(node);

        // the twin: the same chain where the node lets the deadline pass instead
        TestChain twin = new TestChain(chain.genesis);
        for (BlockExecution.Produced p : chain.blocks) {
            twin.block(p.block().transactions().toArray(new SignedTransaction[0]));
        }
        assertThat(twin.ledger.state().root()).isEqualTo(chain.ledger.state().root());
        twin.advanceTo(twin.job(job).deadlineHeight());

        chain.block(failure(node, job, FailureReason.NODE_FAULT, "CUDA out of memory", new byte[0]));
        long penalty = Amounts.basisPoints(before.stake(), chain.params().missedDeadlinePenaltyBps());
        assertThat(penalty).isEqualTo(20 * VRT);
        NodeRecord after = chain.node(node);
        assertThat(after.stake()).isEqualTo(before.stake() - penalty);
        assertThat(after.penalized()).isEqualTo(penalty);
        assertThat(after.missedDeadlines()).isEqualTo(1);
        assertThat(after.inFlight()).isZero();
        assertThat(chain.treasury() - treasuryBefore).isEqualTo(penalty);
        assertThat(chain.balance(node)).as("not paid").isEqualTo(nodeBalance);
        assertThat(chain.balance(ALICE)).as("the escrow stays").isEqualTo(aliceBefore);
        assertThat(chain.events(EventType.JOB_FAILED, job)).singleElement().satisfies(e -> {
            assertThat(e.amount()).isZero();
            assertThat(e.node()).isEqualTo(node.publicKey());
            assertThat(e.reason()).startsWith("NODE_FAULT: node " + node.publicKey().hex()).contains("CUDA out of memory",
                    "counted as a missed job");
        });
        assertThat(chain.events(EventType.NODE_PENALIZED, job)).singleElement().satisfies(e -> assertThat(e.amount()).isEqualTo(penalty));
        assertThat(chain.events(EventType.JOB_REQUEUED, job)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("reassignment 1 of 2"));
        assertThat(chain.failure(job)).as("only paid refusals are recorded").isNull();
        JobRecord requeued = chain.job(job);
        assertThat(requeued.status()).isEqualTo(JobStatus.ASSIGNED);
        assertThat(requeued.assignedNode()).isEqualTo(other.publicKey());
        assertThat(requeued.missedBy()).containsExactly(node.publicKey());
        assertThat(requeued.reassignments()).isEqualTo(1);

        // exactly what the missed deadline cost on the twin
        NodeRecord missed = twin.node(node);
        assertThat(after.stake()).isEqualTo(missed.stake());
        assertThat(after.penalized()).isEqualTo(missed.penalized());
        assertThat(after.missedDeadlines()).isEqualTo(missed.missedDeadlines());
        assertThat(chain.treasury()).isEqualTo(twin.treasury());
        assertThat(twin.job(job).missedBy()).isEqualTo(requeued.missedBy());
        assertThat(twin.job(job).reassignments()).isEqualTo(requeued.reassignments());
        assertThat(twin.events(EventType.NODE_PENALIZED, job)).singleElement().satisfies(e -> assertThat(e.amount()).isEqualTo(penalty));

        // the other node answers and is paid as usual
        chain.block(chain.postResult(job, Bytes.utf8("answer")));
        assertThat(chain.job(job).status()).isEqualTo(JobStatus.SETTLED);
        assertThat(chain.events(EventType.NODE_PAID, job)).singleElement().satisfies(e -> assertThat(e.node()).isEqualTo(other.publicKey()));
        assertThat(chain.supplyHistory).containsOnly(chain.supplyHistory.get(0));
    }

    @Test
    void nodeFaultsJailLikeMissedDeadlinesAndTheLastOneExpiresTheJobWithAFullRefund() {
        textWorld(Map.of("maxReassignments", 0));
        long aliceBefore = chain.balance(ALICE);
        PrivateKey node = null;
        for (int i = 0; i < chain.params().jailAfterMisses(); i++) {
            Hash job = submit(ALICE, NONE);
            PrivateKey n = assigned(job);
            if (node == null) {
                node = n;
            }
            if (!n.equals(node)) { // the other NONE node answers; only the first node's faults are counted here
                chain.block(chain.postResult(job, Bytes.utf8("ok")));
                i--;
                continue;
            }
            chain.block(failure(node, job, FailureReason.NODE_FAULT, "crashed", new byte[0]));
            assertThat(chain.job(job).status()).isEqualTo(JobStatus.EXPIRED);
            assertThat(chain.events(EventType.CLIENT_REFUNDED, job)).singleElement()
                    .satisfies(e -> assertThat(e.amount()).isEqualTo(MAX_FEE));
            assertThat(chain.events(EventType.NODE_PAID, job)).isEmpty();
        }
        assertThat(chain.node(node).status()).isEqualTo(NodeStatus.JAILED);
        assertThat(chain.events(EventType.NODE_JAILED)).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("after 3 missed deadlines"));
        long settledFees = chain.events(EventType.JOB_SETTLED).stream().mapToLong(LedgerEvent::amount).sum();
        assertThat(chain.balance(ALICE)).as("every faulted job refunded in full").isEqualTo(aliceBefore - settledFees);
    }

    // ------------------------------------------------------------------------------- wire limits

    @Test
    void theMessageIsAtMost256BytesAndTheReasonCodeMustBeKnown() {
        textWorld();
        Hash job = submit(ALICE, NONE);
        PrivateKey node = assigned(job);
        String longest = "\u20ac".repeat(85) + "x"; // 256 bytes of UTF-8
        SignedTransaction ok = failure(node, job, FailureReason.INPUT_REJECTED, longest, new byte[0]);
        assertThat(chain.ledger.decodeAndCheck(ok.encoded())).isEqualTo(ok);
        chain.forgetPendingNonces();
        SignedTransaction tooLong = failure(node, job, FailureReason.INPUT_REJECTED, longest + "x", new byte[0]);
        TransactionRejectedException e = catchThrowableOfType(TransactionRejectedException.class,
                () -> chain.ledger.decodeAndCheck(tooLong.encoded()));
        assertThat(e.code()).isEqualTo(RejectCode.MALFORMED);
        assertThat(e.getMessage()).contains("failure message is 257 bytes, more than the limit of 256");
        chain.forgetPendingNonces();

        byte[] bytes = ok.encoded();
        int tag = 4 + Bytes.utf8(TestChain.CHAIN_ID).length + 32 + 8;
        assertThat(bytes[tag]).isEqualTo((byte) 17);
        assertThat(bytes[tag + 1 + 32]).isEqualTo((byte) FailureReason.INPUT_REJECTED.code());
        for (int code : new int[] {0, 3, 255}) {
            byte[] b = bytes.clone();
            b[tag + 1 + 32] = (byte) code;
            assertThat(catchThrowableOfType(TransactionRejectedException.class, () -> chain.ledger.decodeAndCheck(b)))
                    .satisfies(r -> assertThat(r.code()).isEqualTo(RejectCode.MALFORMED))
                    .hasMessageContaining("unknown failure reason code " + code);
        }
        chain.block(ok);
        assertThat(chain.failure(job).message()).isEqualTo(longest);
        assertThat(TransactionCodec.decode(ok.encoded()).payload()).usingRecursiveComparison().isEqualTo(ok.payload());
    }

    // ------------------------------------------------------------------------------- OPTIMISTIC and SAMPLED

    @Test
    void aProvableRefusalIsExecutedByTheChainAndPaidInBothModes() {
        provableWorld(StakingRules.MAX_CAPACITY, NODE_1, NODE_2);
        Random rnd = new Random(17);
        for (VerificationMode mode : List.of(OPTIMISTIC, SAMPLED)) {
            Money m1 = money(ALICE, NODE_1);
            Money m2 = money(ALICE, NODE_2);
            byte[] input = floats(rnd, 2 * TinyProgram.INPUTS);
            assertThat(chain.ledger.state().models.get(WIDE).inputSchema().problem(input)).as("the schema takes it").isNull();
            Hash job = submit(ALICE, WIDE, input, mode);
            PrivateKey node = assigned(job);
            NodeRecord nodeBefore = chain.node(node);
            // the node runs the job and the engine refuses the input
            String why = catchThrowableOfType(IllegalArgumentException.class, () -> TraceValues.compute(TinyProgram.ENGINE, input))
                    .getMessage();
            assertThat(why).contains("takes 16 float32 values (64 bytes), got 128 bytes");
            byte[] witness = OneStepProver.witness(TinyProgram.ENGINE, TinyProgram.COMMITMENT, input, 0).encode();
            assertThat(witness).isEqualTo(inputWitness());
            chain.block(failure(node, job, FailureReason.INPUT_REJECTED, why, witness));
            assertPaidRefusal(job, ALICE, node, why, node.equals(NODE_1) ? m1 : m2, nodeBefore);
            assertThat(chain.events(EventType.JOB_FAILED, job).getFirst().reason())
                    .contains("the chain executed trace index 0: input 'x' of shape [1, 16] takes 16 float32 values");
            assertThat(chain.ledger.state().claims.get(job)).as("no claim, window or audit").isNull();
            assertThat(chain.events(EventType.RESULT_PENDING, job)).isEmpty();
            chain.emptyBlocks(15); // nothing left to happen to it
            assertThat(chain.job(job).status()).isEqualTo(JobStatus.FAILED);
            assertThat(chain.events(EventType.AUDIT_ASSIGNED, job)).isEmpty();
        }
        assertThat(chain.events(EventType.JOB_FAILED).stream().map(LedgerEvent::mode)).containsExactly(OPTIMISTIC, SAMPLED);
    }

    @Test
    void aProvableRefusalWhoseWitnessDoesNotProveTheEnginesRefusalIsRefused() {
        provableWorld(StakingRules.MAX_CAPACITY, NODE_1, NODE_2);
        Random rnd = new Random(23);
        byte[] accepted = floats(rnd, TinyProgram.INPUTS);
        Hash tiny = submit(ALICE, TINY, accepted, OPTIMISTIC);
        Hash wide = submit(ALICE, WIDE, floats(rnd, 2 * TinyProgram.INPUTS), SAMPLED);

        // the engine accepts this input: the node must answer it with a result
        refused(refusal(tiny, inputWitness()), RejectCode.INVALID_EVIDENCE,
                "the integer engine accepts this job's input (checked at trace index 0); answer it with a result");

        // a path that does not lead to the registered program root
        List<Hash> path = new ArrayList<>(TinyProgram.COMMITMENT.ioPath());
        path.set(0, Sha256.digest(Bytes.utf8("another sibling")));
        byte[] badPath = new StepWitness.InputWitness(TinyProgram.COMMITMENT.ioLeaf(), path).encode();
        String notProven = "the input witness is refused: the io leaf is not proven by its path against the program root";
        refused(refusal(wide, badPath), RejectCode.INVALID_EVIDENCE, notProven);
        refused(refusal(tiny, badPath), RejectCode.INVALID_EVIDENCE, notProven);
        // an io leaf that claims the program takes 32 values, with the real path: not the registered program
        IoLeaf io = TinyProgram.COMMITMENT.ioLeaf();
        TensorSpec in = io.input();
        IoLeaf forged = new IoLeaf(new TensorSpec(in.name(), in.dtype(), new int[] {1, 2 * TinyProgram.INPUTS}, in.quantization()),
                io.output(), io.outputNames(), io.stepCount(), io.opCount());
        byte[] forgedWitness = new StepWitness.InputWitness(forged, TinyProgram.COMMITMENT.ioPath()).encode();
        refused(refusal(wide, forgedWitness), RejectCode.INVALID_EVIDENCE, notProven);
        // the witness of another trace index, garbage, nothing
        byte[] opWitness = OneStepProver.witness(TinyProgram.ENGINE, TinyProgram.COMMITMENT, accepted, 1).encode();
        refused(refusal(wide, opWitness), RejectCode.INVALID_EVIDENCE,
                "an input refusal in a provable mode carries the program's input witness");
        refused(refusal(wide, Bytes.utf8("trust me")), RejectCode.INVALID_EVIDENCE, "the input witness is malformed");
        refused(refusal(wide, new byte[0]), RejectCode.INVALID_EVIDENCE, "the input witness is malformed");
        refused(refusal(wide, Bytes.concat(inputWitness(), new byte[1])), RejectCode.INVALID_EVIDENCE, "the input witness is malformed");
        // a node fault carries nothing
        refused(failure(assigned(wide), wide, FailureReason.NODE_FAULT, "crashed", inputWitness()), RejectCode.INVALID_EVIDENCE,
                "a node's own failure carries no evidence");

        // the genuine one applies; the accepted input is answered with a result
        chain.block(refusal(wide, inputWitness()));
        assertThat(chain.job(wide).status()).isEqualTo(JobStatus.FAILED);
        PrivateKey node = assigned(tiny);
        chain.block(chain.sign(node, TraceParty.of(node, tiny, node.publicKey(), accepted, TraceParty.Kind.HONEST, rnd, null).result()));
        assertThat(chain.job(tiny).status()).isEqualTo(JobStatus.VERIFYING);
        refused(failure(node, tiny, FailureReason.INPUT_REJECTED, REFUSAL, inputWitness()), RejectCode.JOB_NOT_OPEN, "is VERIFYING");
        assertThat(chain.events(EventType.NODE_PENALIZED)).isEmpty();
    }

    // ------------------------------------------------------------------------------- adversarial

    private static final int SUBMIT_BLOCKS = 200;
    private static final String POISON = "\u2620 poison";
    private static final PrivateKey MALLORY = TestChain.key("mallory");

    /**
     * Three clients send, every block for {@value #SUBMIT_BLOCKS} blocks: an input the provable model's schema takes
     * but its program refuses (OPTIMISTIC or SAMPLED), a valid input of the other provable model, and a text job
     * that the NONE runtime refuses half the time; a fourth sends inputs the schemas refuse. Four honest nodes
     * answer each job the block after it is assigned: a result when they can run it, a failure with the mode's
     * evidence when they cannot, an honest audit when drawn. No honest node ever loses stake or is jailed, every
     * job ends FAILED or SETTLED, each client pays exactly the fees of its jobs, and no base unit appears or vanishes.
     */
    @Test
    void poisonedInputsNeverCostAnHonestNodeStake() {
        List<PrivateKey> nodes = List.of(NODE_1, NODE_2, NODE_3, NODE_4);
        provableWorld(4, NODE_1, NODE_2, NODE_3, NODE_4);
        chain.block(chain.transfer(ALICE, MALLORY, 1_000 * VRT));
        Random rnd = new Random(2026);
        Map<PrivateKey, Long> stakes = new TreeMap<>((a, b) -> a.publicKey().compareTo(b.publicKey()));
        nodes.forEach(n -> stakes.put(n, chain.node(n).stake()));
        Map<PrivateKey, Long> clientStart = new HashMap<>();
        for (PrivateKey c : List.of(ALICE, BOB, CAROL, MALLORY)) {
            clientStart.put(c, chain.balance(c));
        }
        List<Hash> jobs = new ArrayList<>();
        int refusedAtSubmission = 0;
        int guard = 0;
        while (guard++ < SUBMIT_BLOCKS || !allFinal(jobs)) {
            assertThat(guard).as("the jobs finish").isLessThan(SUBMIT_BLOCKS + 100);
            List<SignedTransaction> txs = new ArrayList<>(answers(rnd));
            List<SignedTransaction> submitted = new ArrayList<>();
            if (guard <= SUBMIT_BLOCKS) {
                submitted.add(chain.submitJob(ALICE, WIDE, floats(rnd, 2 * TinyProgram.INPUTS), rnd.nextBoolean() ? OPTIMISTIC : SAMPLED,
                        List.of(), MAX_FEE, 5));
                submitted.add(chain.submitJob(BOB, TINY, floats(rnd, TinyProgram.INPUTS), rnd.nextBoolean() ? OPTIMISTIC : SAMPLED,
                        List.of(), MAX_FEE, 5));
                submitted.add(chain.submitJob(CAROL, TEXT, Bytes.utf8((rnd.nextBoolean() ? POISON : "") + " prompt " + guard), NONE,
                        List.of(), MAX_FEE, 5));
                long nonce = chain.ledger.state().account(MALLORY.publicKey()).nonce();
                byte[] nan = floats(rnd, TinyProgram.INPUTS);
                ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putInt(4 * rnd.nextInt(TinyProgram.INPUTS), 0x7FC0_0000);
                txs.add(TestChain.signWithNonce(MALLORY, nonce, new Payload.SubmitJob(TINY, nan, OPTIMISTIC, List.of(), MAX_FEE, 5)));
                txs.add(TestChain.signWithNonce(MALLORY, nonce, new Payload.SubmitJob(TEXT, new byte[] {'a', (byte) 0xC0, (byte) 0x80},
                        NONE, List.of(), MAX_FEE, 5)));
            }
            txs.addAll(submitted);
            BlockExecution.Produced p = chain.produce(txs);
            for (BlockExecution.Refused r : p.refused()) {
                assertThat(r.transaction().body().sender()).as("refused: %s", r.reason().getMessage()).isEqualTo(MALLORY.publicKey());
                assertThat(r.reason().code()).isEqualTo(RejectCode.INVALID_INPUT);
                refusedAtSubmission++;
            }
            submitted.forEach(tx -> jobs.add(tx.hash()));
            for (PrivateKey n : nodes) {
                NodeRecord r = chain.node(n);
                assertThat(r.stake()).as("stake of %s at height %d", n.publicKey().hex(), chain.height).isGreaterThanOrEqualTo(stakes.get(n));
                assertThat(r.status()).isEqualTo(NodeStatus.ACTIVE);
                assertThat(r.inFlight()).isLessThanOrEqualTo(r.capacity());
                stakes.put(n, r.stake());
            }
        }

        for (EventType t : STAKE_LOSSES) {
            assertThat(chain.events(t)).as("%s events", t).isEmpty();
        }
        assertThat(chain.events(EventType.BOND_SLASHED)).isEmpty();
        assertThat(refusedAtSubmission).isEqualTo(2 * SUBMIT_BLOCKS);
        assertThat(chain.balance(MALLORY)).isEqualTo(clientStart.get(MALLORY));
        Map<PrivateKey, Long> paid = new HashMap<>();
        int failed = 0;
        int poisonedText = 0;
        for (Hash id : jobs) {
            JobRecord j = chain.job(id);
            PrivateKey client = TestChain.privateKeyOf(j.client());
            boolean poisoned = j.model().equals(WIDE)
                    || j.model().equals(TEXT) && text(chain.input(id)).startsWith(POISON);
            assertThat(j.status()).as("job %s on %s", id.hex(), j.model().hex()).isEqualTo(poisoned ? JobStatus.FAILED : JobStatus.SETTLED);
            paid.merge(client, j.fee() + auditFee(id), Long::sum);
            if (poisoned) {
                failed++;
                poisonedText += j.model().equals(TEXT) ? 1 : 0;
                assertThat(chain.events(EventType.NODE_PAID, id)).hasSize(1);
                assertThat(chain.failure(id).node()).isEqualTo(j.assignedNode());
            }
        }
        for (PrivateKey c : List.of(ALICE, BOB, CAROL)) {
            long start = clientStart.get(c);
            assertThat(chain.balance(c)).as("client %s pays exactly its fees", c.publicKey().hex()).isEqualTo(start - paid.get(c));
        }
        long failedFees = chain.events(EventType.JOB_FAILED).stream().mapToLong(LedgerEvent::amount).sum();
        assertThat(failedFees).isEqualTo(jobs.stream().map(chain::job).filter(j -> j.status() == JobStatus.FAILED)
                .mapToLong(JobRecord::fee).sum());
        for (PrivateKey n : nodes) {
            assertThat(chain.node(n).penalized()).isZero();
            assertThat(chain.node(n).earned()).isPositive();
            assertThat(chain.node(n).inFlight()).isZero();
        }
        assertThat(chain.supplyHistory).as("no base unit created or destroyed").containsOnly(chain.supplyHistory.get(0));
        assertThat(jobs).hasSize(3 * SUBMIT_BLOCKS);
        assertThat(failed).isGreaterThan(SUBMIT_BLOCKS + SUBMIT_BLOCKS / 4);
        assertThat(poisonedText).isBetween(SUBMIT_BLOCKS / 4, 3 * SUBMIT_BLOCKS / 4);
        assertThat(chain.events(EventType.AUDIT_PASSED)).as("valid SAMPLED jobs were audited too").isNotEmpty();
    }

    private long auditFee(Hash job) {
        return chain.events(EventType.AUDITOR_PAID, job).stream().mapToLong(LedgerEvent::amount).sum();
    }

    private boolean allFinal(List<Hash> jobs) {
        for (Hash id : jobs) {
            JobStatus s = chain.job(id).status();
            if (s != JobStatus.SETTLED && s != JobStatus.FAILED && s != JobStatus.EXPIRED) {
                return false;
            }
        }
        return true;
    }

    /** What the honest nodes send in the next block: an answer for every job assigned to them, an audit for every draw. */
    private List<SignedTransaction> answers(Random rnd) {
        List<SignedTransaction> txs = new ArrayList<>();
        var state = chain.ledger.state();
        for (JobRecord job : state.jobs.values()) {
            if (job.status() != JobStatus.ASSIGNED) {
                continue;
            }
            PrivateKey node = TestChain.privateKeyOf(job.assignedNode());
            byte[] input = state.jobInputs.get(job.id());
            if (job.mode() == NONE) {
                txs.add(text(input).startsWith(POISON)
                        ? failure(node, job.id(), FailureReason.INPUT_REJECTED, "the runtime refused a control sequence", new byte[0])
                        : chain.resultFrom(node, job.id(), Bytes.utf8("answer to " + job.id().hex()), new byte[0]));
                continue;
            }
            try {
                TraceValues.compute(TinyProgram.ENGINE, input);
            } catch (IllegalArgumentException refusedByTheEngine) {
                txs.add(failure(node, job.id(), FailureReason.INPUT_REJECTED, refusedByTheEngine.getMessage(),
                        OneStepProver.witness(TinyProgram.ENGINE, TinyProgram.COMMITMENT, input, 0).encode()));
                continue;
            }
            txs.add(chain.sign(node, TraceParty.of(node, job.id(), node.publicKey(), input, TraceParty.Kind.HONEST, rnd, null).result()));
        }
        for (ResultClaim claim : state.claims.values()) {
            if (claim.phase() == ClaimPhase.AUDITING && chain.events(EventType.AUDIT_PASSED, claim.job()).isEmpty()) {
                PrivateKey auditor = TestChain.privateKeyOf(claim.auditor());
                txs.add(chain.sign(auditor, TraceParty.of(auditor, claim.job(), claim.node(), state.jobInputs.get(claim.job()),
                        TraceParty.Kind.HONEST, rnd, null).audit()));
            }
        }
        return txs;
    }
}
