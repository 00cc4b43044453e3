package dev.verity.inference;

import dev.verity.inference.program.AveragePool;
import dev.verity.inference.program.CacheWrite;
import dev.verity.inference.program.CausalSoftmax;
import dev.verity.inference.program.Gather;
import dev.verity.inference.program.LayerNorm;
import dev.verity.inference.program.QMatMul;
import dev.verity.inference.program.Clamp;
import dev.verity.inference.program.Concat;
import dev.verity.inference.program.Constant;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.LeakyRelu;
import dev.verity.inference.program.Lut;
import dev.verity.inference.program.MaxPool;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.QAdd;
import dev.verity.inference.program.QConv2d;
import dev.verity.inference.program.QLinear;
import dev.verity.inference.program.QMul;
import dev.verity.inference.program.QSub;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Rescale;
import dev.verity.inference.program.Reshape;
import dev.verity.inference.program.Shapes;
import dev.verity.inference.program.Softmax;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import dev.verity.inference.program.Transpose;
import dev.verity.inference.program.Window2d;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/** Hand-built programs (random weights from a seeded generator) that exercise every op. */
public final class TestPrograms {
    private TestPrograms() {}

    static Quantization q(int zp) {
        return new Quantization(zp, new Requantization(1 << 30, 6)); // scale 1/128
    }

    static Requantization rq(Random rnd) {
        return new Requantization((1 << 30) + rnd.nextInt(1 << 30), 4 + rnd.nextInt(6));
    }

