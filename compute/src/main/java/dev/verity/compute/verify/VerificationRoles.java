package dev.verity.compute.verify;

import dev.verity.core.Hash;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.NodeView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compute node's verification duties beside answering its own jobs: the {@link Watcher} (challenges wrong
 * OPTIMISTIC results on the models the node serves), the {@link Auditor} (answers the SAMPLED audits
 * assigned to it) and the {@link DisputePlayer} (plays every dispute the node is a party of, which a node
 * serving a provable mode must). Each enabled role polls the node's API on its own thread, so a long
 * re-run never delays a dispute move. Shares the node's {@link Wallet}, so nonces stay in order.
 */
public final class VerificationRoles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VerificationRoles.class);

    /** Which duties are on, and how often each looks at the chain. */
    public record Config(boolean watch, boolean audit, boolean playDisputes, Duration pollInterval) {
        public Config {
            if (pollInterval.isNegative() || pollInterval.isZero()) {
                throw new IllegalArgumentException("the poll interval must be positive, got " + pollInterval);
            }
        }

        /** Every duty on, polling every 100 ms. */
        public static Config all() {
            return new Config(true, true, true, Duration.ofMillis(100));
        }

        /** Only the disputes of the node's own results (no watching, no audits). */
        public static Config disputesOnly() {
            return new Config(false, false, true, Duration.ofMillis(100));
        }

        public Config withPollInterval(Duration d) {
            return new Config(watch, audit, playDisputes, d);
        }
    }

    private final Config config;
    private final Watcher watcher;
    private final Auditor auditor;
    private final DisputePlayer player;
    private final List<Role> roles = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final ServedModels served;

    public VerificationRoles(VerityClient client, Wallet wallet, Tracer tracer, Config config) {
        if (!wallet.publicKey().equals(tracer.self())) {
            throw new IllegalArgumentException("the wallet and the tracer must be the same node's");
        }
        this.config = config;
        this.served = new ServedModels(client, tracer);
        this.watcher = config.watch() ? new Watcher(client, wallet, tracer, served::models) : null;
        this.auditor = config.audit() ? new Auditor(client, wallet, tracer) : null;
        this.player = config.playDisputes() ? new DisputePlayer(client, wallet, tracer) : null;
        for (Role r : new Role[] {watcher, auditor, player}) {
            if (r != null) {
                roles.add(r);
            }
        }
        String name = "verify-" + tracer.self().hex().substring(0, 8);
        this.scheduler = Executors.newScheduledThreadPool(Math.max(1, roles.size()), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        long ms = config.pollInterval().toMillis();
        for (Role r : roles) {
            scheduler.scheduleWithFixedDelay(() -> safely(r), 0, ms, TimeUnit.MILLISECONDS);
        }
    }

    private static void safely(Role r) {
        try {
            r.poll();
        } catch (VerityApiException e) {
            LOG.debug("{} poll failed: {}", r.name(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{} poll failed", r.name(), e);
        }
    }

    /** Names of the roles that are on. */
    public List<String> roles() {
        return roles.stream().map(Role::name).toList();
    }

    public long challenges() {
        return watcher == null ? 0 : watcher.challenges();
    }

    public long auditReports() {
        return auditor == null ? 0 : auditor.reports();
    }

    public long disputeMoves() {
        return player == null ? 0 : player.moves();
    }

    public long stepProofs() {
        return player == null ? 0 : player.proofs();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The models the watcher looks at: those the node is registered for on the chain that it can trace,
     * looked up again every few seconds (a node may bond for more models).
     */
    private static final class ServedModels {
        private static final long REFRESH_NANOS = Duration.ofSeconds(5).toNanos();

        private final VerityClient client;
        private final Tracer tracer;
        private List<Hash> models = List.of();
        private long fetchedAt;
        private boolean fetched;

        ServedModels(VerityClient client, Tracer tracer) {
            this.client = client;
            this.tracer = tracer;
        }

        synchronized List<Hash> models() {
            long now = System.nanoTime();
            if (!fetched || now - fetchedAt > REFRESH_NANOS) {
                NodeView node = client.node(tracer.self());
                models = node.models().stream().map(Hash::fromHex)
                        .filter(m -> tracer.programs().forModel(m).isPresent()).toList();
                fetchedAt = now;
                fetched = true;
            }
            return models;
        }
    }
}
