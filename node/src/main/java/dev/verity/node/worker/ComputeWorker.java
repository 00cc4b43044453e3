package dev.verity.node.worker;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.VerificationMode;
import dev.verity.ledger.evidence.TeeResultStatement;
import dev.verity.node.tee.DevEnclave;
import dev.verity.node.verify.JobTrace;
import dev.verity.node.verify.Tracer;
import dev.verity.sdk.JobQuery;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.TransactionReceipt;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compute node's worker: watches the chain for jobs assigned to its node, runs the model for
 * real, and posts the result with the evidence the job's mode needs (nothing for NONE, the
 * enclave's signature for TEE, the trace claim for OPTIMISTIC and SAMPLED, whose output is the
 * integer engine's and whose trace the {@link Tracer} keeps for a dispute).
 */
public final class ComputeWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ComputeWorker.class);

    /** How often to look for new assignments, and how many jobs to run at once. */
    public record Config(Duration pollInterval, int threads) {
        public static Config defaults() {
            return new Config(Duration.ofMillis(100), 2);
        }
    }

    private static final int POST_ATTEMPTS = 3;
    /** A result the chain refused when it built the block (not for a nonce gap): it is not sent again. */
    private static final String REFUSED_IN_BLOCK = "REFUSED_IN_BLOCK";
    private static final Duration RECEIPT_WAIT = Duration.ofSeconds(30);

    private final VerityClient client;
    private final Wallet wallet;
    private final PublicKey nodeId;
    private final ModelRunners runners;
    private final DevEnclave enclave;
    private final Tracer tracer;
    private final Config config;
    private final ScheduledExecutorService poller;
    private final ExecutorService runnerPool;
    private final Set<Hash> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean paused = new AtomicBoolean();
    private final Set<String> finished = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 10_000;
        }
    }));
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /** A worker for the trusted modes only (NONE, and TEE with an enclave). */
    public ComputeWorker(VerityClient client, Wallet wallet, ModelRunners runners, DevEnclave enclave, Config config) {
        this(client, wallet, runners, enclave, null, config);
    }

    /** A worker that also answers OPTIMISTIC and SAMPLED jobs with {@code tracer}'s traces (null: it does not). */
    public ComputeWorker(VerityClient client, Wallet wallet, ModelRunners runners, DevEnclave enclave, Tracer tracer,
                         Config config) {
        if (tracer != null && !tracer.self().equals(wallet.publicKey())) {
            throw new IllegalArgumentException("the tracer must be the worker's own node's");
        }
        this.client = client;
        this.wallet = wallet;
        this.nodeId = wallet.publicKey();
        this.runners = runners;
        this.enclave = enclave;
        this.tracer = tracer;
        this.config = config;
        String name = "worker-" + nodeId.hex().substring(0, 8);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-poll"));
        this.runnerPool = Executors.newFixedThreadPool(config.threads(), r -> daemon(r, name + "-run"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public PublicKey nodeId() {
        return nodeId;
    }

    public void start() {
        poller.scheduleWithFixedDelay(this::poll, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One assignment of a job: a job that a revocation moved down its fallback ladder can come back to
     * this node under another mode, and must then be answered again.
     */
    private static String assignment(JobView job) {
        return job.id() + "@" + job.assignedAt() + "/" + job.mode();
    }

    /** Stops taking new jobs (jobs already running finish); {@link #resume()} takes them up again. */
    public void pause() {
        paused.set(true);
    }

    public void resume() {
        paused.set(false);
    }

    public long completed() {
        return completed.get();
    }

    public long failures() {
        return failures.get();
    }

    private void poll() {
        try {
            for (JobView job : client.jobs(JobQuery.assignedTo(nodeId))) {
                Hash id = Hash.fromHex(job.id());
                String assignment = assignment(job);
                if (!paused.get() && !finished.contains(assignment) && inFlight.add(id)) {
                    runnerPool.execute(() -> process(id, assignment));
                }
            }
        } catch (VerityApiException e) {
            LOG.debug("poll failed: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("poll failed", e);
        }
    }

    private void process(Hash id, String assignment) {
        try {
            JobView job = client.job(id);
            if (!"ASSIGNED".equals(job.status()) || !nodeId.hex().equals(job.assignedNode())) {
                finished.add(assignment);
                return;
            }
            Hash model = Hash.fromHex(job.model());
            byte[] input = Base64.getDecoder().decode(job.input());
            VerificationMode mode = VerificationMode.parse(job.mode());
            if (mode == VerificationMode.OPTIMISTIC || mode == VerificationMode.SAMPLED) {
                JobTrace trace = provable(id, model, mode, input);
                post(id, trace.output(), trace.evidence());
                finished.add(assignment);
                completed.incrementAndGet();
                return;
            }
            Optional<ModelRunner> runner = runners.forModel(model);
            if (runner.isEmpty()) {
                LOG.warn("job {} needs model {} which is not in this node's store", id.hex(), model.hex());
                finished.add(assignment);
                return;
            }
            byte[] output = runner.get().run(input, mode);
            byte[] evidence = evidence(job, model, output);
            post(id, output, evidence);
            finished.add(assignment);
            completed.incrementAndGet();
        } catch (VerityApiException e) {
            failures.incrementAndGet();
            if (e.code() != null && (e.code().equals("JOB_NOT_OPEN") || e.code().equals("NOT_ASSIGNED")
                    || e.code().equals(REFUSED_IN_BLOCK))) {
                finished.add(assignment);
            }
            LOG.warn("job {}: result not accepted: {}", id.hex(), e.getMessage());
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            finished.add(assignment);
            LOG.warn("job {} failed: {}", id.hex(), e.getMessage());
        } finally {
            inFlight.remove(id);
        }
    }

    /**
     * Posts a result and waits for its block. A transaction of this node refused in an earlier position of the
     * same block (a challenge another watcher beat, say) leaves a nonce gap that refuses the result too; the
     * result is then signed again with the chain's nonce, up to {@value #POST_ATTEMPTS} times.
     */
    private void post(Hash id, byte[] output, byte[] evidence) {
        for (int attempt = 1; ; attempt++) {
            TransactionReceipt r = client.awaitReceipt(wallet.submitResult(id, output, evidence), RECEIPT_WAIT);
            if (!"REFUSED".equals(r.status())) {
                return;
            }
            if (attempt == POST_ATTEMPTS || r.error() == null || !r.error().startsWith("BAD_NONCE")) {
                throw new VerityApiException(REFUSED_IN_BLOCK, "the result was refused in its block: " + r.error(), 400);
            }
            LOG.info("job {}: result refused behind a refused transaction ({}); posting it again", id.hex(), r.error());
            wallet.resetNonce();
        }
    }

    /** The trace this node commits to for a provable job (its output is the integer engine's). */
    private JobTrace provable(Hash id, Hash model, VerificationMode mode, byte[] input) {
        if (tracer == null) {
            throw new IllegalStateException("a " + mode + " job was assigned but this worker has no tracer for provable modes");
        }
        return tracer.ownResult(id, model, input).orElseThrow(() -> new IllegalStateException("a " + mode
                + " job was assigned but model " + model.hex() + " has no package here whose program is the chain's"));
    }

    private byte[] evidence(JobView job, Hash model, byte[] output) {
        VerificationMode mode = VerificationMode.parse(job.mode());
        return switch (mode) {
            case NONE -> new byte[0];
            case TEE -> {
                if (enclave == null) {
                    throw new IllegalStateException("a TEE job was assigned but this node runs no enclave");
                }
                yield enclave.sign(new TeeResultStatement(Hash.fromHex(job.id()), model, Hash.fromHex(job.inputHash()),
                        dev.verity.core.Sha256.digest(output)));
            }
            default -> throw new IllegalStateException("mode " + mode + " is not served by this worker yet");
        };
    }

    @Override
    public void close() {
        poller.shutdownNow();
        runnerPool.shutdown();
        try {
            runnerPool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
