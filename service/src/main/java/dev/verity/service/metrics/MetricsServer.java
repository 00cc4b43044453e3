package dev.verity.service.metrics;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /healthz}, {@code /readyz} and {@code /metrics} on their own port, for a process without the validator's API
 * (a compute node): {@code new MetricsServer(registry, "127.0.0.1", 9464).addReadinessCheck(...).start()}.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final PrometheusMeterRegistry registry;
    private final String host;
    private final int requestedPort;
    private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();
    private Javalin app;

    /** A server for {@code registry} on {@code host}:{@code port} (0: any free port); call {@link #start()}. */
    public MetricsServer(PrometheusMeterRegistry registry, String host, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the metrics port must be 0 to 65535, got " + port);
        }
        this.registry = registry;
        this.host = host;
        this.requestedPort = port;
    }

    public MetricsServer addReadinessCheck(ReadinessCheck check) {
        checks.add(check);
        return this;
    }

    public synchronized MetricsServer start() {
        if (app != null) {
            throw new IllegalStateException("the metrics server is already started");
        }
        Javalin a = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
        });
        HealthRoutes.install(a, registry, () -> List.copyOf(checks));
        try {
            a.start(host, requestedPort);
        } catch (RuntimeException e) {
            a.stop();
            throw new IllegalStateException("cannot start the metrics server on " + host + ":" + requestedPort + ": "
                    + e.getMessage(), e);
        }
        app = a;
        LOG.info("metrics on {}/metrics", url());
        return this;
    }

    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("the metrics server is not started");
        }
        return app.port();
    }

    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    @Override
    public synchronized void close() {
        if (app != null) {
            app.stop();
        }
    }
}
