package dev.verity.compute.worker;

import static dev.verity.validator.api.ApiFixture.ALICE;
import static dev.verity.validator.api.ApiFixture.BOB;
import static dev.verity.validator.api.ApiFixture.CHAIN_ID;
import static dev.verity.validator.api.ApiFixture.GENESIS_TIME;
import static dev.verity.validator.api.ApiFixture.GOVERNOR;
import static dev.verity.validator.api.ApiFixture.NODE;
import static dev.verity.validator.api.ApiFixture.VRT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.compute.verify.IntegerProgram;
import dev.verity.compute.verify.ProvablePrograms;
import dev.verity.compute.verify.Tracer;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.devnet.DevEnclave;
import dev.verity.devnet.DigitsPackage;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.devtee.SeededRandom;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.ledger.TransactionRejectedException;
import dev.verity.ledger.evidence.TeeEvidenceVerifier;
import dev.verity.ledger.evidence.TeeFailureStatement;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.FailureReason;
import dev.verity.protocol.tx.Hardware;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.JobQuery;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.NodeView;
import dev.verity.service.model.ModelStore;
import dev.verity.validator.api.ApiFixture;
import dev.verity.validator.consensus.SingleValidatorConsensus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compute worker against a real chain behind a real API server, with blocks produced on a timer once the jobs are
 * set up: every assigned job is seen, page by page, and answered earliest deadline first, at most the capacity at once;
 * an input the runner refuses becomes an INPUT_REJECTED failure that the chain accepts and pays, in NONE, TEE and
 * OPTIMISTIC; a failure of the node itself (out of memory, an internal error, a missing model, a timeout) becomes
 * NODE_FAULT, which frees the job at once.
 */
class ComputeWorkerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final long BLOCK_MILLIS = 40;

    @TempDir
    Path dir;
    ApiFixture f;
    ModelStore store;
    ModelRunners runners;
    SingleValidatorConsensus blocks;
    final List<ComputeWorker> workers = new ArrayList<>();
    final Hash model = Sha256.digest(Bytes.utf8("worker test model"));
    final ScriptedRunner runner = new ScriptedRunner();

    @BeforeEach
    void start() {
        f = new ApiFixture(dir);
        store = new ModelStore(dir.resolve("models"));
        runners = new ModelRunners(store).with(model, runner);
    }

    @AfterEach
    void stop() {
        workers.forEach(ComputeWorker::close);
        if (blocks != null) {
            blocks.close();
        }
        runners.close();
        f.close();
    }

    /**
     * Echoes its input, recording the order and the concurrency of its runs; refuses {@code poison}, runs out of
     * memory on {@code oom}, fails inside on {@code crash}, and takes 3 s on {@code slow}.
     */
    static final class ScriptedRunner implements ModelRunner {
        final List<String> started = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        volatile long millisPerRun;

        @Override
        public byte[] run(byte[] input, VerificationMode mode) {
            String text = new String(input, StandardCharsets.UTF_8);
            started.add(text);
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                sleep(text.equals("slow") ? 3_000 : millisPerRun);
                return switch (text) {
                    case "poison" -> throw new IllegalArgumentException("the tokenizer cannot read this input (test)");
                    case "oom" -> throw new OutOfMemoryError("Java heap space (test)");
                    case "crash" -> throw new IllegalStateException("ONNX Runtime failed: internal error (test)");
                    default -> Bytes.utf8("echo " + text);
                };
            } finally {
                running.decrementAndGet();
            }
        }

        @Override
        public void close() {}
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ set-up helpers (before blocks run on a timer)

    /** Produces a block and checks the transactions are in it. */
    private long included(Hash... txs) {
        long height = f.produce().height();
        for (Hash tx : txs) {
            assertThat(f.client.receipt(tx).status()).as("tx %s: %s", tx, f.client.receipt(tx).message()).isEqualTo("INCLUDED");
        }
        return height;
    }

    private void registerModel(Hash m) {
        included(f.wallet(ALICE).registerModel(m, "echo " + m.hex().substring(0, 6), "text", "the text echoed", 1_000));
    }

    private void registerNode(int capacity, List<Hash> models, VerificationMode... modes) {
        included(f.wallet(NODE).registerNode(2_000 * VRT, models, List.of(modes), Hardware.cpuOnly("test CPU", 4), capacity));
    }

    /** Registers BOB as a second node with no worker: a job NODE gives up goes to it (the chain prefers a fresh node). */
    private void registerOtherNode(List<Hash> models) {
        included(f.wallet(BOB).registerNode(2_000 * VRT, models, List.of(VerificationMode.NONE), Hardware.cpuOnly("test CPU", 4),
                8));
    }

    /** The job failed as NODE_FAULT long before its deadline, and went at once to the other node. */
    private EventView assertFreedAtOnce(Hash job, long deadlineHeight) {
        EventView failed = awaitEvent(job, "JOB_FAILED");
        assertThat(failed.reason()).startsWith("NODE_FAULT").contains("counted as a missed job");
        assertThat(failed.height()).as("long before the deadline").isLessThan(deadlineHeight);
        assertThat(failed.amount()).isZero();
        assertThat(event(job, "JOB_REQUEUED")).isNotNull();
        JobView now = f.client.job(job);
        assertThat(now.status()).isEqualTo("ASSIGNED");
        assertThat(now.assignedNode()).as("reassigned to the other node").isEqualTo(BOB.publicKey().hex());
        assertThat(now.assignedAt()).isEqualTo(failed.height());
        return failed;
    }

    private Hash submit(String input, VerificationMode mode, long deadlineBlocks) {
        return submit(model, Bytes.utf8(input), mode, deadlineBlocks);
    }

    private Hash submit(Hash m, byte[] input, VerificationMode mode, long deadlineBlocks) {
        return f.wallet(ALICE).submitJob(m, input, mode, List.of(), VRT, deadlineBlocks);
    }

    private ComputeWorker startWorker(ComputeWorker.Config config, DevEnclave enclave, Tracer tracer) {
        blocks = new SingleValidatorConsensus(f.chain, BLOCK_MILLIS);
        blocks.start();
        ComputeWorker w = new ComputeWorker(f.client, new Wallet(f.client, NODE), runners, enclave, tracer, config);
        workers.add(w);
        w.start();
        return w;
    }

    private static ComputeWorker.Config config(int capacity, int pageSize) {
        return new ComputeWorker.Config(POLL, capacity, pageSize, ComputeWorker.Config.DEFAULT_JOB_TIMEOUT);
    }

    // ------------------------------------------------------------------ waiting and reading

    private JobView await(Hash job, Set<String> statuses) {
        long end = System.nanoTime() + WAIT.toNanos();
        JobView v = null;
        while (System.nanoTime() < end) {
            v = f.client.job(job);
            if (statuses.contains(v.status())) {
                return v;
            }
            sleep(20);
        }
        throw new AssertionError("job " + job.hex() + " did not become " + statuses + " within " + WAIT + "; last seen " + v
                + ", events " + types(job));
    }

    private EventView awaitEvent(Hash job, String type) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            for (EventView e : f.client.events(EventQuery.forJob(job))) {
                if (e.type().equals(type)) {
                    return e;
                }
            }
            sleep(20);
        }
        throw new AssertionError("job " + job.hex() + " has no " + type + " event within " + WAIT + ": " + types(job));
    }

    private List<String> types(Hash job) {
        return f.client.events(EventQuery.forJob(job)).stream().map(e -> e.type() + "(" + e.reason() + ")").toList();
    }

    private EventView event(Hash job, String type) {
        return f.client.events(EventQuery.forJob(job)).stream().filter(e -> e.type().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("job " + job.hex() + " has no " + type + " event: " + types(job)));
    }

    private NodeView node() {
        return f.client.node(NODE.publicKey());
    }

    /** The input failed as INPUT_REJECTED by this node, which was paid its fee for it and not penalized. */
    private void assertPaidRefusal(Hash job, String proof) {
        JobView failed = await(job, Set.of("FAILED", "SETTLED", "EXPIRED"));
        assertThat(failed.status()).as("%s", types(job)).isEqualTo("FAILED");
        assertThat(failed.failure().reason()).isEqualTo("INPUT_REJECTED");
        assertThat(failed.failure().node()).isEqualTo(NODE.publicKey().hex());
        EventView jobFailed = event(job, "JOB_FAILED");
        assertThat(jobFailed.reason()).startsWith("INPUT_REJECTED").contains(proof);
        assertThat(event(job, "NODE_PAID").amount()).isPositive();
        assertThat(event(job, "NODE_PAID").node()).isEqualTo(NODE.publicKey().hex());
    }

    // ------------------------------------------------------------------ tests

    @Test
    void everyAssignedJobIsSeenPageByPageAndAnsweredEarliestDeadlineFirst() {
        registerModel(model);
        int jobs = 9;
        registerNode(jobs, List.of(model), VerificationMode.NONE);
        List<Hash> ids = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            // deadlines 100..108 blocks, not in submission order, two pairs equal (then the job id orders them)
            ids.add(submit("job " + i, VerificationMode.NONE, 100 + (i * 4L) % 7));
        }
        included(ids.toArray(Hash[]::new));
        assertThat(node().jobsInFlight()).isEqualTo(jobs);
        List<JobView> assigned = f.client.jobs(JobQuery.assignedTo(NODE.publicKey()));
        List<String> earliestFirst = assigned.stream()
                .sorted(Comparator.comparingLong(JobView::deadlineHeight).thenComparing(JobView::id))
                .map(j -> "job " + ids.indexOf(Hash.fromHex(j.id()))).toList();

        // Pages of 2 jobs, one job at a time: the order of the runs is the order of the deadlines.
        ComputeWorker w = startWorker(config(1, 2), null, null);
        for (Hash id : ids) {
            JobView settled = await(id, Set.of("SETTLED", "FAILED", "EXPIRED"));
            assertThat(settled.status()).isEqualTo("SETTLED");
            assertThat(new String(java.util.Base64.getDecoder().decode(settled.output()), StandardCharsets.UTF_8))
                    .isEqualTo("echo job " + ids.indexOf(id));
        }
        assertThat(runner.started).containsExactlyElementsOf(earliestFirst);
        awaitCount(w::completed, jobs);
        assertThat(w.failuresPosted().values()).containsOnly(0L);
        assertThat(node().penalized()).isZero();
        assertThat(node().jobsInFlight()).isZero();
    }

    @Test
    void theWorkerRunsAsManyJobsAtOnceAsTheCapacityItDeclared() throws Exception {
        registerModel(model);
        int capacity = 3;
        registerNode(capacity, List.of(model), VerificationMode.NONE);
        List<Hash> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(submit("job " + i, VerificationMode.NONE, 200));
        }
        included(ids.toArray(Hash[]::new));
        assertThat(node().jobsInFlight()).as("the chain assigns no more than the capacity").isEqualTo(capacity);
        assertThat(f.client.jobs(JobQuery.all().withStatus("QUEUED"))).hasSize(10 - capacity);

        runner.millisPerRun = 150;
        ComputeWorker w = startWorker(config(capacity, 2), null, null);
        assertThat(w.config().capacity()).isEqualTo(node().capacity());
        int mostInFlight = 0;
        for (Hash id : ids) {
            mostInFlight = Math.max(mostInFlight, node().jobsInFlight());
            assertThat(await(id, Set.of("SETTLED", "FAILED", "EXPIRED")).status()).isEqualTo("SETTLED");
        }
        assertThat(mostInFlight).isLessThanOrEqualTo(capacity);
        assertThat(runner.mostAtOnce.get()).as("runs at once").isEqualTo(capacity);
        awaitCount(w::completed, 10);
    }

    @Test
    void anInputTheRunnerRefusesIsAnsweredInputRejectedAndTheNodeIsPaid() {
        registerModel(model);
        registerNode(4, List.of(model), VerificationMode.NONE);
        Hash poison = submit("poison", VerificationMode.NONE, 100);
        Hash fine = submit("fine", VerificationMode.NONE, 100);
        included(poison, fine);

        ComputeWorker w = startWorker(config(4, 100), null, null);
        assertPaidRefusal(poison, "reported by the node");
        assertThat(f.client.job(poison).failure().message()).contains("IllegalArgumentException",
                "the tokenizer cannot read this input");
        assertThat(await(fine, Set.of("SETTLED", "FAILED", "EXPIRED")).status()).isEqualTo("SETTLED");
        NodeView n = node();
        assertThat(n.penalized()).isZero();
        assertThat(n.missedDeadlines()).isZero();
        assertThat(n.jobsInFlight()).isZero();
        awaitCount(() -> w.failuresPosted(FailureReason.INPUT_REJECTED), 1);
        assertThat(w.failuresPosted(FailureReason.NODE_FAULT)).isZero();
        awaitCount(w::completed, 1);
    }

    @Test
    void aTeeNodesEnclaveSignsTheInputRefusalAndTheChainPaysIt() {
        DevEnclave enclave = teeNode();
        Hash poison = submit("poison", VerificationMode.TEE, 100);
        Hash fine = submit("fine", VerificationMode.TEE, 100);
        included(poison, fine);

        ComputeWorker w = startWorker(config(4, 100), enclave, null);
        assertPaidRefusal(poison, "signed by the node's enclave");
        assertThat(await(fine, Set.of("SETTLED", "FAILED", "EXPIRED")).status()).isEqualTo("SETTLED");
        assertThat(node().penalized()).isZero();
        awaitCount(() -> w.failuresPosted(FailureReason.INPUT_REJECTED), 1);
    }

    @Test
    void theEnclavesFailureSignatureIsWhatTheLedgerVerifies() {
        DevEnclave enclave = teeNode();
        Hash job = Sha256.digest(Bytes.utf8("some job"));
        Hash input = Sha256.digest(Bytes.utf8("some input"));
        TeeFailureStatement statement = new TeeFailureStatement(job, model, input, FailureReason.INPUT_REJECTED,
                "the tokenizer refused it");
        byte[] signature = enclave.sign(statement);
        f.chain.read(s -> {
            TeeEvidenceVerifier.verifyEnclaveSignature(s, s.nodes.get(NODE.publicKey()), statement.signingBytes(), signature,
                    "the refusal");
            return null;
        });
        TeeFailureStatement otherMessage = new TeeFailureStatement(job, model, input, FailureReason.INPUT_REJECTED,
                "another message");
        assertThatThrownBy(() -> f.chain.read(s -> {
            TeeEvidenceVerifier.verifyEnclaveSignature(s, s.nodes.get(NODE.publicKey()), otherMessage.signingBytes(), signature,
                    "the refusal");
            return null;
        })).isInstanceOf(TransactionRejectedException.class).hasMessageContaining("does not cover the refusal");
    }

    /** A development SEV-SNP platform and this build's measurement, made once (key generation takes seconds). */
    private static final class Tee {
        static final DevSevSnpPlatform PLATFORM = DevSevSnpPlatform.generate(
                Instant.ofEpochMilli(Math.min(System.currentTimeMillis(), GENESIS_TIME)).minus(Duration.ofDays(1)),
                Duration.ofDays(3650), new SeededRandom("verity worker test"));
        static final Measurement BUILD = DevEnclave.buildMeasurement();
    }

    /** Trusts a development platform and this build, registers NODE for NONE and TEE with a fresh enclave. */
    private DevEnclave teeNode() {
        DevSevSnpPlatform platform = Tee.PLATFORM;
        Measurement build = Tee.BUILD;
        Wallet alice = f.wallet(ALICE);
        included(alice.govern(new GovernanceAction.AddCollateral(new Collateral(TeeType.SEV_SNP, CollateralKind.ROOT_CERTIFICATE,
                platform.arkDer())), List.of(GOVERNOR)));
        included(alice.govern(new GovernanceAction.ApproveMeasurement(TeeType.SEV_SNP, build, "the node build"), List.of(GOVERNOR)));
        registerModel(model);
        registerNode(4, List.of(model), VerificationMode.NONE, VerificationMode.TEE);
        DevEnclave enclave = DevEnclave.launch(platform, CHAIN_ID, NODE.publicKey(), build);
        included(f.wallet(NODE).registerEnclave(enclave.publicKey(), enclave.attestation()));
        assertThat(node().enclaveKey()).isEqualTo(enclave.publicKey().hex());
        return enclave;
    }

    @Test
    void anOptimisticJobWhoseInputTheIntegerEngineRefusesIsProvenOnChainAndPaid() {
        ModelPackage digits = DigitsPackage.install(store);
        IntegerProgram program = IntegerProgram.of(digits);
        Hash m = digits.id();
        Wallet alice = f.wallet(ALICE);
        // Text that the chain's schema lets through but the program cannot quantize (it takes 64 float32 values).
        included(alice.registerModel(m, "digits as text", "any text", "10 floats", 1, new InputSchema.Utf8Text(1, 1024)));
        included(alice.registerProgram(m, program.commitment().root(), program.commitment().leafCount(),
                program.commitment().stepCount()));
        registerNode(4, List.of(m), VerificationMode.OPTIMISTIC);
        byte[] words = Bytes.utf8("these are not pixels");
        byte[] pixels = Bytes.utf8("0".repeat(256)); // 64 float32 of 6.4e-10 each, and valid text
        assertThat(program.inputRefusal(words)).get().asString().contains("256 bytes");
        assertThat(program.inputRefusal(pixels)).isEmpty();
        Hash refused = submit(m, words, VerificationMode.OPTIMISTIC, 100);
        Hash traced = submit(m, pixels, VerificationMode.OPTIMISTIC, 100);
        included(refused, traced);

        Tracer tracer = new Tracer(f.client, new ProvablePrograms(store, f.client), NODE.publicKey());
        ComputeWorker w = startWorker(config(4, 100), null, tracer);
        assertPaidRefusal(refused, "the chain executed trace index 0");
        assertThat(f.client.job(refused).failure().message()).contains("the integer engine refuses the input");
        JobView result = await(traced, Set.of("VERIFYING", "SETTLED", "FAILED", "EXPIRED"));
        assertThat(result.status()).as("%s", types(traced)).isIn("VERIFYING", "SETTLED");
        assertThat(java.util.Base64.getDecoder().decode(f.client.job(traced).output())).isEqualTo(program.trace(pixels).output());
        assertThat(node().penalized()).isZero();
        awaitCount(() -> w.failuresPosted(FailureReason.INPUT_REJECTED), 1);
    }

    @Test
    void theNodesOwnFailuresAreReportedAsNodeFaultsAndFreeTheJobAtOnce() {
        registerModel(model);
        Hash missing = Sha256.digest(Bytes.utf8("a model this node lacks"));
        registerModel(missing);
        registerNode(4, List.of(model, missing), VerificationMode.NONE);
        Hash oom = submit("oom", VerificationMode.NONE, 500);
        Hash crash = submit("crash", VerificationMode.NONE, 500);
        Hash lacking = submit(missing, Bytes.utf8("anything"), VerificationMode.NONE, 500);
        long assignedAt = included(oom, crash, lacking);
        registerOtherNode(List.of(model, missing));

        ComputeWorker w = startWorker(config(4, 100), null, null);
        assertThat(assertFreedAtOnce(oom, assignedAt + 500).reason()).contains("OutOfMemoryError", "Java heap space");
        assertThat(assertFreedAtOnce(crash, assignedAt + 500).reason()).contains("IllegalStateException", "internal error");
        assertThat(assertFreedAtOnce(lacking, assignedAt + 500).reason()).contains("not in this node's model store");
        // Each is penalized as a missed deadline; three of them jail the node (jailAfterMisses).
        List<EventView> penalties = f.client.events(EventQuery.forNode(NODE.publicKey())).stream()
                .filter(e -> e.type().equals("NODE_PENALIZED")).toList();
        assertThat(penalties).hasSize(3).allSatisfy(e -> assertThat(e.reason()).contains("missed the result deadline"));
        NodeView n = node();
        assertThat(n.penalized()).isEqualTo(penalties.stream().mapToLong(EventView::amount).sum()).isPositive();
        assertThat(n.status()).isEqualTo("JAILED");
        assertThat(n.jobsInFlight()).isZero();
        awaitCount(() -> w.failuresPosted(FailureReason.NODE_FAULT), 3);
        assertThat(w.failuresPosted(FailureReason.INPUT_REJECTED)).isZero();
        assertThat(w.completed()).isZero();
    }

    @Test
    void aJobThatRunsOverTheTimeoutIsReportedAsANodeFault() {
        registerModel(model);
        registerNode(4, List.of(model), VerificationMode.NONE);
        Hash slow = submit("slow", VerificationMode.NONE, 500);
        long assignedAt = included(slow);
        registerOtherNode(List.of(model));

        ComputeWorker w = startWorker(new ComputeWorker.Config(POLL, 4, 100, Duration.ofMillis(300)), null, null);
        assertThat(assertFreedAtOnce(slow, assignedAt + 500).reason()).contains("timed out", "300 ms");
        awaitCount(() -> w.failuresPosted(FailureReason.NODE_FAULT), 1);
        sleep(3_500); // the run ends after its report: nothing more is posted for it
        assertThat(runner.started).containsExactly("slow");
        assertThat(w.completed()).isZero();
        assertThat(w.failuresPosted(FailureReason.NODE_FAULT)).isEqualTo(1);
        assertThat(w.unaccepted()).isZero();
        assertThat(node().status()).isEqualTo("ACTIVE");
        assertThat(node().missedDeadlines()).isEqualTo(1);
    }

    @Test
    void aJournaledAnswerLostWithTheProcessIsSentAfterTheRestartAsItWasSignedWithoutRunningTheModelAgain() throws Exception {
        restartAfterJournaling(false);
    }

    @Test
    void aJournaledAnswerWhoseNonceWentStaleIsSignedAgainAfterTheRestartWithoutRunningTheModelAgain() throws Exception {
        restartAfterJournaling(true);
    }

    /**
     * A worker computes a result, journals it and "dies" before sending it; a new worker on the same journal sends it
     * without running the model again, and the job settles once. With {@code nonceMoved}, the node sends another
     * transaction in between, so the journaled one's nonce is stale and its payload is signed again.
     */
    private void restartAfterJournaling(boolean nonceMoved) throws Exception {
        registerModel(model);
        registerNode(2, List.of(model), VerificationMode.NONE);
        Hash job = submit("long job", VerificationMode.NONE, 200);
        included(job);
        Path folder = dir.resolve("node-state/answers");

        blocks = new SingleValidatorConsensus(f.chain, BLOCK_MILLIS);
        blocks.start();
        ComputeWorker first = new ComputeWorker(f.client, new Wallet(f.client, NODE), runners, null, null, config(2, 100),
                new AnswerJournal(folder));
        workers.add(first);
        java.util.concurrent.CountDownLatch journaled = new java.util.concurrent.CountDownLatch(1);
        first.afterJournaling(id -> {
            first.pause();
            journaled.countDown();
            throw new IllegalStateException("killed after journaling (test)");
        });
        first.start();
        assertThat(journaled.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        first.close();

        AnswerJournal.Entry entry = new AnswerJournal(folder).read(job);
        assertThat(entry).isNotNull();
        assertThat(entry.transaction().payload()).isInstanceOf(dev.verity.protocol.tx.Payload.SubmitResult.class);
        assertThat(runner.started).containsExactly("long job");
        assertThatThrownBy(() -> f.client.receipt(entry.transaction().hash())).as("never sent")
                .isInstanceOf(dev.verity.sdk.VerityApiException.class);
        assertThat(f.client.job(job).status()).isEqualTo("ASSIGNED");
        if (nonceMoved) {
            Hash other = f.wallet(NODE).transfer(ALICE.publicKey(), 1);
            assertThat(f.client.awaitReceipt(other, WAIT).status()).isEqualTo("INCLUDED");
            assertThat(f.client.account(NODE.publicKey()).nextNonce()).isGreaterThan(entry.transaction().body().nonce());
        }

        ComputeWorker second = new ComputeWorker(f.client, new Wallet(f.client, NODE), runners, null, null, config(2, 100),
                new AnswerJournal(folder));
        workers.add(second);
        second.start();
        JobView settled = await(job, Set.of("SETTLED", "FAILED", "EXPIRED"));
        assertThat(settled.status()).isEqualTo("SETTLED");
        assertThat(new String(java.util.Base64.getDecoder().decode(settled.output()), StandardCharsets.UTF_8))
                .isEqualTo("echo long job");
        awaitCount(second::completed, 1);
        assertThat(runner.started).as("the model ran once, before the restart").containsExactly("long job");
        if (nonceMoved) {
            assertThatThrownBy(() -> f.client.receipt(entry.transaction().hash())).as("signed again, the stale one never sent")
                    .isInstanceOf(dev.verity.sdk.VerityApiException.class);
        } else {
            assertThat(f.client.receipt(entry.transaction().hash()).status()).as("the very bytes journaled")
                    .isEqualTo("INCLUDED");
        }
        assertThat(f.client.events(EventQuery.forJob(job)).stream().filter(e -> e.type().equals("JOB_SETTLED")).count())
                .isEqualTo(1);
        assertThat(node().jobsCompleted()).isEqualTo(1);
        assertThat(node().jobsInFlight()).isZero();
        assertThat(second.unaccepted()).isZero();
        assertThat(new AnswerJournal(folder).entries()).as("forgotten once included").isEmpty();
        sleep(300); // more polls change nothing
        assertThat(runner.started).hasSize(1);
        assertThat(second.completed()).isEqualTo(1);
    }

    @Test
    void failureMessagesAreClassifiedAndFitTheChainsLimit() {
        assertThat(FailureClassifier.classify(new IllegalArgumentException("bad UTF-8"))).isEqualTo(FailureReason.INPUT_REJECTED);
        assertThat(FailureClassifier.classify(new NumberFormatException("x"))).isEqualTo(FailureReason.INPUT_REJECTED);
        assertThat(FailureClassifier.classify(new InputRejectedException("no"))).isEqualTo(FailureReason.INPUT_REJECTED);
        assertThat(FailureClassifier.classify(new IllegalStateException("wrapped", new InputRejectedException("no"))))
                .isEqualTo(FailureReason.INPUT_REJECTED);
        assertThat(FailureClassifier.classify(new IllegalStateException("ONNX Runtime failed",
                new ai.onnxruntime.OrtException(ai.onnxruntime.OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT, "bad shape"))))
                .isEqualTo(FailureReason.INPUT_REJECTED);
        assertThat(FailureClassifier.classify(new IllegalStateException("ONNX Runtime failed",
                new ai.onnxruntime.OrtException(ai.onnxruntime.OrtException.OrtErrorCode.ORT_RUNTIME_EXCEPTION, "CUDA error"))))
                .isEqualTo(FailureReason.NODE_FAULT);
        assertThat(FailureClassifier.classify(new OutOfMemoryError())).isEqualTo(FailureReason.NODE_FAULT);
        assertThat(FailureClassifier.classify(new StackOverflowError())).isEqualTo(FailureReason.NODE_FAULT);
        assertThat(FailureClassifier.classify(new java.util.concurrent.TimeoutException())).isEqualTo(FailureReason.NODE_FAULT);
        assertThat(FailureClassifier.classify(new RuntimeException("bug"))).isEqualTo(FailureReason.NODE_FAULT);
        assertThat(FailureClassifier.classify(new IndexOutOfBoundsException())).isEqualTo(FailureReason.NODE_FAULT);

        String longText = "é".repeat(400);
        String fitted = FailureClassifier.fit(longText);
        assertThat(Bytes.utf8(fitted).length).isLessThanOrEqualTo(FailureClassifier.MAX_MESSAGE_BYTES);
        assertThat(fitted).endsWith("...").startsWith("éé");
        assertThat(FailureClassifier.fit("  ")).isEqualTo("no message");
        assertThat(FailureClassifier.fit(" short ")).isEqualTo("short");
        assertThat(FailureClassifier.describe(new IllegalArgumentException("bad"))).isEqualTo("IllegalArgumentException: bad");
        assertThat(FailureClassifier.describe(new OutOfMemoryError())).isEqualTo("OutOfMemoryError");
        assertThatThrownBy(() -> new ComputeWorker.Config(POLL, 0, 10, Duration.ofSeconds(1))).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new ComputeWorker.Config(POLL, 1, 1001, Duration.ofSeconds(1))).hasMessageContaining("page size");
    }

    private static void awaitCount(java.util.function.LongSupplier counter, long expected) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (counter.getAsLong() < expected && System.nanoTime() < end) {
            sleep(20);
        }
        assertThat(counter.getAsLong()).isEqualTo(expected);
    }
}
