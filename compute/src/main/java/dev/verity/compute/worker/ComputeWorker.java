package dev.verity.compute.worker;

import dev.verity.compute.metrics.WorkerMetrics;
import dev.verity.compute.metrics.WorkerMetrics.JobOutcome;
import dev.verity.compute.stream.TokenStreams;
import dev.verity.compute.tee.Enclave;
import dev.verity.compute.verify.Tracer;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.evidence.TeeFailureStatement;
import dev.verity.ledger.rules.StakingRules;
import dev.verity.protocol.tx.FailureReason;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.sdk.JobPage;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.TransactionReceipt;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compute node's worker: watches the chain for jobs assigned to its node, runs the model for real, and answers every
 * one of them, with a result or with a signed failure report (docs/ARCHITECTURE.md, "A job's path"):
 * <ul>
 *   <li>Each poll reads every job assigned to the node, page by page, earliest deadline first
 *       ({@link VerityClient#assignedJobs}), and queues those not yet answered; the pool runs up to {@code capacity}
 *       of them at once (the capacity the node declared on chain), always the earliest deadline next.</li>
 *   <li>A result carries the evidence of the job's mode: nothing for NONE, the enclave's signature for TEE, the trace
 *       claim for OPTIMISTIC and SAMPLED (whose output is the integer engine's and whose trace the {@link Tracer}
 *       keeps for a dispute).</li>
 *   <li>An input the runtime or the model refuses ({@link FailureClassifier}) is answered {@code INPUT_REJECTED} with
 *       the mode's evidence (nothing for NONE, the enclave's signature over the {@link TeeFailureStatement} for TEE,
 *       the program's input witness for OPTIMISTIC and SAMPLED, sent only when the integer engine refuses the input at
 *       trace index 0 exactly as the chain checks it); the node is paid its fee.</li>
 *   <li>Anything that is the node's own fault (a model it lacks or cannot load, no enclave or tracer for the mode, out
 *       of memory, a run over {@code jobTimeout}, an internal error, an answer the chain refused) is answered
 *       {@code NODE_FAULT}: a missed job, which frees the job for another node at once instead of at its deadline.</li>
 * </ul>
 * Only a job that is no longer this node's (answered, reassigned, past its deadline) or an answer that could not be
 * sent (the node's API unreachable, the mempool full) is left, and the next poll takes the latter up again.
 *
 * <p>With an {@link AnswerJournal}, every signed answer is journaled durably before it is sent and forgotten once the
 * chain included it, refused it for good, or the job is no longer this node's. An answer journaled for a job's current
 * assignment is sent again (the same transaction, or the same payload signed with a fresh nonce when the node's nonce
 * moved past it) instead of running the model again: at start, before the first poll, and whenever a poll finds it.
 */
public final class ComputeWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ComputeWorker.class);

    /**
     * How the worker runs. {@code capacity} is the most jobs it runs at once, its pool's size: register the node with
     * the same capacity so that the chain never assigns it more than it runs. {@code pageSize} is how many assigned
     * jobs each request of a poll reads (1 to 1000); {@code jobTimeout} how long one job may run before the worker
     * gives up on it and reports {@code NODE_FAULT}.
     */
    public record Config(Duration pollInterval, int capacity, int pageSize, Duration jobTimeout) {
        public static final int DEFAULT_PAGE_SIZE = 100;
        public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofMinutes(5);

        public Config {
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("the poll interval must be positive, got " + pollInterval);
            }
            if (capacity < 1 || capacity > StakingRules.MAX_CAPACITY) {
                throw new IllegalArgumentException("the capacity is 1 to " + StakingRules.MAX_CAPACITY + " jobs at once, got "
                        + capacity);
            }
            if (pageSize < 1 || pageSize > 1000) {
                throw new IllegalArgumentException("the page size is 1 to 1000 jobs, got " + pageSize);
            }
            if (jobTimeout.isNegative() || jobTimeout.isZero()) {
                throw new IllegalArgumentException("the job timeout must be positive, got " + jobTimeout);
            }
        }

        /** Pages of {@value #DEFAULT_PAGE_SIZE} jobs, and the default job timeout. */
        public Config(Duration pollInterval, int capacity) {
            this(pollInterval, capacity, DEFAULT_PAGE_SIZE, DEFAULT_JOB_TIMEOUT);
        }

        /** A poll every 100 ms and the chain's default capacity ({@link Payload.RegisterNode#DEFAULT_CAPACITY}). */
        public static Config defaults() {
            return new Config(Duration.ofMillis(100), Payload.RegisterNode.DEFAULT_CAPACITY);
        }

        public Config withCapacity(int c) {
            return new Config(pollInterval, c, pageSize, jobTimeout);
        }

        public Config withPageSize(int p) {
            return new Config(pollInterval, capacity, p, jobTimeout);
        }

        public Config withJobTimeout(Duration t) {
            return new Config(pollInterval, capacity, pageSize, t);
        }
    }

    private static final int POST_ATTEMPTS = 3;
    /** An answer the chain refused when it built the block, with no reject code in its receipt: it is not sent again. */
    private static final String REFUSED_IN_BLOCK = "REFUSED_IN_BLOCK";
    private static final Duration RECEIPT_WAIT = Duration.ofSeconds(30);
    /** Codes that say the job is no longer this node's to answer. */
    private static final Set<String> NOT_OURS = Set.of("JOB_NOT_OPEN", "NOT_ASSIGNED", "UNKNOWN_JOB");

    private final VerityClient client;
    private final Wallet wallet;
    private final PublicKey nodeId;
    private final JobAnswerer answerer;
    /** The tokens of the generation jobs this worker runs, kept for the last finished ones too. */
    private final TokenStreams tokenStreams = new TokenStreams(256);
    private final Config config;
    private final ScheduledExecutorService poller;
    private final ScheduledExecutorService watchdog;
    private final ThreadPoolExecutor runnerPool;
    private final Set<Hash> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean readingNodeView = new AtomicBoolean();
    private final Set<String> finished = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 10_000;
        }
    }));
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong unaccepted = new AtomicLong();
    private final Map<FailureReason, AtomicLong> failuresPosted = new EnumMap<>(FailureReason.class);
    private volatile WorkerMetrics metrics = WorkerMetrics.NONE;
    private final AnswerJournal journal;
    private volatile Consumer<Hash> afterJournaling = id -> {};

    /** A worker for the trusted modes only (NONE, and TEE with an enclave). */
    public ComputeWorker(VerityClient client, Wallet wallet, ModelRunners runners, Enclave enclave, Config config) {
        this(client, wallet, runners, enclave, null, config);
    }

    /** A worker that also answers OPTIMISTIC and SAMPLED jobs with {@code tracer}'s traces (null: it does not). */
    public ComputeWorker(VerityClient client, Wallet wallet, ModelRunners runners, Enclave enclave, Tracer tracer,
                         Config config) {
        this(client, wallet, runners, enclave, tracer, config, null);
    }

    /**
     * A worker that journals its answers in {@code journal} (null: it does not) before sending them, so that an answer
     * computed and not yet accepted survives the process and is sent again after a restart.
     */
    public ComputeWorker(VerityClient client, Wallet wallet, ModelRunners runners, Enclave enclave, Tracer tracer,
                         Config config, AnswerJournal journal) {
        if (tracer != null && !tracer.self().equals(wallet.publicKey())) {
            throw new IllegalArgumentException("the tracer must be the worker's own node's");
        }
        this.client = client;
        this.wallet = wallet;
        this.nodeId = wallet.publicKey();
        this.answerer = new JobAnswerer(runners, enclave, tracer, tokenStreams);
        this.config = config;
        this.journal = journal;
        for (FailureReason r : FailureReason.values()) {
            failuresPosted.put(r, new AtomicLong());
        }
        String name = "worker-" + nodeId.hex().substring(0, 8);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-poll"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-watchdog"));
        // Queued jobs wait in deadline order (JobTask's order), so a free thread always takes the earliest deadline.
        this.runnerPool = new ThreadPoolExecutor(config.capacity(), config.capacity(), 0L, TimeUnit.MILLISECONDS,
                new PriorityBlockingQueue<>(), r -> daemon(r, name + "-run"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The token streams of this worker's generation jobs, for the node's stream endpoint ({@code TokenStreamServer}). */
    public TokenStreams tokenStreams() {
        return tokenStreams;
    }

    public PublicKey nodeId() {
        return nodeId;
    }

    public Config config() {
        return config;
    }

    public void start() {
        started.set(true);
        warnOnCapacityMismatch();
        if (journal != null) {
            poller.execute(this::resendJournaled); // the same single thread: before the first poll
        }
        poller.scheduleWithFixedDelay(this::poll, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduleNodeView();
    }

    /**
     * Records this worker's metrics in {@code m}, from now on; returns this. Best before {@link #start()}; a worker
     * already running (one a program started) counts from here, and reads its node's earnings from the chain from here.
     */
    public ComputeWorker metrics(WorkerMetrics m) {
        m.bind(nodeId.hex(), inFlight::size, () -> runnerPool.getQueue().size());
        this.metrics = m;
        if (started.get()) {
            scheduleNodeView();
        }
        return this;
    }

    private void scheduleNodeView() {
        if (metrics.enabled() && !closed.get() && readingNodeView.compareAndSet(false, true)) {
            poller.scheduleWithFixedDelay(this::readNodeView, 0, WorkerMetrics.NODE_VIEW_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Reads the node's earnings and penalties from the chain into the metrics. */
    void readNodeView() {
        try {
            var n = client.node(nodeId);
            metrics.nodeView(n.earned(), n.penalized(), n.jobsCompleted(), n.jobsInFlight());
        } catch (RuntimeException e) {
            LOG.debug("cannot read node {} for its metrics: {}", nodeId.hex(), e.getMessage());
        }
    }

    private void warnOnCapacityMismatch() {
        try {
            int declared = client.node(nodeId).capacity();
            if (declared != config.capacity()) {
                LOG.warn("node {} declared a capacity of {} jobs on chain but its worker runs {} at once; jobs beyond that "
                        + "wait in deadline order (verity node set-capacity changes the declaration)", nodeId.hex(), declared,
                        config.capacity());
            }
        } catch (VerityApiException e) {
            LOG.debug("cannot read node {}'s declared capacity: {}", nodeId.hex(), e.getMessage());
        }
    }

    /**
     * One assignment of a job: a job that a revocation moved down its fallback ladder, or that another node's fault
     * sent back to the queue, can come back to this node, and must then be answered again.
     */
    private static String assignment(JobView job) {
        return job.id() + "@" + job.assignedAt() + "/" + job.mode();
    }

    /** Test hook: runs right after an answer is journaled and before it is sent (a throw stops the answer there). */
    void afterJournaling(Consumer<Hash> hook) {
        this.afterJournaling = hook;
    }

    /**
     * Sends again every journaled answer whose job is still assigned to this node in the assignment it answers, and
     * forgets the others. An answer that cannot be sent now stays journaled for the next poll.
     */
    void resendJournaled() {
        for (AnswerJournal.Entry e : journal.entries()) {
            Hash id = e.jobId();
            try {
                JobView job = client.job(id);
                if (!ours(job) || !assignment(job).equals(e.assignment())) {
                    LOG.info("job {}: forgetting its journaled answer, the job is no longer this node's to answer ({})",
                            id.hex(), job.status());
                    journal.delete(id);
                    continue;
                }
                if (!inFlight.add(id)) {
                    continue;
                }
                try {
                    LOG.info("job {}: sending again the answer journaled before the restart", id.hex());
                    deliver(job, e.transaction().payload(), e.assignment(), e.transaction());
                } finally {
                    inFlight.remove(id);
                }
            } catch (VerityApiException ex) {
                if (ex.httpStatus() == 404 || (ex.code() != null && NOT_OURS.contains(ex.code()))) {
                    journal.delete(id);
                } else {
                    LOG.warn("job {}: cannot send its journaled answer now ({}); the next poll tries again", id.hex(),
                            ex.getMessage());
                }
            } catch (RuntimeException ex) {
                LOG.warn("job {}: sending its journaled answer failed", id.hex(), ex);
            }
        }
    }

    private boolean ours(JobView job) {
        return "ASSIGNED".equals(job.status()) && nodeId.hex().equals(job.assignedNode());
    }

    /** Stops taking new jobs (jobs already running finish); {@link #resume()} takes them up again. */
    public void pause() {
        paused.set(true);
    }

    public void resume() {
        paused.set(false);
    }

    /** True while the worker takes no new jobs: paused (a program stopping pauses it first) or closed. */
    public boolean paused() {
        return paused.get() || closed.get();
    }

    /** True once {@link #close()} has been called. */
    public boolean closed() {
        return closed.get();
    }

    /** Jobs taken and not yet answered (running or queued in this worker). */
    public int running() {
        return inFlight.size();
    }

    /** Results posted and included. */
    public long completed() {
        return completed.get();
    }

    /** Answers that the chain refused or that could not be sent (the job then went unanswered or fell back to NODE_FAULT). */
    public long unaccepted() {
        return unaccepted.get();
    }

    /** Failure reports posted and included with {@code reason}. */
    public long failuresPosted(FailureReason reason) {
        return failuresPosted.get(reason).get();
    }

    /** Failure reports posted and included, by reason (every reason present). */
    public Map<FailureReason, Long> failuresPosted() {
        Map<FailureReason, Long> out = new EnumMap<>(FailureReason.class);
        failuresPosted.forEach((r, n) -> out.put(r, n.get()));
        return out;
    }

    private void poll() {
        if (paused.get()) {
            return;
        }
        try {
            dispatchAssigned();
        } catch (VerityApiException e) {
            LOG.debug("poll failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("poll failed", e);
        }
    }

    /**
     * Reads every job assigned to this node, page by page, earliest deadline first, and queues each one not yet
     * answered nor running.
     */
    private void dispatchAssigned() {
        String cursor = null;
        do {
            JobPage page = client.assignedJobs(nodeId, cursor, config.pageSize());
            page.jobs().forEach(this::dispatch);
            cursor = page.next();
        } while (cursor != null);
    }

    private void dispatch(JobView job) {
        String assignment = assignment(job);
        if (paused.get() || finished.contains(assignment)) {
            return;
        }
        Hash id = Hash.fromHex(job.id());
        if (inFlight.add(id)) {
            runnerPool.execute(new JobTask(id, assignment, job.deadlineHeight()));
        }
    }

    /** A queued job; the pool's queue takes the earliest deadline first (then the smaller id, as the chain orders them). */
    private final class JobTask implements Runnable, Comparable<JobTask> {
        final Hash id;
        final String assignment;
        final long deadline;

        JobTask(Hash id, String assignment, long deadline) {
            this.id = id;
            this.assignment = assignment;
            this.deadline = deadline;
        }

        @Override
        public int compareTo(JobTask o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : id.compareTo(o.id);
        }

        @Override
        public void run() {
            process(this);
        }
    }

    private void process(JobTask task) {
        boolean release = true;
        try {
            JobView job = client.job(task.id);
            if (!ours(job) || !assignment(job).equals(task.assignment)) {
                if (journal != null && !ours(job)) {
                    journal.delete(task.id);
                }
                finished.add(task.assignment);
                metrics.job(job.mode(), JobOutcome.DROPPED);
                return;
            }
            AnswerJournal.Entry saved = journal == null ? null : journal.read(task.id);
            if (saved != null) {
                if (saved.assignment().equals(task.assignment)) {
                    deliver(job, saved.transaction().payload(), task.assignment, saved.transaction());
                    return; // answered already: sent again, not run again
                }
                journal.delete(task.id); // an answer to an earlier assignment of the job
            }
            AtomicBoolean answered = new AtomicBoolean();
            ScheduledFuture<?> timer = watchdog.schedule(() -> timedOut(task, job, answered), config.jobTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            Answer answer;
            long started = System.nanoTime();
            try {
                answer = answerer.answer(job);
            } finally {
                timer.cancel(false);
                metrics.inference(job.model(), job.mode(), System.nanoTime() - started);
            }
            if (!answered.compareAndSet(false, true)) {
                release = false; // the watchdog answered (NODE_FAULT) and frees the job when it is done
                LOG.info("job {} finished after its timeout; its NODE_FAULT report stands", task.id.hex());
                return;
            }
            deliver(job, answer, task.assignment);
        } catch (VerityApiException e) {
            LOG.debug("job {}: cannot read it from the node: {}", task.id.hex(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("job {} failed", task.id.hex(), e);
        } finally {
            if (release) {
                inFlight.remove(task.id);
            }
        }
    }

    /** The watchdog's answer to a job that ran over {@code jobTimeout}: the node's fault. */
    private void timedOut(JobTask task, JobView job, AtomicBoolean answered) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        try {
            LOG.warn("job {} ran over its timeout of {}; reporting NODE_FAULT", task.id.hex(), config.jobTimeout());
            deliver(job, Answer.fault("timed out: the job ran over the worker's limit of " + config.jobTimeout().toMillis() + " ms"),
                    task.assignment);
        } catch (RuntimeException e) {
            LOG.warn("job {}: the timeout report failed", task.id.hex(), e);
        } finally {
            inFlight.remove(task.id);
        }
    }

    /**
     * Posts the answer and counts it. A job no longer this node's is dropped; an answer the chain refuses for good is
     * replaced by a NODE_FAULT report, so the job goes to another node now rather than at its deadline; an answer that
     * could not be sent is left for the next poll (which sends its journaled transaction again, if any).
     */
    private void deliver(JobView job, Answer answer, String assignment) {
        Hash id = Hash.fromHex(job.id());
        Payload payload = switch (answer) {
            case Answer.Result r -> new Payload.SubmitResult(id, r.output(), r.evidence());
            case Answer.Failure f -> new Payload.SubmitFailure(id, f.reason(), f.message(), f.evidence());
        };
        deliver(job, payload, assignment, null);
    }

    /** Posts {@code payload}, or first {@code journaled} (its transaction as signed before) when there is one. */
    private void deliver(JobView job, Payload payload, String assignment, SignedTransaction journaled) {
        Hash id = Hash.fromHex(job.id());
        Payload.SubmitFailure failure = payload instanceof Payload.SubmitFailure f ? f : null;
        String what = failure == null ? "result" : failure.reason() + " failure";
        try {
            post(id, what, assignment, payload, journaled);
            forget(id);
            if (failure == null) {
                completed.incrementAndGet();
                metrics.result(job.mode());
                metrics.job(job.mode(), JobOutcome.RESULT);
            } else {
                failuresPosted.get(failure.reason()).incrementAndGet();
                metrics.failure(job.mode(), failure.reason().name());
                metrics.job(job.mode(), JobOutcome.FAILURE);
                LOG.info("job {}: posted {} ({})", id.hex(), failure.reason(), failure.message());
            }
            finished.add(assignment);
        } catch (VerityApiException e) {
            unaccepted.incrementAndGet();
            metrics.unaccepted(job.mode(), e.code());
            if (e.code() != null && NOT_OURS.contains(e.code())) {
                forget(id);
                finished.add(assignment);
                metrics.job(job.mode(), JobOutcome.DROPPED);
                LOG.info("job {}: no longer this node's to answer: {}", id.hex(), e.getMessage());
                return;
            }
            // Refused for good; a nonce race (BAD_NONCE after the retries) is tried again at the next poll instead.
            boolean refused = e.httpStatus() == 400 && !"BAD_NONCE".equals(e.code());
            boolean isFault = failure != null && failure.reason() == FailureReason.NODE_FAULT;
            if (refused) {
                forget(id);
            }
            if (refused && !isFault) {
                LOG.warn("job {}: the chain refused this node's answer ({}); reporting NODE_FAULT", id.hex(), e.getMessage());
                deliver(job, Answer.fault("the chain refused this node's answer: " + e.getMessage()), assignment);
                return;
            }
            if (refused) {
                finished.add(assignment);
                metrics.job(job.mode(), JobOutcome.REFUSED);
            }
            LOG.warn("job {}: answer not accepted{}: {}", id.hex(), refused ? "" : " (tried again at the next poll)",
                    e.getMessage());
        }
    }

    private void forget(Hash id) {
        if (journal != null) {
            journal.delete(id);
        }
    }

    /**
     * Sends an answer and waits for its block. A transaction of this node refused in an earlier position of the same
     * block (a challenge another watcher beat, say) leaves a nonce gap that refuses the answer too; it is then signed
     * again with the chain's nonce, up to {@value #POST_ATTEMPTS} times. A refusal for another reason throws with the
     * ledger's reject code and HTTP status 400, as a refusal at submission does.
     */
    private void post(Hash id, String what, String assignment, Payload payload, SignedTransaction journaled) {
        Hash hash = journaled != null ? resend(id, assignment, journaled) : send(id, assignment, payload);
        for (int attempt = 1; ; attempt++) {
            TransactionReceipt r = client.awaitReceipt(hash, RECEIPT_WAIT);
            if (!r.refused()) {
                return;
            }
            if (attempt == POST_ATTEMPTS || !"BAD_NONCE".equals(r.code())) {
                throw new VerityApiException(r.code() != null ? r.code() : REFUSED_IN_BLOCK,
                        "the " + what + " was refused in its block: " + r.message(), 400);
            }
            LOG.info("job {}: {} refused behind a refused transaction ({}: {}); posting it again", id.hex(), what, r.code(),
                    r.message());
            wallet.resetNonce();
            hash = send(id, assignment, payload);
        }
    }

    /**
     * Signs {@code payload} with the wallet's next nonce, journals it, and submits it; on BAD_NONCE signs it once more
     * with the chain's nonce (as {@link Wallet#send} does). Holds the wallet's lock, so no other transaction of the
     * node takes the nonce meanwhile; the wallet reads the nonce from the chain again afterwards.
     */
    private Hash send(Hash id, String assignment, Payload payload) {
        synchronized (wallet) {
            try {
                long nonce = wallet.nextNonce();
                SignedTransaction tx = signAndJournal(id, assignment, payload, nonce);
                try {
                    client.submit(tx);
                } catch (VerityApiException e) {
                    if (!"BAD_NONCE".equals(e.code())) {
                        throw e;
                    }
                    long fresh = client.account(nodeId).nextNonce();
                    if (fresh == nonce) {
                        throw e;
                    }
                    tx = signAndJournal(id, assignment, payload, fresh);
                    client.submit(tx);
                }
                return tx.hash();
            } finally {
                wallet.resetNonce();
            }
        }
    }

    private SignedTransaction signAndJournal(Hash id, String assignment, Payload payload, long nonce) {
        SignedTransaction tx = wallet.sign(payload, nonce);
        if (journal != null) {
            journal.write(id, assignment, tx);
            afterJournaling.accept(id);
        }
        return tx;
    }

    /**
     * Sends a journaled answer again, never twice: a transaction the chain holds (pending, included or refused in its
     * block) is only awaited; one it does not know is submitted again as it is (a replay answers BAD_NONCE
     * "already submitted") while its nonce is still the node's next one, and otherwise its payload is signed again with
     * a fresh nonce.
     */
    private Hash resend(Hash id, String assignment, SignedTransaction tx) {
        try {
            client.receipt(tx.hash());
            return tx.hash(); // PENDING, INCLUDED or REFUSED: the receipt wait takes it from there
        } catch (VerityApiException e) {
            if (e.httpStatus() != 404) {
                throw e;
            }
        }
        synchronized (wallet) {
            long next = client.account(nodeId).nextNonce();
            if (next != tx.body().nonce()) {
                LOG.info("job {}: the journaled answer's nonce {} is stale (the node's next is {}); signing it again", id.hex(),
                        tx.body().nonce(), next);
                wallet.resetNonce();
                return send(id, assignment, tx.payload());
            }
            try {
                client.submit(tx);
            } catch (VerityApiException e) {
                if (!"BAD_NONCE".equals(e.code()) || e.getMessage() == null || !e.getMessage().contains("already submitted")) {
                    throw e;
                }
            } finally {
                wallet.resetNonce();
            }
            return tx.hash();
        }
    }

    @Override
    public void close() {
        closed.set(true);
        poller.shutdownNow();
        runnerPool.getQueue().clear(); // jobs not started stay unanswered; running ones finish
        runnerPool.shutdown();
        try {
            runnerPool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.shutdownNow();
    }
}
