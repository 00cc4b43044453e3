package dev.verity.compute.verify;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.proofs.trace.TraceTree;
import dev.verity.sdk.DisputeQuery;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.DisputeView;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays every dispute where this node is a party, from its own tree: in each bisection round it posts its
 * node values of the two halves of the disputed range; when the range is one trace index, an honest party
 * proves that step (the chain executes it and whoever's leaf differs loses). A cheated tree never proves.
 */
final class DisputePlayer implements Role {
    private static final Logger LOG = LoggerFactory.getLogger(DisputePlayer.class);

    private final VerityClient client;
    private final Wallet wallet;
    private final Tracer tracer;
    private final Submissions done;
    private final AtomicLong moves = new AtomicLong();
    private final AtomicLong proofs = new AtomicLong();

    DisputePlayer(VerityClient client, Wallet wallet, Tracer tracer) {
        this.client = client;
        this.wallet = wallet;
        this.tracer = tracer;
        this.done = new Submissions(client);
    }

    @Override
    public String name() {
        return "dispute";
    }

    long moves() {
        return moves.get();
    }

    long proofs() {
        return proofs.get();
    }

    @Override
    public void poll() {
        for (DisputeView d : client.disputes(DisputeQuery.withParty(tracer.self()))) {
            try {
                play(d);
            } catch (VerityApiException e) {
                if (e.httpStatus() / 100 != 4) {
                    throw e;
                }
                LOG.warn("dispute over job {}: {}", d.job(), e.getMessage());
            }
        }
    }

    private void play(DisputeView d) {
        boolean defender = tracer.self().hex().equals(d.defender());
        boolean bisect = "BISECT".equals(d.phase());
        if (bisect && (defender ? d.defenderMoved() : d.challengerMoved())) {
            return;
        }
        String key = bisect ? "move:" + d.job() + "@" + d.round() : "step:" + d.job();
        if (!done.due(key)) {
            return;
        }
        Hash job = Hash.fromHex(d.job());
        Optional<JobTrace> mine = tracer.forDispute(job, Hash.fromHex(d.model()), PublicKey.fromHex(d.defender()));
        if (mine.isEmpty()) {
            LOG.warn("dispute over job {}: this node cannot trace model {}", d.job(), d.model());
            done.skip(key);
            return;
        }
        JobTrace t = mine.get();
        String myNode = defender ? d.defenderNode() : d.challengerNode();
        if (!t.node(d.lo(), d.hi()).hex().equals(myNode)) {
            LOG.error("dispute over job {}: this node's tree does not give its own value {} of range [{}, {}); it cannot move",
                    d.job(), myNode, d.lo(), d.hi());
            done.skip(key);
            return;
        }
        if (bisect) {
            long mid = TraceTree.split(d.lo(), d.hi());
            done.sendOnce(key, () -> wallet.disputeMove(job, t.node(d.lo(), mid), t.node(mid, d.hi())));
            moves.incrementAndGet();
            LOG.info("dispute over job {}: moved in round {} on [{}, {})", d.job(), d.round(), d.lo(), d.hi());
        } else if (t.honest()) {
            JobTrace.StepProof p = t.proof(d.lo(), d.agreedLo());
            done.sendOnce(key, () -> wallet.proveStep(job, p.previousValue(), p.previousPath(), p.witness()));
            proofs.incrementAndGet();
            LOG.info("dispute over job {}: proved trace index {}", d.job(), d.lo());
        } else {
            done.skip(key); // a cheated tree has no true step to prove
        }
    }
}
