package dev.verity.compute.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A compute node worker's metrics, tagged with its node id (the first 16 hex digits), so that the workers of one
 * process (the devnet's) can share a registry: jobs by how they ended and mode, answers posted by mode and reason,
 * answers the chain did not accept, inference latency by model and mode (a histogram), jobs running and queued here
 * and assigned on chain, the device in use, and the fees earned and penalties the chain records for the node.
 * {@link #NONE} records nothing.
 */
public final class WorkerMetrics {
    /** Records nothing: the worker's default. */
    public static final WorkerMetrics NONE = new WorkerMetrics(null, null);
    /** How often a worker reads its node's earnings and penalties from the chain. */
    public static final Duration NODE_VIEW_INTERVAL = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final String device;
    private Tags node = Tags.empty();
    private final AtomicLong earned = new AtomicLong();
    private final AtomicLong penalized = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong assigned = new AtomicLong();

    /** How a job the worker took ended, the {@code status} of {@code verity_worker_jobs_total}. */
    public enum JobOutcome {
        /** Its result was included. */
        RESULT,
        /** Its failure report was included. */
        FAILURE,
        /** The chain refused the node's answer for good, and the NODE_FAULT report that replaced it too. */
        REFUSED,
        /** It was no longer the node's to answer (reassigned, expired) when the worker came to it. */
        DROPPED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Metrics in {@code registry}, for a worker that runs its models on {@code device} ({@code cpu} today). */
    public WorkerMetrics(MeterRegistry registry, String device) {
        this.registry = registry;
        this.device = device;
    }

    /** Metrics in {@code registry} for a worker on the CPU. */
    public WorkerMetrics(MeterRegistry registry) {
        this(registry, "cpu");
    }

    public boolean enabled() {
        return registry != null;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Called once by the worker when it takes these metrics: its node id, its running and queued job counts. */
    public synchronized void bind(String nodeIdHex, Supplier<Number> inFlight, Supplier<Number> queued) {
        if (!enabled()) {
            return;
        }
        node = Tags.of("node", nodeIdHex.substring(0, Math.min(16, nodeIdHex.length())));
        Gauge.builder("verity.worker.jobs.in.flight", inFlight, s -> s.get().doubleValue()).tags(node)
                .description("jobs the worker is running or has queued to run").strongReference(true).register(registry);
        Gauge.builder("verity.worker.jobs.queued", queued, s -> s.get().doubleValue()).tags(node)
                .description("jobs waiting for a free runner thread").strongReference(true).register(registry);
        Gauge.builder("verity.worker.device", () -> 1).tags(node.and("device", device))
                .description("the device the worker runs its models on (the value is always 1)").register(registry);
        Gauge.builder("verity.worker.fees.earned", earned, AtomicLong::get).tags(node).baseUnit("base_units")
                .description("fees the chain paid the node (NodeView.earned)").register(registry);
        Gauge.builder("verity.worker.penalties", penalized, AtomicLong::get).tags(node).baseUnit("base_units")
                .description("penalties the chain took from the node (NodeView.penalized)").register(registry);
        Gauge.builder("verity.worker.jobs.completed.onchain", completed, AtomicLong::get).tags(node)
                .description("jobs the chain counts as completed by the node (NodeView.jobsCompleted)").register(registry);
        Gauge.builder("verity.worker.jobs.assigned.onchain", assigned, AtomicLong::get).tags(node)
                .description("jobs the chain has assigned to the node that wait for its answer (NodeView.jobsInFlight)")
                .register(registry);
    }

    /** A job the worker took ended as {@code outcome}. */
    public void job(String mode, JobOutcome outcome) {
        if (enabled()) {
            Counter.builder("verity.worker.jobs").tags(node.and("mode", mode, "status", outcome.label()))
                    .description("jobs the worker took, by how they ended (result, failure, refused, dropped) and mode")
                    .register(registry).increment();
        }
    }

    /** A result posted and included. */
    public void result(String mode) {
        if (enabled()) {
            Counter.builder("verity.worker.results").tags(node.and("mode", mode)).description("results posted and included")
                    .register(registry).increment();
        }
    }

    /** A failure report posted and included. */
    public void failure(String mode, String reason) {
        if (enabled()) {
            Counter.builder("verity.worker.failures").tags(node.and("mode", mode, "reason", reason))
                    .description("failure reports posted and included, by reason").register(registry).increment();
        }
    }

    /** An answer the chain refused or that could not be sent, with the error code ({@code NONE} without one). */
    public void unaccepted(String mode, String code) {
        if (enabled()) {
            Counter.builder("verity.worker.answers.unaccepted").tags(node.and("mode", mode, "code", code == null ? "NONE" : code))
                    .description("answers the chain refused or that could not be sent").register(registry).increment();
        }
    }

    /** One run of a model for a job (whatever its outcome). */
    public void inference(String model, String mode, long nanos) {
        if (enabled()) {
            Timer.builder("verity.worker.inference")
                    .tags(node.and("model", model == null ? "unknown" : model.substring(0, Math.min(16, model.length())), "mode", mode))
                    .description("time to compute a job's answer, by model and mode")
                    .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofMinutes(5)).register(registry)
                    .record(Duration.ofNanos(nanos));
        }
    }

    /** What the chain records for the node: fees earned, penalties, jobs completed and jobs assigned now. */
    public void nodeView(long earnedBaseUnits, long penalizedBaseUnits, long jobsCompleted, long jobsAssigned) {
        earned.set(earnedBaseUnits);
        penalized.set(penalizedBaseUnits);
        completed.set(jobsCompleted);
        assigned.set(jobsAssigned);
    }
}
