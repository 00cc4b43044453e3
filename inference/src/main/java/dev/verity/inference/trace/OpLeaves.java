package dev.verity.inference.trace;

import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.Step;
import dev.verity.inference.program.Constant;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/** The {@link OpLeaf} of every op of a program, as every {@link CommittedProgram} commits to them. */
public final class OpLeaves {
    private OpLeaves() {}

    /** One leaf per op, in program order, from {@code engine}'s plan of {@code program}. */
    public static List<OpLeaf> of(Program program, IntegerEngine engine) {
        List<Step> plan = engine.plan();
        TreeMap<String, Constant> constants = new TreeMap<>();
        for (Constant c : program.constants()) {
            constants.put(c.name(), c);
        }
        TreeMap<String, OpLeaf.CommittedTensor> committed = new TreeMap<>(); // a table read by several ops, rooted once
        List<OpLeaf> opLeaves = new ArrayList<>();
        int step = 0;
        for (int i = 0; i < program.ops().size(); i++) {
            Op op = program.ops().get(i);
            int first = step;
            int count = plan.get(first).sliceCount();
            step += count;
            List<TensorSpec> inputs = new ArrayList<>();
            List<OpLeaf.CommittedTensor> consts = new ArrayList<>();
            for (String name : new TreeSet<>(op.inputs())) {
                Constant c = constants.get(name);
                if (c != null) {
                    consts.add(committed.computeIfAbsent(name, n -> OpLeaf.CommittedTensor.of(program.tensor(n), c.value())));
                } else {
                    inputs.add(program.tensor(name));
                }
            }
            List<String> before = engine.namesAfter(first - 1);
            List<String> dropFirst = new ArrayList<>();
            List<String> dropAfter = new ArrayList<>();
            for (String name : before) {
                if (engine.isProgramOutput(name)) {
                    continue;
                }
                int last = engine.lastReader(name);
                if (last < i) {
                    dropFirst.add(name);
                } else if (last == i) {
                    dropAfter.add(name);
                }
            }
            boolean kept = engine.isProgramOutput(op.output()) || engine.lastReader(op.output()) > i;
            opLeaves.add(OpLeaf.of(i, first, count, engine.sliceElements(i), op, inputs, program.tensor(op.output()),
                    consts, before, dropFirst, dropAfter, kept));
        }
        return List.copyOf(opLeaves);
    }

    /** For each of the {@code stepCount} plan steps, the index of the op it belongs to. */
    static int[] opOfStep(List<OpLeaf> ops, int stepCount) {
        int[] out = new int[stepCount];
        for (OpLeaf op : ops) {
            for (int k = 0; k < op.sliceCount(); k++) {
                out[op.firstStep() + k] = op.opIndex();
            }
        }
        return out;
    }
}
