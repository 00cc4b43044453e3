package dev.verity.ledger;

import static dev.verity.ledger.TestChain.ALICE;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.ledger.state.DisputeRecord;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.ResultClaim;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A test chain with {@link TinyProgram} registered as a provable model and nodes that serve it. */
final class ProvableWorld {
    static final long STAKE = 1_000 * TestChain.VRT;
    static final Hash MODEL = TestChain.modelHash("tiny-mlp");

    final TestChain chain;
    final Random rnd;

    ProvableWorld(Map<String, ?> params, long seed, PrivateKey... nodes) {
        chain = new TestChain(TestChain.params(params));
        rnd = new Random(seed);
        chain.block(chain.sign(ALICE, new Payload.RegisterModel(MODEL, "tiny-mlp", "16 float32", "4 float32", 2_000_000,
                new InputSchema.Float32Tensor(List.of(TinyProgram.INPUTS), Float.floatToIntBits(-1e6f), Float.floatToIntBits(1e6f)))));
        chain.block(chain.sign(ALICE, new Payload.RegisterProgram(MODEL, TinyProgram.COMMITMENT.root(),
                TinyProgram.COMMITMENT.leafCount(), TinyProgram.COMMITMENT.stepCount())));
        SignedTransaction[] regs = new SignedTransaction[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            regs[i] = chain.registerNode(nodes[i], STAKE, List.of(MODEL), VerificationMode.OPTIMISTIC, VerificationMode.SAMPLED);
        }
        chain.block(regs);
    }

    long traceSize() {
        return TinyProgram.COMMITMENT.stepCount() + 2L;
    }

    /** Submits a job with a fresh input in a block; it is assigned at that block's end. */
    Hash submit(VerificationMode mode, byte[] input) {
        SignedTransaction tx = chain.submitJob(ALICE, MODEL, input, mode, List.of(), 10_000, 5);
        chain.block(tx);
        return tx.hash();
    }

    byte[] input(Hash job) {
        return chain.input(job);
    }

    JobRecord job(Hash id) {
        return chain.job(id);
    }

    ResultClaim claim(Hash id) {
        return chain.ledger.state().claims.get(id);
    }

    DisputeRecord dispute(Hash id) {
        return chain.ledger.state().disputes.get(id);
    }

    PrivateKey assigned(Hash job) {
        return TestChain.privateKeyOf(chain.job(job).assignedNode());
    }

    /** The assigned node's claim made the {@code kind} way (copying {@code copied} for COPY). */
    TraceParty resultParty(Hash job, TraceParty.Kind kind, byte[] copied) {
        PrivateKey node = assigned(job);
        return TraceParty.of(node, job, node.publicKey(), input(job), kind, rnd, copied);
    }

    /** {@code who}'s claim about the tree the result's node should have committed. */
    TraceParty otherParty(PrivateKey who, Hash job, TraceParty.Kind kind) {
        return TraceParty.of(who, job, claim(job).node(), input(job), kind, rnd, null);
    }

    /**
     * Plays the dispute over {@code job} to its end, one block per round: each party moves unless it has
     * stopped (a party stops after {@code stopAfter} moves; -1 never), and the first party able to prove
     * the single step (an honest one) proves it. Returns the number of blocks played.
     */
    int play(Hash job, TraceParty defender, TraceParty challenger, int defenderStopsAfter, int challengerStopsAfter) {
        int blocks = 0;
        while (dispute(job) != null) {
            DisputeRecord d = dispute(job);
            java.util.List<SignedTransaction> txs = new java.util.ArrayList<>();
            if (d.phase() == dev.verity.ledger.state.DisputePhase.BISECT) {
                if (d.defenderMove() == null && (defenderStopsAfter < 0 || d.defenderMoves() < defenderStopsAfter)) {
                    txs.add(chain.sign(defender.key, defender.move(d)));
                }
                if (d.challengerMove() == null && (challengerStopsAfter < 0 || d.challengerMoves() < challengerStopsAfter)) {
                    txs.add(chain.sign(challenger.key, challenger.move(d)));
                }
            } else {
                TraceParty prover = defender.honest() && defenderStopsAfter < 0 ? defender
                        : challenger.honest() && challengerStopsAfter < 0 ? challenger : null;
                if (prover != null) {
                    txs.add(chain.sign(prover.key, prover.proof(d)));
                }
            }
            chain.block(txs.toArray(new SignedTransaction[0]));
            blocks++;
            if (blocks > 200) {
                throw new AssertionError("the dispute over " + job.hex() + " did not end");
            }
        }
        return blocks;
    }

    PublicKey key(PrivateKey k) {
        return k.publicKey();
    }
}
