package dev.verity.compute.verify;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.sdk.ClaimQuery;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.ClaimView;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the SAMPLED audits the chain assigns to this node: re-runs the job, builds the tree the result's
 * node should have committed and reports it. A matching root pays the audit fee; a differing one opens a
 * dispute, which the {@link DisputePlayer} plays. An audit reassigned to this node later is a new duty.
 */
final class Auditor implements Role {
    private static final Logger LOG = LoggerFactory.getLogger(Auditor.class);

    private final VerityClient client;
    private final Wallet wallet;
    private final Tracer tracer;
    private final Submissions done;
    private final AtomicLong reports = new AtomicLong();

    Auditor(VerityClient client, Wallet wallet, Tracer tracer) {
        this.client = client;
        this.wallet = wallet;
        this.tracer = tracer;
        this.done = new Submissions(client);
    }

    @Override
    public String name() {
        return "audit";
    }

    long reports() {
        return reports.get();
    }

    @Override
    public void poll() {
        for (ClaimView c : client.claims(ClaimQuery.auditsFor(tracer.self()))) {
            String key = "audit:" + c.job() + "@" + c.phaseEnds();
            if (done.due(key)) {
                audit(c, key);
            }
        }
    }

    private void audit(ClaimView c, String key) {
        Hash job = Hash.fromHex(c.job());
        byte[] input = Base64.getDecoder().decode(client.job(job).input());
        Optional<JobTrace> trace = tracer.expected(job, Hash.fromHex(c.model()), PublicKey.fromHex(c.node()), input);
        if (trace.isEmpty()) {
            LOG.warn("audit of job {} assigned to this node, but it cannot trace model {}", c.job(), c.model());
            done.skip(key);
            return;
        }
        JobTrace t = trace.get();
        try {
            done.sendOnce(key, () -> wallet.auditReport(job, t.output(), t.evidence()));
            reports.incrementAndGet();
            LOG.info("audited job {} of node {}: trace root {} ({})", c.job(), c.node(), t.root().hex(),
                    t.root().hex().equals(c.root()) ? "the same as posted" : "differs from the posted " + c.root());
        } catch (VerityApiException e) {
            if (e.httpStatus() / 100 != 4) {
                throw e;
            }
            done.skip(key);
            LOG.warn("could not report the audit of job {}: {}", c.job(), e.getMessage());
        }
    }
}
