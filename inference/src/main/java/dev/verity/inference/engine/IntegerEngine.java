package dev.verity.inference.engine;

import dev.verity.core.Hash;
import dev.verity.inference.program.Constant;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Runs a {@link Program} as an ordered list of steps, each with the hash of the complete state after it.
 *
 * <h2>Plan</h2>
 *
 * Op {@code i}, whose output has {@code E} elements, becomes {@code S = max(1, ceil(E / P))} consecutive steps, where
 * {@code P} is the program's {@code sliceElements}, or fewer for an op that reads a large tensor ({@link StepBudget});
 * slice {@code j} computes the output's flat row-major elements {@code [j * P, min(E, (j + 1) * P))}. For a fully connected output
 * {@code [1, N]} a slice is a range of output channels, for a convolution {@code [1, C, H, W]} a range of
 * whole and partial channel planes, so a step reads only its op's inputs and weights.
 *
 * <h2>State</h2>
 *
 * The state before step 0 holds exactly the program inputs. The state after step {@code s} (slice
 * {@code j} of {@code S} of op {@code i}) holds, apart from constants, every tensor {@code t} defined
 * by then (a program input or the output of an op {@code <= i}) such that {@code t} is a program output,
 * or is read by an op after {@code i}, or ({@code j < S - 1}) is read by op {@code i} itself or is op
 * {@code i}'s output. While op {@code i} is unfinished its output holds the elements of slices
 * {@code 0..j} and zeros elsewhere. The state after the last step holds exactly the program outputs.
 * The state hash is defined in {@link State}.
 *
 * <h2>Determinism</h2>
 *
 * Every kernel is integer arithmetic with sums in a fixed order (or in wrapping int32 arithmetic, where
 * order does not matter); the scalar and vector kernels give identical bytes. Each step can be re-run
 * from the state before it alone ({@link #runStep}), and the slices of one op can be computed
 * independently in any order ({@link #newOpOutput}, {@link #computeSlice}, {@link #stateAfter}), which is
 * how a runner outside this pure package parallelizes without changing any byte.
 */
public final class IntegerEngine {
    private final Program program;
    private final Kernels kernels;
    private final List<Step> plan;
    private final OpKernel[] opKernels;
    private final TreeMap<String, Buf> constants = new TreeMap<>();
    private final TreeMap<String, TensorSpec> specs = new TreeMap<>();
    /** Non-constant tensors, in name order, with their producer (-1: program input), last reader (-1: none). */
    private final List<String> names = new ArrayList<>();
    private final int[] producer;
    private final int[] lastUse;
    private final boolean[] isOutput;
    private final TreeMap<String, Integer> index = new TreeMap<>();

    public IntegerEngine(Program program, EngineOptions options) {
        this.program = program;
        this.kernels = options.vectorized() && Kernels.vectorAvailable() ? Kernels.vector() : Kernels.scalar();
        for (TensorSpec t : program.tensors()) {
            specs.put(t.name(), t);
        }
        for (Constant c : program.constants()) {
            constants.put(c.name(), Buf.of(c.value()));
        }
        TreeMap<String, Integer> prod = new TreeMap<>();
        for (String in : program.inputs()) {
            prod.put(in, -1);
        }
        List<Op> ops = program.ops();
        for (int i = 0; i < ops.size(); i++) {
            prod.put(ops.get(i).output(), i);
        }
        names.addAll(prod.keySet());
        producer = new int[names.size()];
        lastUse = new int[names.size()];
        isOutput = new boolean[names.size()];
        for (int k = 0; k < names.size(); k++) {
            index.put(names.get(k), k);
            producer[k] = prod.get(names.get(k));
            lastUse[k] = -1;
        }
        for (int i = 0; i < ops.size(); i++) {
            for (String in : ops.get(i).inputs()) {
                Integer k = index.get(in);
                if (k != null) {
                    lastUse[k] = i;
                }
            }
        }
        for (String out : program.outputs()) {
            isOutput[index.get(out)] = true;
        }
        opKernels = new OpKernel[ops.size()];
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            opKernels[i] = OpKernel.compile(ops.get(i), program);
            String out = ops.get(i).output();
            int e = specs.get(out).elementCount();
            int per = StepBudget.sliceElements(ops.get(i), program.sliceElements(), specs, constants::containsKey);
            int count = Math.max(1, (int) ((e + (long) per - 1) / per));
            for (int j = 0; j < count; j++) {
                int from = (int) Math.min((long) j * per, e);
                int to = (int) Math.min((long) (j + 1) * per, e);
                steps.add(new Step(steps.size(), i, j, count, out, from, to));
            }
        }
        plan = List.copyOf(steps);
    }

    /** The output elements one step of op {@code opIndex} computes ({@link StepBudget}). */
    public int sliceElements(int opIndex) {
        if (opIndex < 0 || opIndex >= program.ops().size()) {
            throw new IllegalArgumentException("no op " + opIndex + " in a program of " + program.ops().size());
        }
        return StepBudget.sliceElements(program.ops().get(opIndex), program.sliceElements(), specs, constants::containsKey);
    }

    public Program program() {
        return program;
    }

    /** The kernels in use (scalar or vector). */
    public Kernels kernels() {
        return kernels;
    }

    /** The ordered steps. */
    public List<Step> plan() {
        return plan;
    }

    /** The state before step 0: exactly the program inputs, each of its declared type and shape. */
    public State initialState(SortedMap<String, Tensor> inputs) {
        TreeMap<String, Buf> m = new TreeMap<>();
        for (String name : program.inputs()) {
            Tensor t = inputs.get(name);
            if (t == null) {
                throw new IllegalArgumentException("missing program input '" + name + "'");
            }
            TensorSpec s = specs.get(name);
            Buf b = Buf.of(t);
            if (!b.matches(s.dtype(), s.shape())) {
                throw new IllegalArgumentException("input '" + name + "' is " + t + ", expected " + s);
            }
            m.put(name, b);
        }
        if (inputs.size() != program.inputs().size()) {
            throw new IllegalArgumentException("unexpected inputs: " + inputs.keySet() + ", the program takes "
                    + program.inputs());
        }
        return new State(m);
    }

    /**
     * Runs one step from the state before it. For a slice after the first, {@code before} holds the op's
     * partial output; its elements before the slice are kept. The result does not depend on anything but
     * {@code index} and the tensors of {@code before} that the step reads or keeps.
     */
    public StepResult runStep(int index, State before) {
        Step step = step(index);
        OpOutput out = newOpOutput(index);
        if (!step.firstSlice()) {
            Buf prev = require(before, step.output());
            System.arraycopy(array(prev), 0, array(out.buf), 0, step.from());
        }
        computeSlice(index, before, out);
        State after = stateAfter(index, before, out, false);
        return new StepResult(step, after, after.hash());
    }

    /** Runs the whole plan. */
    public RunResult run(SortedMap<String, Tensor> inputs) {
        State state = initialState(inputs);
        Hash inputHash = state.hash();
        List<Hash> hashes = new ArrayList<>(plan.size());
        for (int i = 0; i < plan.size(); i++) {
            StepResult r = runStep(i, state);
            hashes.add(r.stateHash());
            state = r.state();
        }
        return new RunResult(outputs(state), inputHash, hashes);
    }

    /** Copies of the program outputs held by a (final) state. */
    public SortedMap<String, Tensor> outputs(State state) {
        TreeMap<String, Tensor> out = new TreeMap<>();
        for (String name : program.outputs()) {
            out.put(name, state.tensor(name));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // independent slices

    /** A zero-filled output buffer for the op of step {@code index}, shared by all that op's slices. */
    public OpOutput newOpOutput(int index) {
        Step step = step(index);
        TensorSpec s = specs.get(step.output());
        return new OpOutput(step.opIndex(), Buf.zeros(s.dtype(), s.shape()));
    }

    /**
     * Computes step {@code index}'s elements into {@code out}, reading only the op's inputs from
     * {@code before} (any state before any slice of that op). Slices of one op write disjoint elements,
     * so they may be computed in any order or concurrently into the same {@code out}.
     */
    public void computeSlice(int index, State before, OpOutput out) {
        Step step = step(index);
        if (out.opIndex != step.opIndex()) {
            throw new IllegalArgumentException("output buffer of op " + out.opIndex + " used for step " + index
                    + " of op " + step.opIndex());
        }
        Op op = program.ops().get(step.opIndex());
        List<String> ins = op.inputs();
        Buf[] bufs = new Buf[ins.size()];
        for (int k = 0; k < bufs.length; k++) {
            Buf c = constants.get(ins.get(k));
            bufs[k] = c != null ? c : require(before, ins.get(k));
        }
        opKernels[step.opIndex()].compute(bufs, out.buf, step.from(), step.to(), kernels);
    }

    /**
     * The state after step {@code index}: the live tensors taken from {@code before} (a state before some
     * slice of the same op), and the op's output from {@code out}, elements at and after the step's end
     * set to zero. {@code out} must hold (at least) the elements of slices {@code 0..slice}.
     */
    public State stateAfter(int index, State before, OpOutput out) {
        return stateAfter(index, before, out, true);
    }

    /** {@code copy}: whether {@code out} may be used again by the caller (else its buffer is adopted). */
    private State stateAfter(int index, State before, OpOutput out, boolean copy) {
        Step step = step(index);
        if (out.opIndex != step.opIndex()) {
            throw new IllegalArgumentException("output buffer of op " + out.opIndex + " used for step " + index);
        }
        int op = step.opIndex();
        boolean last = step.lastSlice();
        TreeMap<String, Buf> m = new TreeMap<>();
        for (int k = 0; k < names.size(); k++) {
            if (producer[k] > op) {
                continue;
            }
            if (!live(k, op, last)) {
                continue;
            }
            String name = names.get(k);
            if (producer[k] == op) {
                Buf b = copy ? out.buf.copy() : out.buf;
                if (!last) {
                    b.zeroFrom(step.to());
                }
                m.put(name, b);
            } else {
                m.put(name, require(before, name));
            }
        }
        return new State(m);
    }

    /** Whether tensor {@code k} (defined by op {@code op} or earlier) is held after a step of op {@code op}. */
    private boolean live(int k, int op, boolean last) {
        return isOutput[k] || lastUse[k] > op || (!last && (lastUse[k] == op || producer[k] == op));
    }

    /**
     * The op output after step {@code index}, as the state after it holds it: the elements of the step's slice
     * computed from {@code before} (the state before the step), those of earlier slices copied from the partial
     * output in {@code before}, zeros after the slice.
     */
    public Tensor stepOutput(int index, State before) {
        Step step = step(index);
        OpOutput out = newOpOutput(index);
        if (!step.firstSlice()) {
            System.arraycopy(array(require(before, step.output())), 0, array(out.buf), 0, step.from());
        }
        computeSlice(index, before, out);
        return out.buf.toTensor();
    }

    // ---------------------------------------------------------------------------------------------
    // liveness, for proofs about single steps (which tensors a state holds depends on the program only)

    /** The non-constant tensors (program inputs and op outputs), sorted by name. */
    public List<String> tensorNames() {
        return List.copyOf(names);
    }

    /** The op writing tensor {@code name}, or -1 for a program input. */
    public int producer(String name) {
        return producer[tensorIndex(name)];
    }

    /** The last op reading tensor {@code name}, or -1 when no op reads it. */
    public int lastReader(String name) {
        return lastUse[tensorIndex(name)];
    }

    /** Whether tensor {@code name} is a program output. */
    public boolean isProgramOutput(String name) {
        return isOutput[tensorIndex(name)];
    }

    /** The names the state after step {@code index} holds, sorted; for -1 the state before step 0 (the program inputs). */
    public List<String> namesAfter(int index) {
        if (index == -1) {
            return program.inputs().stream().sorted().toList();
        }
        Step step = step(index);
        List<String> out = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            if (producer[k] <= step.opIndex() && live(k, step.opIndex(), step.lastSlice())) {
                out.add(names.get(k));
            }
        }
        return List.copyOf(out);
    }

    private int tensorIndex(String name) {
        Integer k = index.get(name);
        if (k == null) {
            throw new IllegalArgumentException("no program input or op output named '" + name + "'");
        }
        return k;
    }

    /** The state hash of a state (same as {@code state.hash()}). */
    public static Hash stateHash(State state) {
        return state.hash();
    }

    // ---------------------------------------------------------------------------------------------

    private Step step(int index) {
        if (index < 0 || index >= plan.size()) {
            throw new IllegalArgumentException("no step " + index + " in a plan of " + plan.size());
        }
        return plan.get(index);
    }

    private Buf require(State state, String name) {
        Buf b = state.buf(name);
        if (b == null) {
            throw new IllegalArgumentException("the state lacks tensor '" + name + "'");
        }
        TensorSpec s = specs.get(name);
        if (!b.matches(s.dtype(), s.shape())) {
            throw new IllegalArgumentException("tensor '" + name + "' in the state does not match " + s);
        }
        return b;
    }

    private static Object array(Buf b) {
        return switch (b.dtype) {
            case INT8 -> b.b;
            case INT16 -> b.s;
            case INT32 -> b.i;
        };
    }

}
