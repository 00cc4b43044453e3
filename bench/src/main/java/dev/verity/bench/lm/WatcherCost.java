package dev.verity.bench.lm;

import dev.verity.core.Hash;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.State;
import dev.verity.inference.engine.Step;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.trace.DecoderCommitment;
import dev.verity.inference.trace.OneStepProver;
import dev.verity.inference.trace.OneStepVerifier;
import dev.verity.inference.trace.OpLeaf;
import dev.verity.inference.trace.StepWitness;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * What the chain pays for one step of one token's forward pass in a dispute, against the node's whole forward pass:
 * for every op step of the step program at one real position, the {@link StepWitness} a party would hand in (its
 * encoded size) and the time of {@link OneStepVerifier#transition} on it, decoding included (what
 * {@code DisputeRules.proveStep} runs). The op leaves come from the {@link DecoderCommitment} the chain registers. Steps are timed in
 * rounds over the whole plan, so that each is timed with the verifier's code compiled.
 */
public final class WatcherCost {
    /** One op step: trace index {@code step + 1}. */
    public record StepCost(int step, String op, String output, int slice, int sliceCount, int witnessBytes,
                           int opLeafBytes, long verifyNanos) {}

    /** Every step's cost, and the forward passes they compare with. */
    public record Result(int steps, int ops, List<StepCost> costs, long forwardScalarNanos, long forwardVectorNanos) {
        public StepCost largestWitness() {
            StepCost best = costs.get(0);
            for (StepCost c : costs) {
                best = c.witnessBytes() > best.witnessBytes() ? c : best;
            }
            return best;
        }

        public StepCost slowest() {
            StepCost best = costs.get(0);
            for (StepCost c : costs) {
                best = c.verifyNanos() > best.verifyNanos() ? c : best;
            }
            return best;
        }

        public long totalVerifyNanos() {
            return costs.stream().mapToLong(StepCost::verifyNanos).sum();
        }
    }

    private WatcherCost() {}

    /**
     * Measures every op step for the run that feeds {@code inputs} (token, position and the caches before it): each
     * witness is checked to verify to the engine's own state hash first; times are medians of {@code runs} after
     * {@code runs} warm-ups.
     */
    public static Result measure(DecoderStep decoder, int endToken, SortedMap<String, Tensor> inputs, int runs) {
        Program program = decoder.program();
        DecoderCommitment commitment = new DecoderCommitment(decoder, endToken);
        IntegerEngine engine = new IntegerEngine(program, EngineOptions.SCALAR);
        List<Step> plan = engine.plan();
        List<byte[]> witnesses = new ArrayList<>();
        List<Hash> hashes = new ArrayList<>();
        State state = engine.initialState(inputs);
        hashes.add(state.hash());
        for (Step step : plan) {
            witnesses.add(OneStepProver.opWitness(commitment, step, state).encode());
            state = engine.runStep(step.index(), state).state();
            hashes.add(state.hash());
        }
        // every step once to check it, then rounds over all steps (the first half warm-up), each step timed once a round
        long[][] nanos = new long[plan.size()][runs];
        for (int r = -runs - 1; r < runs; r++) {
            for (Step step : plan) {
                int s = step.index();
                long start = System.nanoTime();
                Hash got = OneStepVerifier.transition(commitment.root(), commitment.leafCount(), commitment.stepCount(), s + 1,
                        hashes.get(s), null, StepWitness.decode(witnesses.get(s), Integer.MAX_VALUE));
                long elapsed = System.nanoTime() - start;
                if (!got.equals(hashes.get(s + 1))) {
                    throw new IllegalStateException("step " + s + " verifies to " + got + ", the engine's state is "
                            + hashes.get(s + 1));
                }
                if (r >= 0) {
                    nanos[s][r] = elapsed;
                }
            }
        }
        List<StepCost> costs = new ArrayList<>();
        for (Step step : plan) {
            OpLeaf op = commitment.opLeaf(step.opIndex());
            costs.add(new StepCost(step.index(), op.op().getClass().getSimpleName(), step.output(), step.slice(),
                    step.sliceCount(), witnesses.get(step.index()).length, op.encode().length,
                    Timing.median(nanos[step.index()])));
        }
        IntegerEngine vector = new IntegerEngine(program, EngineOptions.VECTORIZED);
        long scalarPass = Timing.medianNanos(runs, runs, () -> engine.run(inputs));
        long vectorPass = Timing.medianNanos(runs, runs, () -> vector.run(inputs));
        return new Result(plan.size(), program.ops().size(), costs, scalarPass, vectorPass);
    }
}
