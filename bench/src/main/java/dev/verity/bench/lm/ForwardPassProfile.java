package dev.verity.bench.lm;

import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.OpOutput;
import dev.verity.inference.engine.State;
import dev.verity.inference.engine.Step;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where one forward pass of the integer engine spends its time. Each step runs as {@link IntegerEngine#run} runs it
 * ({@link IntegerEngine#runStep}: kernel, the state after it, its SHA-256 state hash), and its kernel alone
 * ({@link IntegerEngine#computeSlice} into a fresh output) is timed again beside it; the trace's share is the difference.
 * Medians per part over runs.
 *
 * @param kernelNanosByOp kernel time per op kind (the op writing the logits apart)
 * @param stepsByOp       engine steps per op kind
 * @param inputNanos      the state before step 0: the inputs (token, position, caches) copied in and hashed
 * @param traceNanos      the steps' time less their kernels: building each state and hashing it
 * @param stepNanos       the steps' whole time (with {@code inputNanos}, about one {@code IntegerEngine.run})
 * @param hashedBytes     bytes of new tensor leaves hashed per pass: each step's output, whole, even for one slice of it
 */
public record ForwardPassProfile(SortedMap<String, Long> kernelNanosByOp, SortedMap<String, Integer> stepsByOp,
                                 long inputNanos, long traceNanos, long stepNanos, long hashedBytes) {

    /** Profiles the run on {@code inputs}; the op writing {@code logitsOutput} (the head) is counted apart from its kind. */
    public static ForwardPassProfile measure(IntegerEngine engine, SortedMap<String, Tensor> inputs, String logitsOutput,
                                             int runs) {
        List<Step> plan = engine.plan();
        List<String> kinds = new ArrayList<>();
        TreeMap<String, Integer> steps = new TreeMap<>();
        long hashedBytes = 0;
        for (Step s : plan) {
            String kind = engine.program().ops().get(s.opIndex()).getClass().getSimpleName()
                    + (s.output().equals(logitsOutput) ? " (" + logitsOutput + ")" : "");
            kinds.add(kind);
            steps.merge(kind, 1, Integer::sum);
            TensorSpec out = engine.program().tensor(s.output());
            hashedBytes += (long) out.elementCount() * out.dtype().width();
        }
        List<String> kindNames = List.copyOf(steps.keySet());
        long[][] kernel = new long[kindNames.size()][runs];
        long[] input = new long[runs];
        long[] trace = new long[runs];
        long[] whole = new long[runs];
        for (int r = -runs; r < runs; r++) { // the first runs warm up
            long t = System.nanoTime();
            State s = engine.initialState(inputs);
            s.hash();
            long inputTime = System.nanoTime() - t;
            long[] k = new long[kindNames.size()];
            long kernelSum = 0;
            long stepSum = 0;
            for (Step step : plan) {
                OpOutput scratch = engine.newOpOutput(step.index());
                long t0 = System.nanoTime();
                engine.computeSlice(step.index(), s, scratch);
                long t1 = System.nanoTime();
                s = engine.runStep(step.index(), s).state();
                long t2 = System.nanoTime();
                k[kindNames.indexOf(kinds.get(step.index()))] += t1 - t0;
                kernelSum += t1 - t0;
                stepSum += t2 - t1;
            }
            if (r >= 0) {
                for (int i = 0; i < k.length; i++) {
                    kernel[i][r] = k[i];
                }
                input[r] = inputTime;
                trace[r] = stepSum - kernelSum;
                whole[r] = stepSum;
            }
        }
        TreeMap<String, Long> byOp = new TreeMap<>();
        for (int i = 0; i < kindNames.size(); i++) {
            byOp.put(kindNames.get(i), Timing.median(kernel[i]));
        }
        return new ForwardPassProfile(byOp, steps, Timing.median(input), Timing.median(trace), Timing.median(whole), hashedBytes);
    }
}
