package dev.verity.inference.trace;

import dev.verity.inference.TestPrograms;
import dev.verity.inference.program.Clamp;
import dev.verity.inference.program.Constant;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Gather;
import dev.verity.inference.program.LayerNorm;
import dev.verity.inference.program.Lut;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.QAdd;
import dev.verity.inference.program.QConv2d;
import dev.verity.inference.program.QLinear;
import dev.verity.inference.program.QMatMul;
import dev.verity.inference.program.QMul;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Rescale;
import dev.verity.inference.program.Reshape;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import dev.verity.inference.program.Transpose;
import dev.verity.inference.program.Window2d;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/** Programs and job inputs for the trace tests; job inputs are made from float32 bit patterns, without floats. */
final class TraceFixtures {
    private TraceFixtures() {}

    static final Quantization Q = new Quantization(3, new Requantization(1 << 30, 6)); // scale 1/128

    /** Every op kind (conv, linear, softmax, concat, ...), in slices of {@code slice} elements. */
    static Program zoo(int slice) {
        return TestPrograms.zoo(slice);
    }

    /**
     * An input read twice by one op and last by a later one, a program output that is also read, an op output
     * nobody reads (dropped after its last slice), in slices of 4.
     */
    static Program liveness() {
        int[] shape = {1, 10};
        List<TensorSpec> t = List.of(spec("x", shape), spec("a", shape), spec("m", shape), spec("dead", shape),
                spec("z", shape));
        return new Program(t, List.of("x"), List.of("z", "a"), List.of(),
                List.of(new Clamp("x", "a", -100, 100),
                        new QMul("a", "a", "m", new Requantization(1 << 30, 6), -128, 127),
                        new Clamp("x", "dead", -5, 5),
                        new QAdd("m", "x", "z", 1_500_000, 1_000_000, 21, -128, 127)),
                4);
    }

    /** A program whose input no op reads: the first step drops it. */
    static Program unreadInput() {
        List<TensorSpec> t = List.of(spec("x", new int[] {1, 4}), spec("k", new int[] {1, 8}), spec("r", new int[] {1, 8}));
        Constant k = new Constant("k", Tensor.of(DType.INT8, new int[] {1, 8}, new int[] {-128, -7, 0, 1, 2, 50, 100, 127}));
        return new Program(t, List.of("x"), List.of("r"), List.of(k),
                List.of(new Rescale("k", "r", new Requantization(1_500_000_000, 0), -128, 127)), 3);
    }

