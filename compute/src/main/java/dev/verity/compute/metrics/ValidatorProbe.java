package dev.verity.compute.metrics;

import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.service.metrics.ReadinessCheck;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a compute node reaches a validator: in the background, every {@code interval}, it asks for the chain's
 * status through one failover client over the node's validator URLs, so that a readiness probe reads the last answer
 * at once. Not ready until the first answer, and while no validator answers (the reason names each URL and why).
 */
public final class ValidatorProbe implements ReadinessCheck, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ValidatorProbe.class);
    /** How often the validators are asked by default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    private final VerityClient client;
    private final ScheduledExecutorService timer;
    private static final String NOT_ASKED = "no validator has been asked yet";

    private volatile String problem = NOT_ASKED;

    /** Starts asking the validators at {@code urls}, each call waiting at most {@code interval} (at least 1 s). */
    public ValidatorProbe(List<String> urls, Duration interval) {
        Duration timeout = interval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : interval;
        this.client = VerityClient.failover(urls, timeout, timeout);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "validator-probe");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probe() {
        String before = problem;
        String now;
        try {
            client.status();
            now = null;
        } catch (VerityApiException e) {
            now = e.getMessage();
        } catch (RuntimeException e) {
            now = e.toString();
        }
        problem = now;
        if (now != null && (before == null || before.equals(NOT_ASKED))) {
            LOG.warn("not ready: {}", now);
        } else if (now == null && before != null) {
            LOG.info("ready: the validator at {} answers", client.baseUrl());
        }
    }

    /** True when the last probe found a validator. */
    public boolean reachable() {
        return problem == null;
    }

    /** The validator that answered last (or is asked first next time). */
    public String validator() {
        return client.baseUrl().toString();
    }

    @Override
    public Optional<String> problem() {
        String p = problem;
        return p == null ? Optional.empty() : Optional.of("cannot reach a validator: " + p);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        client.close();
    }
}
