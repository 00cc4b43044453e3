package dev.verity.compute.metrics;

import dev.verity.compute.worker.ComputeWorker;
import dev.verity.service.metrics.MetricsServer;
import dev.verity.service.metrics.ReadinessCheck;
import dev.verity.service.metrics.Registries;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/**
 * A compute node's own {@code /healthz}, {@code /readyz} and Prometheus {@code /metrics} ({@link MetricsServer} on a
 * host and port of its own): the worker's {@link WorkerMetrics} with the device in use, the JVM's, and
 * {@code verity_node_validator_reachable}. Ready while a validator answers ({@link ValidatorProbe}) and the worker
 * takes jobs (not paused, not stopping).
 */
public final class NodeMonitor implements AutoCloseable {
    /** The reason {@code /readyz} gives while the worker takes no new jobs. */
    public static final String WORKER_PAUSED = "the worker takes no new jobs: it is paused or stopping";

    private final PrometheusMeterRegistry registry;
    private final ValidatorProbe probe;
    private final MetricsServer server;

    private NodeMonitor(PrometheusMeterRegistry registry, ValidatorProbe probe, MetricsServer server) {
        this.registry = registry;
        this.probe = probe;
        this.server = server;
    }

    /**
     * Records {@code worker}'s metrics (running on {@code device}, e.g. {@code cpu} or {@code cuda:0}) from now on and
     * serves them on {@code host}:{@code port} (0: any free port), with readiness over the validators at {@code urls}.
     *
     * @throws IllegalStateException when the server cannot listen there (the message says where and why)
     */
    public static NodeMonitor start(ComputeWorker worker, List<String> urls, String device, String host, int port) {
        PrometheusMeterRegistry registry = Registries.prometheus();
        worker.metrics(new WorkerMetrics(registry, device));
        ValidatorProbe probe = new ValidatorProbe(urls, ValidatorProbe.DEFAULT_INTERVAL);
        Gauge.builder("verity.node.validator.reachable", probe, p -> p.reachable() ? 1 : 0)
                .description("1 while the last probe found a validator that answers, else 0").register(registry);
        MetricsServer server = new MetricsServer(registry, host, port)
                .addReadinessCheck(probe)
                .addReadinessCheck(ReadinessCheck.unless(worker::paused, WORKER_PAUSED));
        try {
            server.start();
        } catch (RuntimeException e) {
            probe.close();
            throw e;
        }
        return new NodeMonitor(registry, probe, server);
    }

    /** Where the endpoints are: {@code http://HOST:PORT}. */
    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            probe.close();
        }
    }
}