    /**
     * Constants and weights over {@link OpLeaf#ROWS_THRESHOLD_BYTES}, committed by rows, read every way an op can:
     * QLinear weights (one input row, and four rows so a slice wraps around the output features), QConv2d weights (two
     * groups), a Gather table by constant indices (duplicates, out of range both ways) and an identical copy of it under
     * another name, the same table as the transposed operand of a QMatMul (a tied head), a QMatMul operand read whole
     * (rank 2, not transposed), a rank-3 constant as either QMatMul operand (rows are batches), an INT16 constant
     * transposed (every row), and INT32 indices committed by rows into a table committed by rows (every row of both).
     * One input {@code x [1, 64]}; the first output {@code cv} is INT8.
     */
    static Program rows(int sliceElements) {
        Random rnd = new Random(44);
        List<TensorSpec> t = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        List<Constant> consts = new ArrayList<>();
        t.add(spec("x", new int[] {1, 64}));
        t.add(spec("h", new int[] {1, 256}));
        ops.add(new QLinear("x", "h", 64, 256, bytes(rnd, 256 * 64), ints(rnd, 256, 3000), rqs(rnd, 256), -128, 127));
        t.add(spec("hs", new int[] {1, 16, 4, 4}));
        ops.add(new Reshape("h", "hs"));
        t.add(spec("cv", new int[] {1, 64, 4, 4}));
        ops.add(new QConv2d("hs", "cv", new Window2d(3, 3, 1, 1, 1, 1, 1, 1, 1, 1), 2, bytes(rnd, 64 * 8 * 9),
                ints(rnd, 64, 3000), rqs(rnd, 64), -128, 127));
        t.add(spec("x4", new int[] {4, 16}));
        ops.add(new Reshape("x", "x4"));
        t.add(spec("wide", new int[] {4, 300}));
        ops.add(new QLinear("x4", "wide", 16, 300, bytes(rnd, 300 * 16), ints(rnd, 300, 3000), List.of(rq(rnd)), -100, 120));

        byte[] table = bytes(rnd, 300 * 20);
        constant(t, consts, "table", Tensor.ofInt8(new int[] {300, 20}, table), quant(-2));
        constant(t, consts, "table.copy", Tensor.ofInt8(new int[] {300, 20}, table), quant(-2));
        constant(t, consts, "ids", Tensor.of(DType.INT32, new int[] {7}, new int[] {5, 299, -1, 5, 300, 17, 0}), Quantization.NONE);
        t.add(new TensorSpec("emb", DType.INT8, new int[] {7, 20}, quant(-2)));
        ops.add(new Gather("table", "ids", "emb"));
        t.add(new TensorSpec("emb.copy", DType.INT8, new int[] {7, 20}, quant(-2)));
        ops.add(new Gather("table.copy", "ids", "emb.copy"));
        t.add(new TensorSpec("logits", DType.INT32, new int[] {7, 300}, Quantization.NONE));
        ops.add(new QMatMul("emb", "table", "logits", true, Requantization.ONE));
        constant(t, consts, "w2", Tensor.ofInt8(new int[] {20, 260}, bytes(rnd, 20 * 260)), quant(1));
        t.add(spec("mm", new int[] {7, 260}));
        ops.add(new QMatMul("emb", "w2", "mm", false, rq(rnd)));

        t.add(spec("qflat", new int[] {1, 320}));
        ops.add(new QLinear("x", "qflat", 64, 320, bytes(rnd, 320 * 64), ints(rnd, 320, 3000), rqs(rnd, 320), -128, 127));
        t.add(spec("q3", new int[] {8, 1, 40}));
        ops.add(new Reshape("qflat", "q3"));
        constant(t, consts, "kc", Tensor.ofInt8(new int[] {8, 16, 40}, bytes(rnd, 8 * 16 * 40)), quant(3));
        t.add(spec("sc", new int[] {8, 1, 16}));
        ops.add(new QMatMul("q3", "kc", "sc", true, rq(rnd)));
        t.add(spec("qcol", new int[] {8, 40, 1}));
        ops.add(new Reshape("qflat", "qcol"));
        t.add(spec("kcol", new int[] {8, 16, 1}));
        ops.add(new QMatMul("kc", "qcol", "kcol", false, rq(rnd)));

        int[] wide16 = new int[33 * 64];
        for (int i = 0; i < wide16.length; i++) {
            wide16[i] = rnd.nextInt(65536) - 32768;
        }
        constant(t, consts, "big16", Tensor.of(DType.INT16, new int[] {33, 64}, wide16), new Quantization(-7, Requantization.ONE));
        t.add(new TensorSpec("big16t", DType.INT16, new int[] {64, 33}, new Quantization(-7, Requantization.ONE)));
        ops.add(new Transpose("big16", "big16t", new int[] {1, 0}));
        int[] idx = new int[1030];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = rnd.nextInt(5006) - 3;
        }
        constant(t, consts, "idx", Tensor.of(DType.INT32, new int[] {1030}, idx), Quantization.NONE);
        constant(t, consts, "column", Tensor.ofInt8(new int[] {5000, 1}, bytes(rnd, 5000)), quant(4));
        t.add(new TensorSpec("picked", DType.INT8, new int[] {1030, 1}, quant(4)));
        ops.add(new Gather("column", "idx", "picked"));
        return new Program(t, List.of("x"), List.of("cv", "wide", "emb.copy", "logits", "mm", "sc", "kcol", "big16t", "picked"),
                consts, ops, sliceElements);
    }

    /**
     * A decoder's step program in miniature, of two inputs ({@code token}, {@code position}, INT32 {@code [1]}): token
     * and position embeddings gathered from tables, their sum, LayerNorm, an MLP {@code width -> mlp -> width} with a
     * GELU-like Lut and a residual sum, and the tied head: a QMatMul of the result against the token table, transposed,
     * into INT32 logits {@code [1, vocab]}.
     */
    static Program decoder(int vocab, int context, int width, int mlp, int sliceElements) {
        Random rnd = new Random(45);
        List<TensorSpec> t = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        List<Constant> consts = new ArrayList<>();
        t.add(new TensorSpec("token", DType.INT32, new int[] {1}, Quantization.NONE));
        t.add(new TensorSpec("position", DType.INT32, new int[] {1}, Quantization.NONE));
        constant(t, consts, "token_embedding", Tensor.ofInt8(new int[] {vocab, width}, bytes(rnd, vocab * width)), quant(0));
        constant(t, consts, "position_embedding", Tensor.ofInt8(new int[] {context, width}, bytes(rnd, context * width)),
                quant(0));
        t.add(new TensorSpec("te", DType.INT8, new int[] {1, width}, quant(0)));
        ops.add(new Gather("token_embedding", "token", "te"));
        t.add(new TensorSpec("pe", DType.INT8, new int[] {1, width}, quant(0)));
        ops.add(new Gather("position_embedding", "position", "pe"));
        t.add(spec("h", new int[] {1, width}));
        ops.add(new QAdd("te", "pe", "h", 1_000_000, 1_000_000, 21, -128, 127));
        t.add(spec("ln", new int[] {1, width}));
        ops.add(new LayerNorm("h", "ln", ints(rnd, width, LayerNorm.MAX_GAMMA), ints(rnd, width, 1 << 20), 7,
                new Requantization((1 << 30) + rnd.nextInt(1 << 30), 10)));
        t.add(spec("fc", new int[] {1, mlp}));
        ops.add(new QLinear("ln", "fc", width, mlp, bytes(rnd, mlp * width), ints(rnd, mlp, 3000), rqs(rnd, mlp), -128, 127));
        byte[] gelu = new byte[256];
        for (int i = 0; i < 256; i++) {
            gelu[i] = (byte) Math.max(-128, (i - 128) * 3 / 4);
        }
        t.add(spec("gelu", new int[] {1, mlp}));
        ops.add(new Lut("fc", "gelu", gelu));
        t.add(spec("mlp", new int[] {1, width}));
        ops.add(new QLinear("gelu", "mlp", mlp, width, bytes(rnd, width * mlp), ints(rnd, width, 3000), rqs(rnd, width), -128,
                127));
        t.add(spec("r", new int[] {1, width}));
        ops.add(new QAdd("h", "mlp", "r", 1_000_000, 1_000_000, 21, -128, 127));
        t.add(new TensorSpec("logits", DType.INT32, new int[] {1, vocab}, Quantization.NONE));
        ops.add(new QMatMul("r", "token_embedding", "logits", true, Requantization.ONE));
        return new Program(t, List.of("token", "position"), List.of("logits"), consts, ops, sliceElements);
    }

    /** The decoder's inputs for one token at one position. */
    static SortedMap<String, Tensor> decoderInputs(int token, int position) {
        TreeMap<String, Tensor> in = new TreeMap<>();
        in.put("token", Tensor.of(DType.INT32, new int[] {1}, new int[] {token}));
        in.put("position", Tensor.of(DType.INT32, new int[] {1}, new int[] {position}));
        return in;
    }

    private static void constant(List<TensorSpec> t, List<Constant> consts, String name, Tensor value, Quantization q) {
        t.add(new TensorSpec(name, value.dtype(), value.shape(), q));
        consts.add(new Constant(name, value));
    }

    private static Quantization quant(int zp) {
        return new Quantization(zp, new Requantization(1 << 30, 6));
    }

    private static Requantization rq(Random rnd) {
        return new Requantization((1 << 30) + rnd.nextInt(1 << 30), 4 + rnd.nextInt(6));
    }

    private static List<Requantization> rqs(Random rnd, int n) {
        List<Requantization> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(rq(rnd));
        }
        return l;
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (rnd.nextInt(255) - 127);
        }
        return b;
    }

    private static int[] ints(Random rnd, int n, int bound) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextInt(2 * bound + 1) - bound;
        }
        return v;
    }

    static TensorSpec spec(String name, int[] shape) {
        return new TensorSpec(name, DType.INT8, shape, Q);
    }

    /** Job input bytes: float32 little-endian values with exponents around 1 (and some zeros, NaN, infinities). */
    static byte[] jobInput(Program p, long seed) {
        int n = p.tensor(p.inputs().get(0)).elementCount();
        Random rnd = new Random(seed);
        byte[] b = new byte[4 * n];
        for (int i = 0; i < n; i++) {
            int bits = switch (rnd.nextInt(40)) {
                case 0 -> 0;
                case 1 -> 0x7FC0_0000; // NaN
                case 2 -> 0xFF80_0000; // -Inf
                default -> (rnd.nextBoolean() ? 0x8000_0000 : 0) | (118 + rnd.nextInt(10)) << 23 | rnd.nextInt(1 << 23);
            };
            b[4 * i] = (byte) bits;
            b[4 * i + 1] = (byte) (bits >>> 8);
            b[4 * i + 2] = (byte) (bits >>> 16);
            b[4 * i + 3] = (byte) (bits >>> 24);
        }
        return b;
    }
}