    static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (rnd.nextInt(255) - 127);
        }
        return b;
    }

    static int[] ints(Random rnd, int n, int bound) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextInt(2 * bound + 1) - bound;
        }
        return v;
    }

    static List<Requantization> rqs(Random rnd, int n) {
        List<Requantization> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(rq(rnd));
        }
        return l;
    }

    /** Every op kind, some sliced into odd pieces; outputs "probs" and "sm2". */
    public static Program zoo(int sliceElements) {
        Random rnd = new Random(42);
        List<TensorSpec> t = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        List<Constant> consts = new ArrayList<>();
        t.add(new TensorSpec("x", DType.INT8, new int[] {1, 3, 6, 6}, q(5)));
        t.add(new TensorSpec("c1", DType.INT8, new int[] {1, 4, 6, 6}, q(-128)));
        ops.add(new QConv2d("x", "c1", new Window2d(3, 3, 1, 1, 1, 1, 1, 1, 1, 1), 1, bytes(rnd, 4 * 3 * 9),
                ints(rnd, 4, 3000), rqs(rnd, 4), -128, 127));
        int oh = Shapes.windowOutput(6, 3, 2, 1, 2, 2, false);
        int ow = Shapes.windowOutput(6, 3, 2, 0, 1, 2, false);
        t.add(new TensorSpec("c2", DType.INT8, new int[] {1, 4, oh, ow}, q(3)));
        ops.add(new QConv2d("c1", "c2", new Window2d(3, 3, 2, 2, 1, 0, 2, 1, 2, 2), 2, bytes(rnd, 4 * 2 * 9),
                ints(rnd, 4, 3000), List.of(rq(rnd)), -100, 120));
        t.add(new TensorSpec("mp", DType.INT8, new int[] {1, 4, 3, 3}, q(-128)));
        ops.add(new MaxPool("c1", "mp", new Window2d(2, 2, 2, 2, 0, 0, 0, 0, 1, 1)));
        t.add(new TensorSpec("ap", DType.INT8, new int[] {1, 4, 6, 6}, q(-128)));
        ops.add(new AveragePool("c1", "ap", new Window2d(3, 3, 1, 1, 1, 1, 1, 1, 1, 1), false));
        int ch = Shapes.windowOutput(6, 2, 2, 1, 0, 1, true);
        t.add(new TensorSpec("ap2", DType.INT8, new int[] {1, 4, ch, ch}, q(-128)));
        ops.add(new AveragePool("c1", "ap2", new Window2d(2, 2, 2, 2, 1, 1, 0, 0, 1, 1), true));
        t.add(new TensorSpec("add", DType.INT8, new int[] {1, 4, 6, 6}, q(-10)));
        ops.add(new QAdd("c1", "ap", "add", 1_500_000, -2_900_000, 22, -128, 127));
        t.add(new TensorSpec("k", DType.INT8, new int[] {4, 1, 1}, q(2)));
        consts.add(new Constant("k", Tensor.of(DType.INT8, new int[] {4, 1, 1}, new int[] {-50, 0, 17, 100})));
        t.add(new TensorSpec("sub", DType.INT8, new int[] {1, 4, 6, 6}, q(7)));
        ops.add(new QSub("add", "k", "sub", 2_000_000, 1_000_000, 21, -120, 127));
        t.add(new TensorSpec("mul", DType.INT8, new int[] {1, 4, 6, 6}, q(0)));
        ops.add(new QMul("sub", "add", "mul", new Requantization(1 << 30, 6), -128, 127));
        byte[] table = new byte[256];
        for (int i = 0; i < 256; i++) {
            table[i] = (byte) ((i * 37 + 11) % 256 - 128);
        }
        t.add(new TensorSpec("lut", DType.INT8, new int[] {1, 4, 6, 6}, q(-128)));
        ops.add(new Lut("mul", "lut", table));
        t.add(new TensorSpec("leaky", DType.INT8, new int[] {1, 4, 6, 6}, q(-20)));
        ops.add(new LeakyRelu("lut", "leaky", new Requantization(1 << 30, -1), new Requantization(-(1 << 30), 3)));
        t.add(new TensorSpec("resc", DType.INT8, new int[] {1, 4, 6, 6}, q(1)));
        ops.add(new Rescale("leaky", "resc", new Requantization(1_800_000_000, 0), -128, 127));
        t.add(new TensorSpec("clamp", DType.INT8, new int[] {1, 4, 6, 6}, q(1)));
        ops.add(new Clamp("resc", "clamp", -60, 90));
        t.add(new TensorSpec("tr", DType.INT8, new int[] {1, 6, 6, 4}, q(1)));
        ops.add(new Transpose("clamp", "tr", new int[] {0, 2, 3, 1}));
        t.add(new TensorSpec("flat", DType.INT8, new int[] {1, 144}, q(1)));
        ops.add(new Reshape("tr", "flat"));
        t.add(new TensorSpec("mpflat", DType.INT8, new int[] {1, 36}, q(-128)));
        ops.add(new Reshape("mp", "mpflat"));
        t.add(new TensorSpec("c2flat", DType.INT8, new int[] {1, 4 * oh * ow}, q(3)));
        ops.add(new Reshape("c2", "c2flat"));
        t.add(new TensorSpec("ap2flat", DType.INT8, new int[] {1, 4 * ch * ch}, q(-128)));
        ops.add(new Reshape("ap2", "ap2flat"));
        int cat = 144 + 36 + 4 * oh * ow + 4 * ch * ch;
        t.add(new TensorSpec("cat", DType.INT8, new int[] {1, cat}, q(-3)));
        ops.add(new Concat(List.of("flat", "mpflat", "c2flat", "ap2flat"), "cat", 1,
                List.of(Requantization.ONE, rq(rnd), new Requantization(1 << 30, -2), rq(rnd))));
        t.add(new TensorSpec("fc", DType.INT8, new int[] {1, 10}, q(0)));
        ops.add(new QLinear("cat", "fc", cat, 10, bytes(rnd, cat * 10), ints(rnd, 10, 20000), rqs(rnd, 10), -128, 127));
        int[] exp = new int[256];
        for (int d = 0; d < 256; d++) {
            exp[d] = (1 << Softmax.EXP_BITS) >> Math.min(31, d / 8);
        }
        t.add(new TensorSpec("probs", DType.INT8, new int[] {1, 10}, q(-128)));
        ops.add(new Softmax("fc", "probs", 1, false, exp));
        t.add(new TensorSpec("sm2", DType.INT8, new int[] {1, 4, 6, 6}, q(-128)));
        ops.add(new Softmax("c1", "sm2", 1, false, exp));
        return new Program(t, List.of("x"), List.of("probs", "sm2"), consts, ops, sliceElements);
    }

    /** An exp table halving every {@code 8} steps. */
    public static int[] expTable() {
        int[] exp = new int[256];
        for (int d = 0; d < 256; d++) {
            exp[d] = (1 << Softmax.EXP_BITS) >> Math.min(31, d / 8);
        }
        return exp;
    }

    /**
     * The ops of attention and embeddings: LayerNorm, both QMatMul layouts with INT8, INT16 and INT32 outputs, CausalSoftmax
     * over one row and over three (one of them seeing no key), Gather with an index out of range, CacheWrite on both cache
     * layouts. Position and indices are constants, so the program has the one int8 input {@code x [1, 8]} a job feeds;
     * outputs "att" (first), "logits", "mm16", "causal", "kc", "vc".
     */
    public static Program attention(int sliceElements) {
        Random rnd = new Random(43);
        List<TensorSpec> t = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        List<Constant> consts = new ArrayList<>();
        t.add(new TensorSpec("x", DType.INT8, new int[] {1, 8}, q(3)));
        t.add(new TensorSpec("pos", DType.INT32, new int[] {1}, Quantization.NONE));
        consts.add(new Constant("pos", Tensor.of(DType.INT32, new int[] {1}, new int[] {2})));
        t.add(new TensorSpec("start", DType.INT32, new int[] {1}, Quantization.NONE));
        consts.add(new Constant("start", Tensor.of(DType.INT32, new int[] {1}, new int[] {-1})));
        t.add(new TensorSpec("ids", DType.INT32, new int[] {3}, Quantization.NONE));
        consts.add(new Constant("ids", Tensor.of(DType.INT32, new int[] {3}, new int[] {4, 6, 0})));
        t.add(new TensorSpec("table", DType.INT8, new int[] {6, 8}, q(-2)));
        consts.add(new Constant("table", Tensor.ofInt8(new int[] {6, 8}, bytes(rnd, 48))));
        t.add(new TensorSpec("kc0", DType.INT8, new int[] {2, 4, 4}, q(3)));
        consts.add(new Constant("kc0", Tensor.ofInt8(new int[] {2, 4, 4}, bytes(rnd, 32))));
        t.add(new TensorSpec("vc0", DType.INT8, new int[] {2, 4, 4}, q(3)));
        consts.add(new Constant("vc0", Tensor.ofInt8(new int[] {2, 4, 4}, bytes(rnd, 32))));
        t.add(new TensorSpec("w", DType.INT8, new int[] {8, 5}, q(1)));
        consts.add(new Constant("w", Tensor.ofInt8(new int[] {8, 5}, bytes(rnd, 40))));

        t.add(new TensorSpec("ln", DType.INT8, new int[] {1, 8}, q(-5)));
        ops.add(new LayerNorm("x", "ln", ints(rnd, 8, LayerNorm.MAX_GAMMA), ints(rnd, 8, 1 << 20), 7,
                new Requantization((1 << 30) + rnd.nextInt(1 << 30), 10)));
        t.add(new TensorSpec("q", DType.INT8, new int[] {2, 1, 4}, q(-5)));
        ops.add(new Reshape("ln", "q"));
        t.add(new TensorSpec("knew", DType.INT8, new int[] {2, 1, 4}, q(3)));
        ops.add(new Reshape("x", "knew"));
        t.add(new TensorSpec("kc", DType.INT8, new int[] {2, 4, 4}, q(3)));
        ops.add(new CacheWrite("kc0", "knew", "pos", "kc", 1));
        t.add(new TensorSpec("scores", DType.INT8, new int[] {2, 1, 4}, q(1)));
        ops.add(new QMatMul("q", "kc", "scores", true, rq(rnd)));
        t.add(new TensorSpec("probs", DType.INT8, new int[] {2, 1, 4}, q(-128)));
        ops.add(new CausalSoftmax("scores", "pos", "probs", expTable()));
        t.add(new TensorSpec("vnew", DType.INT8, new int[] {2, 4, 1}, q(3)));
        ops.add(new Reshape("x", "vnew"));
        t.add(new TensorSpec("vc", DType.INT8, new int[] {2, 4, 4}, q(3)));
        ops.add(new CacheWrite("vc0", "vnew", "pos", "vc", 2));
        t.add(new TensorSpec("heads", DType.INT8, new int[] {2, 1, 4}, q(2)));
        ops.add(new QMatMul("probs", "vc", "heads", true, rq(rnd)));
        t.add(new TensorSpec("att", DType.INT8, new int[] {1, 8}, q(2)));
        ops.add(new Reshape("heads", "att"));
        t.add(new TensorSpec("emb", DType.INT8, new int[] {3, 8}, q(-2)));
        ops.add(new Gather("table", "ids", "emb"));
        t.add(new TensorSpec("mm16", DType.INT16, new int[] {3, 5}, new Quantization(-300, Requantization.ONE)));
        ops.add(new QMatMul("emb", "w", "mm16", false, new Requantization(1 << 30, 0)));
        t.add(new TensorSpec("logits", DType.INT32, new int[] {3, 6}, Quantization.NONE));
        ops.add(new QMatMul("emb", "table", "logits", true, Requantization.ONE));
        t.add(new TensorSpec("self", DType.INT8, new int[] {3, 3}, q(0)));
        ops.add(new QMatMul("emb", "emb", "self", true, rq(rnd)));
        t.add(new TensorSpec("causal", DType.INT8, new int[] {3, 3}, q(-128)));
        ops.add(new CausalSoftmax("self", "start", "causal", expTable()));
        return new Program(t, List.of("x"), List.of("att", "logits", "mm16", "causal", "kc", "vc"), consts, ops,
                sliceElements);
    }

    public static SortedMap<String, Tensor> attentionInput(long seed) {
        Random rnd = new Random(seed);
        TreeMap<String, Tensor> m = new TreeMap<>();
        m.put("x", Tensor.ofInt8(new int[] {1, 8}, bytes(rnd, 8)));
        return m;
    }

    public static SortedMap<String, Tensor> zooInput(long seed) {
        Random rnd = new Random(seed);
        TreeMap<String, Tensor> m = new TreeMap<>();
        m.put("x", Tensor.ofInt8(new int[] {1, 3, 6, 6}, bytes(rnd, 108)));
        return m;
    }
}
