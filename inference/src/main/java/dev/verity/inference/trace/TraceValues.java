package dev.verity.inference.trace;

import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.State;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * The values a dispute bisects over for one job: with {@code n} plan steps, {@code values} has {@code n + 2}
 * entries, {@code v0} the hash of the initial state (the quantized job input), {@code v(s+1)} the state hash
 * after step {@code s}, and {@code v(n+1)} the SHA-256 of the job output bytes ({@link IoQuantization} of the
 * program's first output in the final state). Consecutive values are linked by one
 * {@link OneStepVerifier#transition}.
 *
 * @param output the job output bytes (float32 little-endian)
 */
public record TraceValues(List<Hash> values, byte[] output) {
    public TraceValues {
        values = List.copyOf(values);
        output = output.clone();
    }

    @Override
    public byte[] output() {
        return output.clone();
    }

    /** The trace of a job input, single-threaded. */
    public static TraceValues compute(IntegerEngine engine, byte[] jobInput) {
        State state = initialState(engine, jobInput);
        int n = engine.plan().size();
        List<Hash> values = new ArrayList<>(n + 2);
        values.add(state.hash());
        for (int s = 0; s < n; s++) {
            state = engine.runStep(s, state).state();
            values.add(state.hash());
        }
        byte[] out = output(engine.program(), state);
        values.add(Sha256.digest(out));
        return new TraceValues(values, out);
    }

    /** The state whose hash is {@code values().get(index)}, for {@code 0 <= index <= n}. */
    public static State stateAt(IntegerEngine engine, byte[] jobInput, int index) {
        int n = engine.plan().size();
        if (index < 0 || index > n) {
            throw new IllegalArgumentException("trace index " + index + " has no state; states are at 0.." + n);
        }
        State state = initialState(engine, jobInput);
        for (int s = 0; s < index; s++) {
            state = engine.runStep(s, state).state();
        }
        return state;
    }

    /** The state before step 0: the job input quantized into the program's single input. */
    static State initialState(IntegerEngine engine, byte[] jobInput) {
        Program p = engine.program();
        TensorSpec in = singleInput(p);
        TreeMap<String, Tensor> m = new TreeMap<>();
        m.put(in.name(), IoQuantization.quantizeInput(jobInput, in));
        return engine.initialState(m);
    }

    /** The job output of a final state: its first program output, dequantized. */
    static byte[] output(Program p, State last) {
        TensorSpec out = p.tensor(p.outputs().get(0));
        return IoQuantization.dequantizeOutput(last.tensor(out.name()), out);
    }

    static TensorSpec singleInput(Program p) {
        if (p.inputs().size() != 1) {
            throw new IllegalArgumentException("a job feeds exactly one input; the program takes " + p.inputs());
        }
        return p.tensor(p.inputs().get(0));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TraceValues t && values.equals(t.values) && Arrays.equals(output, t.output);
    }

    @Override
    public int hashCode() {
        return values.hashCode() * 31 + Arrays.hashCode(output);
    }

    @Override
    public String toString() {
        return "TraceValues(" + values.size() + " values, " + output.length + " output bytes)";
    }
}
