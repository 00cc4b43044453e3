package dev.verity.inference.program;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Canonical binary encoding of a {@link Program}, in core's {@link Encoder} conventions (big-endian,
 * u32 lengths and counts, UTF-8 strings). Signed 32-bit values ({@code i32}) are written as the u32 of
 * their two's-complement bits; {@code int[]} as a u32 count then i32 each; {@code byte[]} as core bytes.
 *
 * <pre>
 * program   = u32 sliceElements
 *             u32 n, n x tensorSpec
 *             u32 n, n x string (inputs)
 *             u32 n, n x string (outputs)
 *             u32 n, n x (string name, bytes canonicalTensorBytes)      (constants; type and shape from the spec)
 *             u32 n, n x op
 * tensorSpec= string name, u8 dtypeCode ({@link DType#code()}), shape, i32 zeroPoint, requant scale
 * shape     = u32 rank, rank x u32 dim
 * requant   = i32 multiplier, i32 shift
 * window    = i32 kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight, dilationH, dilationW
 * op        = u8 tag ({@link OpTag}), then per tag:
 *   1 QLinear     string in, string out, i32 inFeatures, i32 outFeatures, bytes weights, int[] bias,
 *                 (weights empty only in a trace op leaf that commits them by rows: a program refuses it)
 *                 u32 n + n x requant, i32 min, i32 max
 *   2 QConv2d     string in, string out, window, i32 groups, bytes weights, int[] bias, u32 n + n x requant, i32 min, i32 max
 *   3 QAdd, 4 QSub string a, string b, string out, i32 multiplierA, i32 multiplierB, i32 shift, i32 min, i32 max
 *   5 QMul        string a, string b, string out, requant, i32 min, i32 max
 *   6 Rescale     string in, string out, requant, i32 min, i32 max
 *   7 Clamp       string in, string out, i32 min, i32 max
 *   8 LeakyRelu   string in, string out, requant positive, requant negative
 *   9 Lut         string in, string out, bytes table (256)
 *  10 MaxPool     string in, string out, window
 *  11 AveragePool string in, string out, window, bool countIncludePad
 *  12 Softmax     string in, string out, i32 axis, bool coerceTo2d, int[] expTable
 *  13 Reshape     string in, string out
 *  14 Transpose   string in, string out, int[] perm
 *  15 Concat      u32 n + n x string inputs, string out, i32 axis, u32 n + n x requant
 *  16 QMatMul     string a, string b, string out, bool transposeB, requant
 *  17 LayerNorm   string in, string out, int[] gamma, int[] beta, i32 epsilon, requant
 *  18 CausalSoftmax string in, string position, string out, int[] expTable
 *  19 Gather      string table, string indices, string out
 *  20 CacheWrite  string cache, string update, string position, string out, i32 axis
 * </pre>
 *
 * Decoding checks every length against the bytes left before allocating, and re-runs the program's
 * validation; each failure is a {@link DecodingException}.
 */
public final class ProgramCodec {
    /** Longest tensor name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 1024;

    private ProgramCodec() {}

    // ---------------------------------------------------------------------------------------------
    // writing

    public static void write(Encoder e, Program p) {
        e.u32(p.sliceElements());
        e.list(p.tensors(), ProgramCodec::writeSpec);
        e.list(p.inputs(), Encoder::string);
        e.list(p.outputs(), Encoder::string);
        e.list(p.constants(), (enc, c) -> {
            enc.string(c.name());
            enc.bytes(c.value().canonicalBytes());
        });
        e.list(p.ops(), ProgramCodec::writeOp);
    }

    public static void i32(Encoder e, int v) {
        e.u32(v & 0xFFFF_FFFFL);
    }

    public static void ints(Encoder e, int[] v) {
        e.u32(v.length);
        for (int x : v) {
            i32(e, x);
        }
    }

    public static void shape(Encoder e, int[] shape) {
        e.u32(shape.length);
        for (int d : shape) {
            e.u32(d);
        }
    }

    private static void requant(Encoder e, Requantization r) {
        i32(e, r.multiplier());
        i32(e, r.shift());
    }

    private static void requants(Encoder e, List<Requantization> rs) {
        e.list(rs, ProgramCodec::requant);
    }

    private static void window(Encoder e, Window2d w) {
        for (int v : new int[] {w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), w.padTop(), w.padLeft(),
                w.padBottom(), w.padRight(), w.dilationH(), w.dilationW()}) {
            i32(e, v);
        }
    }

    /** Writes a tensor spec ({@code tensorSpec} above). */
    public static void writeSpec(Encoder e, TensorSpec t) {
        e.string(t.name());
        e.u8(t.dtype().code());
        shape(e, t.shape());
        i32(e, t.quantization().zeroPoint());
        requant(e, t.quantization().scale());
    }

    /** Writes one op ({@code op} above). */
    public static void writeOp(Encoder e, Op op) {
        writeOp(e, op, true);
    }

    /**
     * Writes one op; with {@code weights} false the weights field of a QLinear or QConv2d is written empty (u32 0), for
     * an encoding that commits to the weights elsewhere (a trace's op leaf commits large ones row by row): it reads back
     * as a hollow op.
     */
    public static void writeOp(Encoder e, Op op, boolean weights) {
        switch (op) {
            case QLinear q -> {
                e.u8(OpTag.QLINEAR).string(q.input()).string(q.output());
                i32(e, q.inFeatures());
                i32(e, q.outFeatures());
                e.bytes(weights ? q.weights() : new byte[0]);
                ints(e, q.bias());
                requants(e, q.requant());
                i32(e, q.min());
                i32(e, q.max());
            }
            case QConv2d c -> {
                e.u8(OpTag.QCONV2D).string(c.input()).string(c.output());
                window(e, c.window());
                i32(e, c.groups());
                e.bytes(weights ? c.weights() : new byte[0]);
                ints(e, c.bias());
                requants(e, c.requant());
                i32(e, c.min());
                i32(e, c.max());
            }
            case QAdd a -> elementwise(e, OpTag.QADD, a.a(), a.b(), a.output(), a.multiplierA(), a.multiplierB(), a.shift(),
                    a.min(), a.max());
            case QSub a -> elementwise(e, OpTag.QSUB, a.a(), a.b(), a.output(), a.multiplierA(), a.multiplierB(), a.shift(),
                    a.min(), a.max());
            case QMul m -> {
                e.u8(OpTag.QMUL).string(m.a()).string(m.b()).string(m.output());
                requant(e, m.requant());
                i32(e, m.min());
                i32(e, m.max());
            }
            case Rescale r -> {
                e.u8(OpTag.RESCALE).string(r.input()).string(r.output());
                requant(e, r.requant());
                i32(e, r.min());
                i32(e, r.max());
            }
            case Clamp c -> {
                e.u8(OpTag.CLAMP).string(c.input()).string(c.output());
                i32(e, c.min());
                i32(e, c.max());
            }
            case LeakyRelu l -> {
                e.u8(OpTag.LEAKYRELU).string(l.input()).string(l.output());
                requant(e, l.positive());
                requant(e, l.negative());
            }
            case Lut l -> e.u8(OpTag.LUT).string(l.input()).string(l.output()).bytes(l.table());
            case MaxPool p -> {
                e.u8(OpTag.MAXPOOL).string(p.input()).string(p.output());
                window(e, p.window());
            }
            case AveragePool p -> {
                e.u8(OpTag.AVERAGEPOOL).string(p.input()).string(p.output());
                window(e, p.window());
                e.bool(p.countIncludePad());
            }
            case Softmax s -> {
                e.u8(OpTag.SOFTMAX).string(s.input()).string(s.output());
                i32(e, s.axis());
                e.bool(s.coerceTo2d());
                ints(e, s.expTable());
            }
            case Reshape r -> e.u8(OpTag.RESHAPE).string(r.input()).string(r.output());
            case Transpose t -> {
                e.u8(OpTag.TRANSPOSE).string(t.input()).string(t.output());
                ints(e, t.perm());
            }
            case Concat c -> {
                e.u8(OpTag.CONCAT);
                e.list(c.inputs(), Encoder::string);
                e.string(c.output());
                i32(e, c.axis());
                requants(e, c.requant());
            }
            case QMatMul m -> {
                e.u8(OpTag.QMATMUL).string(m.a()).string(m.b()).string(m.output());
                e.bool(m.transposeB());
                requant(e, m.requant());
            }
            case LayerNorm n -> {
                e.u8(OpTag.LAYERNORM).string(n.input()).string(n.output());
                ints(e, n.gamma());
                ints(e, n.beta());
                i32(e, n.epsilon());
                requant(e, n.requant());
            }
            case CausalSoftmax s -> {
                e.u8(OpTag.CAUSALSOFTMAX).string(s.input()).string(s.position()).string(s.output());
                ints(e, s.expTable());
            }
            case Gather g -> e.u8(OpTag.GATHER).string(g.table()).string(g.indices()).string(g.output());
            case CacheWrite c -> {
                e.u8(OpTag.CACHEWRITE).string(c.cache()).string(c.update()).string(c.position()).string(c.output());
                i32(e, c.axis());
            }
        }
    }

    private static void elementwise(Encoder e, int tag, String a, String b, String out, int ma, int mb, int shift, int min,
            int max) {
        e.u8(tag).string(a).string(b).string(out);
        i32(e, ma);
        i32(e, mb);
        i32(e, shift);
        i32(e, min);
        i32(e, max);
    }

    // ---------------------------------------------------------------------------------------------
    // reading

    public static Program read(Decoder d) {
        int slice = i32(d, "sliceElements");
        List<TensorSpec> specs = list(d, "tensors", 1 + 4 + 1 + 4 + 12, ProgramCodec::readSpec);
        List<String> inputs = list(d, "inputs", 4, x -> name(x, "input name"));
        List<String> outputs = list(d, "outputs", 4, x -> name(x, "output name"));
        TensorSpec[] byName = specs.toArray(new TensorSpec[0]);
        List<Constant> constants = list(d, "constants", 8, x -> readConstant(x, byName));
        List<Op> ops = list(d, "ops", 1, ProgramCodec::readOp);
        return guard("program", () -> new Program(specs, inputs, outputs, constants, ops, slice));
    }

    /** Runs a constructor, turning its {@link IllegalArgumentException} into a {@link DecodingException}. */
    public static <T> T guard(String what, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new DecodingException(what + ": " + e.getMessage());
        }
    }

    public static int i32(Decoder d, String what) {
        return (int) d.u32(what);
    }

    /** A count of items each at least {@code minItemBytes} long, checked against the bytes left. */
    public static int count(Decoder d, String what, int minItemBytes) {
        long n = d.u32(what + " count");
        if (n * Math.max(1, minItemBytes) > d.remaining()) {
            throw new DecodingException(what + ": " + n + " items cannot fit in the " + d.remaining() + " bytes left");
        }
        return (int) n;
    }

    public static <T> List<T> list(Decoder d, String what, int minItemBytes, java.util.function.Function<Decoder, T> item) {
        int n = count(d, what, minItemBytes);
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(item.apply(d));
        }
        return out;
    }

    public static int[] ints(Decoder d, String what) {
        int n = count(d, what, 4);
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = i32(d, what);
        }
        return v;
    }

    public static int[] shape(Decoder d, String what) {
        long rank = d.u32(what + " rank");
        if (rank > Shapes.MAX_RANK) {
            throw new DecodingException(what + ": rank " + rank + " above " + Shapes.MAX_RANK);
        }
        int[] s = new int[(int) rank];
        for (int i = 0; i < s.length; i++) {
            long v = d.u32(what + " dimension");
            if (v > Integer.MAX_VALUE) {
                throw new DecodingException(what + ": dimension " + v + " too large");
            }
            s[i] = (int) v;
        }
        return s;
    }

    public static String name(Decoder d, String what) {
        String s = d.string(what, MAX_NAME_BYTES);
        if (s.isEmpty()) {
            throw new DecodingException(what + " is empty");
        }
        return s;
    }

    private static Requantization requant(Decoder d, String what) {
        int m = i32(d, what + " multiplier");
        int s = i32(d, what + " shift");
        return guard(what, () -> new Requantization(m, s));
    }

    private static List<Requantization> requants(Decoder d, String what) {
        return list(d, what, 8, x -> requant(x, what));
    }

    private static Window2d window(Decoder d) {
        int[] v = new int[10];
        for (int i = 0; i < 10; i++) {
            v[i] = i32(d, "window");
        }
        return guard("window", () -> new Window2d(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]));
    }

    private static byte[] bytes(Decoder d, String what) {
        return d.bytes(what, d.remaining());
    }

    /** Reads a tensor spec written by {@link #writeSpec}. */
    public static TensorSpec readSpec(Decoder d) {
        String name = name(d, "tensor name");
        int code = d.u8("dtype of '" + name + "'");
        DType dtype = DType.fromCode(code);
        int[] shape = shape(d, "shape of '" + name + "'");
        int zp = i32(d, "zero point of '" + name + "'");
        Requantization scale = requant(d, "scale of '" + name + "'");
        return guard("tensor '" + name + "'", () -> new TensorSpec(name, dtype, shape, new Quantization(zp, scale)));
    }

    private static Constant readConstant(Decoder d, TensorSpec[] specs) {
        String name = name(d, "constant name");
        TensorSpec spec = null;
        for (TensorSpec s : specs) {
            if (s.name().equals(name)) {
                spec = s;
                break;
            }
        }
        if (spec == null) {
            throw new DecodingException("constant '" + name + "' is not a declared tensor");
        }
        byte[] raw = bytes(d, "value of constant '" + name + "'");
        TensorSpec s = spec;
        return guard("constant '" + name + "'",
                () -> new Constant(name, Tensor.fromCanonicalBytes(s.dtype(), s.shape(), raw)));
    }

    /**
     * Reads one op written by {@link #writeOp}; a QLinear or QConv2d written without its weights reads back hollow
     * (no weights), which a program refuses.
     */
    public static Op readOp(Decoder d) {
        int tag = d.u8("op tag");
        switch (tag) {
            case OpTag.QLINEAR -> {
                String in = name(d, "QLinear input");
                String out = name(d, "QLinear output");
                int k = i32(d, "QLinear inFeatures");
                int n = i32(d, "QLinear outFeatures");
                byte[] w = bytes(d, "QLinear weights");
                int[] b = ints(d, "QLinear bias");
                List<Requantization> r = requants(d, "QLinear requant");
                int min = i32(d, "QLinear min");
                int max = i32(d, "QLinear max");
                return guard("QLinear", () -> new QLinear(in, out, k, n, w, b, r, min, max));
            }
            case OpTag.QCONV2D -> {
                String in = name(d, "QConv2d input");
                String out = name(d, "QConv2d output");
                Window2d win = window(d);
                int groups = i32(d, "QConv2d groups");
                byte[] w = bytes(d, "QConv2d weights");
                int[] b = ints(d, "QConv2d bias");
                List<Requantization> r = requants(d, "QConv2d requant");
                int min = i32(d, "QConv2d min");
                int max = i32(d, "QConv2d max");
                return guard("QConv2d", () -> new QConv2d(in, out, win, groups, w, b, r, min, max));
            }
            case OpTag.QADD, OpTag.QSUB -> {
                String kind = tag == OpTag.QADD ? "QAdd" : "QSub";
                String a = name(d, kind + " a");
                String b = name(d, kind + " b");
                String out = name(d, kind + " output");
                int ma = i32(d, kind + " multiplierA");
                int mb = i32(d, kind + " multiplierB");
                int shift = i32(d, kind + " shift");
                int min = i32(d, kind + " min");
                int max = i32(d, kind + " max");
                return guard(kind, () -> tag == OpTag.QADD ? new QAdd(a, b, out, ma, mb, shift, min, max)
                        : new QSub(a, b, out, ma, mb, shift, min, max));
            }
            case OpTag.QMUL -> {
                String a = name(d, "QMul a");
                String b = name(d, "QMul b");
                String out = name(d, "QMul output");
                Requantization r = requant(d, "QMul requant");
                int min = i32(d, "QMul min");
                int max = i32(d, "QMul max");
                return guard("QMul", () -> new QMul(a, b, out, r, min, max));
            }
            case OpTag.RESCALE -> {
                String in = name(d, "Rescale input");
                String out = name(d, "Rescale output");
                Requantization r = requant(d, "Rescale requant");
                int min = i32(d, "Rescale min");
                int max = i32(d, "Rescale max");
                return guard("Rescale", () -> new Rescale(in, out, r, min, max));
            }
            case OpTag.CLAMP -> {
                String in = name(d, "Clamp input");
                String out = name(d, "Clamp output");
                int min = i32(d, "Clamp min");
                int max = i32(d, "Clamp max");
                return guard("Clamp", () -> new Clamp(in, out, min, max));
            }
            case OpTag.LEAKYRELU -> {
                String in = name(d, "LeakyRelu input");
                String out = name(d, "LeakyRelu output");
                Requantization pos = requant(d, "LeakyRelu positive");
                Requantization neg = requant(d, "LeakyRelu negative");
                return guard("LeakyRelu", () -> new LeakyRelu(in, out, pos, neg));
            }
            case OpTag.LUT -> {
                String in = name(d, "Lut input");
                String out = name(d, "Lut output");
                byte[] table = bytes(d, "Lut table");
                return guard("Lut", () -> new Lut(in, out, table));
            }
            case OpTag.MAXPOOL -> {
                String in = name(d, "MaxPool input");
                String out = name(d, "MaxPool output");
                Window2d w = window(d);
                return guard("MaxPool", () -> new MaxPool(in, out, w));
            }
            case OpTag.AVERAGEPOOL -> {
                String in = name(d, "AveragePool input");
                String out = name(d, "AveragePool output");
                Window2d w = window(d);
                boolean pad = d.bool("AveragePool countIncludePad");
                return guard("AveragePool", () -> new AveragePool(in, out, w, pad));
            }
            case OpTag.SOFTMAX -> {
                String in = name(d, "Softmax input");
                String out = name(d, "Softmax output");
                int axis = i32(d, "Softmax axis");
                boolean coerce = d.bool("Softmax coerceTo2d");
                int[] table = ints(d, "Softmax expTable");
                return guard("Softmax", () -> new Softmax(in, out, axis, coerce, table));
            }
            case OpTag.RESHAPE -> {
                String in = name(d, "Reshape input");
                String out = name(d, "Reshape output");
                return guard("Reshape", () -> new Reshape(in, out));
            }
            case OpTag.TRANSPOSE -> {
                String in = name(d, "Transpose input");
                String out = name(d, "Transpose output");
                int[] perm = ints(d, "Transpose perm");
                return guard("Transpose", () -> new Transpose(in, out, perm));
            }
            case OpTag.CONCAT -> {
                List<String> ins = list(d, "Concat inputs", 4, x -> name(x, "Concat input"));
                String out = name(d, "Concat output");
                int axis = i32(d, "Concat axis");
                List<Requantization> r = requants(d, "Concat requant");
                return guard("Concat", () -> new Concat(ins, out, axis, r));
            }
            case OpTag.QMATMUL -> {
                String a = name(d, "QMatMul a");
                String b = name(d, "QMatMul b");
                String out = name(d, "QMatMul output");
                boolean transposeB = d.bool("QMatMul transposeB");
                Requantization r = requant(d, "QMatMul requant");
                return guard("QMatMul", () -> new QMatMul(a, b, out, transposeB, r));
            }
            case OpTag.LAYERNORM -> {
                String in = name(d, "LayerNorm input");
                String out = name(d, "LayerNorm output");
                int[] gamma = ints(d, "LayerNorm gamma");
                int[] beta = ints(d, "LayerNorm beta");
                int epsilon = i32(d, "LayerNorm epsilon");
                Requantization r = requant(d, "LayerNorm requant");
                return guard("LayerNorm", () -> new LayerNorm(in, out, gamma, beta, epsilon, r));
            }
            case OpTag.CAUSALSOFTMAX -> {
                String in = name(d, "CausalSoftmax input");
                String position = name(d, "CausalSoftmax position");
                String out = name(d, "CausalSoftmax output");
                int[] table = ints(d, "CausalSoftmax expTable");
                return guard("CausalSoftmax", () -> new CausalSoftmax(in, position, out, table));
            }
            case OpTag.GATHER -> {
                String table = name(d, "Gather table");
                String indices = name(d, "Gather indices");
                String out = name(d, "Gather output");
                return guard("Gather", () -> new Gather(table, indices, out));
            }
            case OpTag.CACHEWRITE -> {
                String cache = name(d, "CacheWrite cache");
                String update = name(d, "CacheWrite update");
                String position = name(d, "CacheWrite position");
                String out = name(d, "CacheWrite output");
                int axis = i32(d, "CacheWrite axis");
                return guard("CacheWrite", () -> new CacheWrite(cache, update, position, out, axis));
            }
            default -> throw new DecodingException("unknown op tag " + tag);
        }
    }
}
