package dev.verity.compute.verify;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.sdk.ClaimQuery;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.ClaimView;
import dev.verity.sdk.api.JobView;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps OPTIMISTIC results honest: re-runs every result in its challenge window on the models this node
 * serves (not its own), builds the tree the result's node should have committed, and challenges when the
 * posted root differs, escrowing the challenger bond from the node's balance. Each result is checked once.
 */
final class Watcher implements Role {
    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);

    private final VerityClient client;
    private final Wallet wallet;
    private final Tracer tracer;
    private final Supplier<Iterable<Hash>> models;
    private final Submissions done;
    private final AtomicLong challenges = new AtomicLong();

    Watcher(VerityClient client, Wallet wallet, Tracer tracer, Supplier<Iterable<Hash>> models) {
        this.client = client;
        this.wallet = wallet;
        this.tracer = tracer;
        this.models = models;
        this.done = new Submissions(client);
    }

    @Override
    public String name() {
        return "watch";
    }

    long challenges() {
        return challenges.get();
    }

    @Override
    public void poll() {
        PublicKey self = tracer.self();
        for (Hash model : models.get()) {
            for (ClaimView c : client.claims(ClaimQuery.challengeable(model))) {
                String key = "check:" + c.job();
                if (!self.hex().equals(c.node()) && done.due(key)) {
                    check(c, key);
                }
            }
        }
    }

    private void check(ClaimView c, String key) {
        Hash job = Hash.fromHex(c.job());
        JobView view = client.job(job);
        Optional<JobTrace> expected = tracer.expected(job, Hash.fromHex(c.model()), PublicKey.fromHex(c.node()),
                Base64.getDecoder().decode(view.input()));
        if (expected.isEmpty()) {
            done.skip(key);
            return;
        }
        JobTrace t = expected.get();
        if (t.root().hex().equals(c.root())) {
            done.skip(key);
            return;
        }
        try {
            done.sendOnce(key, () -> wallet.challenge(job, t.output(), t.evidence()));
            challenges.incrementAndGet();
            LOG.info("challenged the result of node {} on job {}: its trace root {} is not the honest run's {}",
                    c.node(), c.job(), c.root(), t.root().hex());
        } catch (VerityApiException e) {
            if (e.httpStatus() / 100 != 4) {
                throw e;
            }
            done.skip(key);
            LOG.warn("could not challenge the result of node {} on job {}: {}", c.node(), c.job(), e.getMessage());
        }
    }
}
