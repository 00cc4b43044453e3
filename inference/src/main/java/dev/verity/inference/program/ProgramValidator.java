package dev.verity.inference.program;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The checks behind {@link Program}'s constructor: names, single assignment, availability of every
 * operand when its op runs, and for each op the element types and shapes its kernel relies on. Every
 * failure is an {@link IllegalArgumentException} naming the op or tensor.
 */
final class ProgramValidator {
    /** Upper bound on the number of tensors and of ops. */
    static final int MAX_ITEMS = 1 << 20;

    private ProgramValidator() {}

    static void validate(List<TensorSpec> tensors, List<String> inputs, List<String> outputs, List<Constant> constants,
            List<Op> ops, int sliceElements) {
        if (sliceElements < 1) {
            throw new IllegalArgumentException("sliceElements must be at least 1, got " + sliceElements);
        }
        if (tensors.size() > MAX_ITEMS || ops.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("too many tensors or ops");
        }
        TreeMap<String, TensorSpec> specs = new TreeMap<>();
        for (TensorSpec t : tensors) {
            if (specs.put(t.name(), t) != null) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' declared twice");
            }
        }
        TreeSet<String> available = new TreeSet<>();
        for (String in : inputs) {
            spec(specs, in, "program input");
            if (!available.add(in)) {
                throw new IllegalArgumentException("program input '" + in + "' listed twice");
            }
        }
        for (Constant c : constants) {
            TensorSpec s = spec(specs, c.name(), "constant");
            if (!available.add(c.name())) {
                throw new IllegalArgumentException("constant '" + c.name() + "' is also an input or another constant");
            }
            if (c.value().dtype() != s.dtype() || !Arrays.equals(c.value().shape(), s.shape())) {
                throw new IllegalArgumentException("constant '" + c.name() + "' is " + c.value() + " but declared as " + s);
            }
        }
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            String where = "op " + i + " (" + op.kind() + " -> '" + op.output() + "')";
            for (String in : op.inputs()) {
                if (!available.contains(in)) {
                    throw new IllegalArgumentException(where + " reads '" + in + "' before it is defined");
                }
            }
            TensorSpec out = spec(specs, op.output(), where + " output");
            if (!available.add(op.output())) {
                throw new IllegalArgumentException(where + " writes '" + op.output() + "', which is already defined");
            }
            List<TensorSpec> ins = op.inputs().stream().map(n -> specs.get(n)).toList();
            checkOp(op, ins, out, where);
        }
        TreeSet<String> seenOutputs = new TreeSet<>();
        for (String o : outputs) {
            spec(specs, o, "program output");
            if (!available.contains(o)) {
                throw new IllegalArgumentException("program output '" + o + "' is never defined");
            }
            if (!seenOutputs.add(o)) {
                throw new IllegalArgumentException("program output '" + o + "' listed twice");
            }
        }
    }

    private static TensorSpec spec(TreeMap<String, TensorSpec> specs, String name, String what) {
        TensorSpec s = specs.get(name);
        if (s == null) {
            throw new IllegalArgumentException(what + " '" + name + "' is not a declared tensor");
        }
        return s;
    }

    private static void fail(String where, String message) {
        throw new IllegalArgumentException(where + ": " + message);
    }

    private static void int8(String where, TensorSpec t) {
        if (t.dtype() != DType.INT8) {
            fail(where, "tensor '" + t.name() + "' must be INT8, is " + t.dtype());
        }
    }

    private static void sameQuantization(String where, TensorSpec in, TensorSpec out) {
        if (in.dtype() != out.dtype() || !in.quantization().equals(out.quantization())) {
            fail(where, "input '" + in.name() + "' and output '" + out.name() + "' must share type and quantization");
        }
    }

    private static void shape(String where, TensorSpec out, int[] expected) {
        if (!Arrays.equals(out.shape(), expected)) {
            fail(where, "output shape " + Arrays.toString(out.shape()) + ", expected " + Arrays.toString(expected));
        }
    }

    private static void checkOp(Op op, List<TensorSpec> ins, TensorSpec out, String where) {
        switch (op) {
            case QLinear q -> {
                hollow(where, q.hollow());
                TensorSpec x = ins.get(0);
                int8(where, x);
                int8(where, out);
                int[] s = x.shape();
                if (s.length < 1 || s[s.length - 1] != q.inFeatures()) {
                    fail(where, "input shape " + Arrays.toString(s) + " must end in " + q.inFeatures());
                }
                int[] e = s.clone();
                e[e.length - 1] = q.outFeatures();
                shape(where, out, e);
            }
            case QConv2d c -> {
                hollow(where, c.hollow());
                TensorSpec x = ins.get(0);
                int8(where, x);
                int8(where, out);
                int[] s = x.shape();
                if (s.length != 4) {
                    fail(where, "input must be NCHW, is " + Arrays.toString(s));
                }
                if (s[1] != c.inChannelsPerGroup() * c.groups()) {
                    fail(where, "input has " + s[1] + " channels, weights expect " + c.inChannelsPerGroup() + " x "
                            + c.groups());
                }
                Window2d w = c.window();
                int oh = Shapes.windowOutput(s[2], w.kernelH(), w.strideH(), w.padTop(), w.padBottom(), w.dilationH(), false);
                int ow = Shapes.windowOutput(s[3], w.kernelW(), w.strideW(), w.padLeft(), w.padRight(), w.dilationW(), false);
                shape(where, out, new int[] {s[0], c.outChannels(), oh, ow});
            }
            case QAdd a -> elementwise(where, ins, out);
            case QSub a -> elementwise(where, ins, out);
            case QMul a -> elementwise(where, ins, out);
            case Rescale r -> unary(where, ins.get(0), out);
            case LeakyRelu r -> unary(where, ins.get(0), out);
            case Lut r -> unary(where, ins.get(0), out);
            case Clamp r -> {
                unary(where, ins.get(0), out);
                sameQuantization(where, ins.get(0), out);
            }
            case MaxPool p -> pool(where, ins.get(0), out, p.window());
            case AveragePool p -> pool(where, ins.get(0), out, p.window());
            case Softmax sm -> {
                unary(where, ins.get(0), out);
                if (sm.axis() >= out.rank()) {
                    fail(where, "axis " + sm.axis() + " out of range for rank " + out.rank());
                }
                if (out.zeroPoint() != -128) {
                    fail(where, "the softmax output zero point must be -128");
                }
            }
            case Reshape r -> {
                sameQuantization(where, ins.get(0), out);
                if (ins.get(0).elementCount() != out.elementCount()) {
                    fail(where, "cannot reshape " + Arrays.toString(ins.get(0).shape()) + " to "
                            + Arrays.toString(out.shape()));
                }
            }
            case Transpose t -> {
                TensorSpec x = ins.get(0);
                sameQuantization(where, x, out);
                int[] perm = t.perm();
                if (perm.length != x.rank()) {
                    fail(where, "perm has " + perm.length + " axes, input rank " + x.rank());
                }
                int[] e = new int[perm.length];
                for (int i = 0; i < perm.length; i++) {
                    e[i] = x.dim(perm[i]);
                }
                shape(where, out, e);
            }
            case Concat c -> {
                int8(where, out);
                int rank = out.rank();
                if (c.axis() >= rank) {
                    fail(where, "axis " + c.axis() + " out of range for rank " + rank);
                }
                long sum = 0;
                for (TensorSpec x : ins) {
                    int8(where, x);
                    if (x.rank() != rank) {
                        fail(where, "input '" + x.name() + "' has rank " + x.rank() + ", output " + rank);
                    }
                    for (int d = 0; d < rank; d++) {
                        if (d != c.axis() && x.dim(d) != out.dim(d)) {
                            fail(where, "input '" + x.name() + "' differs from the output off the concat axis");
                        }
                    }
                    sum += x.dim(c.axis());
                }
                if (sum != out.dim(c.axis())) {
                    fail(where, "inputs add up to " + sum + " along axis " + c.axis() + ", output has " + out.dim(c.axis()));
                }
            }
            case QMatMul m -> matMul(where, m, ins.get(0), ins.get(1), out);
            case LayerNorm n -> {
                unary(where, ins.get(0), out);
                if (out.rank() < 1 || out.dim(out.rank() - 1) != n.width()) {
                    fail(where, "input shape " + Arrays.toString(out.shape()) + " must end in " + n.width());
                }
            }
            case CausalSoftmax sm -> {
                unary(where, ins.get(0), out);
                position(where, ins.get(1));
                if (out.rank() < 2) {
                    fail(where, "scores must be [..., rows, keys], got rank " + out.rank());
                }
                if (out.zeroPoint() != -128) {
                    fail(where, "the softmax output zero point must be -128");
                }
            }
            case Gather g -> {
                TensorSpec table = ins.get(0);
                TensorSpec indices = ins.get(1);
                int8(where, table);
                sameQuantization(where, table, out);
                if (table.rank() != 2) {
                    fail(where, "the table must be [rows, width], is " + Arrays.toString(table.shape()));
                }
                if (indices.dtype() != DType.INT32) {
                    fail(where, "indices '" + indices.name() + "' must be INT32, are " + indices.dtype());
                }
                int[] e = Arrays.copyOf(indices.shape(), indices.rank() + 1);
                e[indices.rank()] = table.dim(1);
                shape(where, out, e);
            }
            case CacheWrite c -> {
                TensorSpec cache = ins.get(0);
                TensorSpec update = ins.get(1);
                sameQuantization(where, cache, out);
                sameQuantization(where, update, out);
                position(where, ins.get(2));
                shape(where, out, cache.shape());
                if (c.axis() >= cache.rank()) {
                    fail(where, "axis " + c.axis() + " out of range for rank " + cache.rank());
                }
                int[] e = cache.shape();
                e[c.axis()] = 1;
                if (!Arrays.equals(update.shape(), e)) {
                    fail(where, "update shape " + Arrays.toString(update.shape()) + ", expected " + Arrays.toString(e));
                }
            }
        }
    }

    private static void hollow(String where, boolean hollow) {
        if (hollow) {
            fail(where, "the op holds no weights (a trace op leaf's copy of an op whose weights it commits by rows)");
        }
    }

    /** A position input: INT32 {@code [1]}. */
    private static void position(String where, TensorSpec p) {
        if (p.dtype() != DType.INT32 || !Arrays.equals(p.shape(), new int[] {1})) {
            fail(where, "position '" + p.name() + "' must be INT32 [1], is " + p.dtype() + " " + Arrays.toString(p.shape()));
        }
    }

    private static void matMul(String where, QMatMul m, TensorSpec a, TensorSpec b, TensorSpec out) {
        int8(where, a);
        int8(where, b);
        int rank = a.rank();
        if (rank < 2 || b.rank() != rank) {
            fail(where, "operands must have the same rank, at least 2, are " + Arrays.toString(a.shape()) + " and "
                    + Arrays.toString(b.shape()));
        }
        for (int d = 0; d < rank - 2; d++) {
            if (a.dim(d) != b.dim(d)) {
                fail(where, "batch dimensions differ: " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
            }
        }
        int depth = a.dim(rank - 1);
        int bDepth = b.dim(m.transposeB() ? rank - 1 : rank - 2);
        int n = b.dim(m.transposeB() ? rank - 2 : rank - 1);
        if (bDepth != depth) {
            fail(where, "inner dimensions differ: " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape())
                    + (m.transposeB() ? " (b transposed)" : ""));
        }
        if (depth > QMatMul.MAX_DEPTH) {
            fail(where, "reduction length " + depth + " above " + QMatMul.MAX_DEPTH + " could overflow int32");
        }
        int[] e = a.shape();
        e[rank - 1] = n;
        shape(where, out, e);
    }

    private static void elementwise(String where, List<TensorSpec> ins, TensorSpec out) {
        int8(where, ins.get(0));
        int8(where, ins.get(1));
        int8(where, out);
        shape(where, out, Shapes.broadcast(ins.get(0).shape(), ins.get(1).shape(), where));
    }

    private static void unary(String where, TensorSpec in, TensorSpec out) {
        int8(where, in);
        int8(where, out);
        shape(where, out, in.shape());
    }

    private static void pool(String where, TensorSpec x, TensorSpec out, Window2d w) {
        int8(where, x);
        sameQuantization(where, x, out);
        int[] s = x.shape();
        if (s.length != 4) {
            fail(where, "input must be NCHW, is " + Arrays.toString(s));
        }
        int[] o = out.shape();
        if (o.length != 4 || o[0] != s[0] || o[1] != s[1]) {
            fail(where, "output shape " + Arrays.toString(o) + " does not match input " + Arrays.toString(s));
        }
        int fh = Shapes.windowOutput(s[2], w.kernelH(), w.strideH(), w.padTop(), w.padBottom(), w.dilationH(), false);
        int ch = Shapes.windowOutput(s[2], w.kernelH(), w.strideH(), w.padTop(), w.padBottom(), w.dilationH(), true);
        int fw = Shapes.windowOutput(s[3], w.kernelW(), w.strideW(), w.padLeft(), w.padRight(), w.dilationW(), false);
        int cw = Shapes.windowOutput(s[3], w.kernelW(), w.strideW(), w.padLeft(), w.padRight(), w.dilationW(), true);
        boolean floorMode = o[2] == fh && o[3] == fw;
        boolean ceilMode = o[2] == ch && o[3] == cw;
        if (!floorMode && !ceilMode) {
            fail(where, "output shape " + Arrays.toString(o) + " matches neither floor nor ceil mode");
        }
    }
}
