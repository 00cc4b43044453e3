package dev.verity.bench.lm;

import dev.verity.core.Hash;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.generate.GenerationJob;
import dev.verity.inference.generate.GenerationParameters;
import dev.verity.inference.generate.TokenListener;
import dev.verity.inference.trace.DecoderCommitment;
import dev.verity.inference.trace.GenerationStepVerifier;
import dev.verity.inference.trace.GenerationTrace;
import dev.verity.inference.trace.GenerationTracer;
import dev.verity.inference.trace.GenerationWitness;
import dev.verity.inference.trace.TraceValues;
import dev.verity.proofs.trace.TraceTree;
import java.util.ArrayList;
import java.util.List;

/**
 * What a provable generation job costs: the node's trace of every forward pass and draw (the honest node's and every
 * watcher's work), the tree over it, and the chain's one-step checks of the transitions a generation adds (into the
 * first pass, a draw between passes, the last draw into the output), each with its witness size.
 */
public final class GenerationTraceCost {
    /** One kind of transition: its trace index, witness size and median check time. */
    public record Transition(String what, long index, int witnessBytes, long verifyNanos) {}

    /**
     * @param traceNanos the whole trace (median), engine runs, hashes and draws
     * @param treeNanos  the trace tree over its values (median)
     */
    public record Result(int promptTokens, int generatedTokens, int passes, long traceValues, int bisectionRounds,
                         long traceNanos, long treeNanos, List<Transition> transitions) {}

    private GenerationTraceCost() {}

    /** Greedy generation of {@code maxTokens} after {@code prompt} (no end token, so all are generated). */
    public static Result measure(DecoderStep step, int[] prompt, int maxTokens, int runs) {
        DecoderCommitment commitment = new DecoderCommitment(step, GenerationParameters.NO_END_TOKEN);
        GenerationTracer tracer = new GenerationTracer(commitment, new IntegerEngine(step.program(), EngineOptions.VECTORIZED));
        GenerationJob job = new GenerationJob(prompt, maxTokens, 0, 1000, List.of(), new byte[32]);
        TraceValues values = tracer.trace(job, TokenListener.NONE);
        long traceNanos = Timing.medianNanos(runs, runs, () -> tracer.trace(job, TokenListener.NONE));
        Hash node = Hash.ZERO;
        long treeNanos = Timing.medianNanos(runs, runs,
                () -> new TraceTree(node, dev.verity.core.PrivateKey.fromSeed(new byte[32]).publicKey(), values.values()).root());
        GenerationTrace layout = tracer.layout(job);
        List<Transition> transitions = new ArrayList<>();
        transitions.add(check(commitment, tracer, job, values, "into the first pass (start witness)", 0, runs));
        transitions.add(check(commitment, tracer, job, values, "a prompt token fed (boundary witness)", layout.index(1, 0), runs));
        transitions.add(check(commitment, tracer, job, values, "the first draw, fed to the next pass (boundary witness)",
                layout.index(prompt.length, 0), runs));
        transitions.add(check(commitment, tracer, job, values, "the last draw into the output (boundary witness)",
                layout.size() - 1, runs));
        return new Result(prompt.length, maxTokens, (int) layout.passes(), layout.size(), TraceTree.depth(layout.size()),
                traceNanos, treeNanos, transitions);
    }

    private static Transition check(DecoderCommitment c, GenerationTracer tracer, GenerationJob job, TraceValues values,
                                    String what, long index, int runs) {
        byte[] witness = tracer.witness(job, index).encode();
        Hash previous = index == 0 ? null : values.values().get((int) index - 1);
        Hash expected = values.values().get((int) index);
        Runnable verify = () -> {
            Hash got = GenerationStepVerifier.transition(c.root(), c.leafCount(), c.stepCount(), index, previous, job,
                    GenerationWitness.decode(witness, Integer.MAX_VALUE));
            if (!got.equals(expected)) {
                throw new IllegalStateException("trace index " + index + " verifies to " + got + ", the trace holds " + expected);
            }
        };
        return new Transition(what, index, witness.length, Timing.medianNanos(runs, runs, verify));
    }
}
