package dev.verity.modelhub.quantize;

import dev.verity.inference.program.AveragePool;
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
import dev.verity.inference.program.Softmax;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import dev.verity.inference.program.Transpose;
import dev.verity.inference.program.Window2d;
import dev.verity.modelhub.floatengine.FloatEngine;
import dev.verity.modelhub.floatengine.FloatTensor;
import dev.verity.modelhub.floatengine.UnsupportedOperatorException;
import dev.verity.modelhub.graph.Attribute;
import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.graph.TensorData;
import dev.verity.modelhub.graph.ValueInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns a float {@link Graph}, with {@link Calibration} ranges, into an integer {@link Program}.
 *
 * <h2>Scheme</h2>
 * <ul>
 *   <li><b>Activations</b>: asymmetric int8 per tensor. The calibrated range {@code [min, max]} is widened
 *       to contain 0 (so real 0, used by padding and Relu, is exact); {@code scale = (max - min) / 255},
 *       {@code zeroPoint = round(-128 - min / scale)}. Asymmetric because post-Relu tensors are one-sided:
 *       symmetric int8 would waste half the codes on them. The scale is rounded to fixed point first, and
 *       every factor below is computed from the rounded scale.</li>
 *   <li><b>Weights</b> (Conv, Gemm, MatMul): symmetric int8 per output channel,
 *       {@code sW[c] = max|W[c]| / 127}, values in {@code [-127, 127]}; <b>bias</b> int32 at scale
 *       {@code sX * sW[c]}; requantization {@code sX * sW[c] / sY} per channel.</li>
 *   <li><b>Folding and fusion</b>: BatchNormalization is folded into the Conv/Gemm/MatMul that feeds it
 *       (alone, it becomes a depthwise 1x1 convolution); a MatMul followed by an Add of a constant vector
 *       becomes one QLinear; Relu/Clip directly after Conv/Gemm/MatMul/Add/Sub becomes the op's output
 *       clamp. Fusion only applies when the intermediate tensor has no other reader and is not a graph
 *       output. Dropout and Identity are removed (an Identity producing a graph output becomes a Reshape
 *       copy so output names are kept); Constant nodes and nodes computing only from constants are
 *       evaluated at import; nodes that only compute shapes (Reshape's shape input, for example) are dropped.</li>
 *   <li><b>Fixed ranges</b>: Sigmoid outputs scale 1/256, zero point -128; Tanh 1/128, 0; Softmax 1/256,
 *       -128. Sigmoid and Tanh become 256-entry tables; Softmax gets an exp table
 *       {@code round(2^20 * exp(-sX * d))}.</li>
 *   <li>Layout ops (Reshape, Flatten, Squeeze, Unsqueeze, Transpose) and max/average pooling keep their
 *       input's quantization; Concat requantizes each input to the output's calibrated scale.</li>
 * </ul>
 *
 * Shapes come from calibration (the float engine's observed tensors). An operator outside
 * {@link #supportedOperators()} is refused with an {@link UnsupportedOperatorException} (the float engine's,
 * carrying the operator type and node name) unless its node computes only from constants or only feeds
 * shape inputs.
 */
public final class Quantizer {
    private static final SortedSet<String> SUPPORTED = Collections.unmodifiableSortedSet(new TreeSet<>(List.of(
            "Add", "AveragePool", "BatchNormalization", "Clip", "Concat", "Constant", "Conv", "Div", "Dropout", "Flatten",
            "Gemm", "GlobalAveragePool", "GlobalMaxPool", "Identity", "LeakyRelu", "MatMul", "MaxPool", "Mul", "Relu",
            "Reshape", "Sigmoid", "Softmax", "Squeeze", "Sub", "Tanh", "Transpose", "Unsqueeze")));

    private final QuantizerOptions options;

    public Quantizer() {
        this(QuantizerOptions.DEFAULT);
    }

    public Quantizer(QuantizerOptions options) {
        this.options = options;
    }

    /** The ONNX operators the quantizer translates, sorted. */
    public static SortedSet<String> supportedOperators() {
        return SUPPORTED;
    }

    /**
     * @throws UnsupportedOperatorException for an operator (or operator variant) without an integer form, used
     *         by a node that computes a model output from run-time data; the exception names the operator and node
     * @throws IllegalArgumentException if the graph and calibration do not fit together
     */
    public QuantizedModel quantize(Graph graph, Calibration calibration) {
        return new Job(graph, calibration, options).run();
    }

    static String nodeName(Node n) {
        return n.name().isEmpty() ? n.outputs().get(0) : n.name();
    }

    // ---------------------------------------------------------------------------------------------

    /** The state of one quantization. */
    private static final class Job {
        private final Graph graph;
        private final Calibration cal;
        private final QuantizerOptions options;
        private final List<Node> nodes;
        private final TreeMap<String, FloatTensor> consts = new TreeMap<>();
        private final TreeMap<String, String> alias = new TreeMap<>();
        private final TreeMap<String, TensorSpec> specs = new TreeMap<>();
        private final List<TensorSpec> specList = new ArrayList<>();
        private final List<Constant> constants = new ArrayList<>();
        private final List<Op> ops = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final TreeMap<String, List<Integer>> consumers = new TreeMap<>();
        private final TreeSet<String> graphOutputs = new TreeSet<>();
        private final boolean[] done;

        Job(Graph graph, Calibration cal, QuantizerOptions options) {
            this.graph = graph;
            this.cal = cal;
            this.options = options;
            this.nodes = graph.nodes();
            this.done = new boolean[nodes.size()];
            for (TensorData t : graph.initializers().values()) {
                consts.put(t.name(), FloatTensor.fromTensorData(t));
            }
            for (int i = 0; i < nodes.size(); i++) {
                for (String in : nodes.get(i).inputs()) {
                    if (!in.isEmpty()) {
                        consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
                    }
                }
            }
            for (ValueInfo o : graph.outputs()) {
                graphOutputs.add(o.name());
            }
        }

        QuantizedModel run() {
            List<String> inputs = new ArrayList<>();
            for (ValueInfo in : graph.inputs()) {
                if (consts.containsKey(in.name())) {
                    continue;
                }
                if (in.type() != DataType.FLOAT) {
                    throw new IllegalArgumentException("graph input '" + in.name() + "' is " + in.type()
                            + "; the quantizer takes FLOAT inputs");
                }
                declare(in.name(), calibrated(in.name()));
                inputs.add(in.name());
            }
            boolean[] needed = neededNodes();
            for (int i = 0; i < nodes.size(); i++) {
                if (done[i]) {
                    continue;
                }
                done[i] = true;
                if (!needed[i]) {
                    notes.add("dropped " + nodes.get(i).describe() + " (computes no model output)");
                    continue;
                }
                Node n = nodes.get(i);
                if (!SUPPORTED.contains(n.opType())) {
                    if (foldConstant(n)) {
                        continue;
                    }
                    throw new UnsupportedOperatorException(n.opType(), nodeName(n), "the quantizer does not support "
                            + "operator " + n.opType() + " (used by " + n.describe() + "); supported: " + SUPPORTED);
                }
                translate(i, n);
            }
            List<String> outputs = new ArrayList<>();
            for (ValueInfo o : graph.outputs()) {
                String name = resolve(o.name());
                if (!specs.containsKey(name)) {
                    throw new IllegalArgumentException("graph output '" + o.name() + "' is not computed by the program");
                }
                if (!outputs.contains(name)) {
                    outputs.add(name);
                }
            }
            Program program = new Program(specList, inputs, outputs, constants, ops, options.sliceElements());
            return new QuantizedModel(program, notes);
        }

        // ----------------------------------------------------------------------------- analysis

        /** Indices of the inputs of a node that carry data (not shapes or clip bounds). */
        private static List<Integer> dataInputs(Node n) {
            return switch (n.opType()) {
                case "Reshape", "Squeeze", "Unsqueeze", "Clip", "Dropout" -> List.of(0);
                default -> {
                    List<Integer> all = new ArrayList<>();
                    for (int i = 0; i < n.inputs().size(); i++) {
                        all.add(i);
                    }
                    yield all;
                }
            };
        }

        /** Nodes whose outputs reach a graph output through data inputs. */
        private boolean[] neededNodes() {
            TreeSet<String> want = new TreeSet<>(graphOutputs);
            boolean[] needed = new boolean[nodes.size()];
            for (int i = nodes.size() - 1; i >= 0; i--) {
                Node n = nodes.get(i);
                for (String o : n.outputs()) {
                    if (want.contains(o)) {
                        needed[i] = true;
                        break;
                    }
                }
                if (needed[i]) {
                    for (int k : dataInputs(n)) {
                        String in = n.inputs().get(k);
                        if (!in.isEmpty()) {
                            want.add(in);
                        }
                    }
                }
            }
            return needed;
        }

        private String resolve(String name) {
            String n = name;
            while (alias.containsKey(n)) {
                n = alias.get(n);
            }
            return n;
        }

        /** The one node reading {@code tensor}, if exactly one does and it is not a graph output. */
        private Node soleConsumer(String tensor, String opType) {
            List<Integer> c = consumers.get(tensor);
            if (c == null || c.size() != 1 || graphOutputs.contains(tensor) || done[c.get(0)]) {
                return null;
            }
            Node n = nodes.get(c.get(0));
            if (!n.opType().equals(opType) || !n.inputs().get(0).equals(tensor)) {
                return null;
            }
            return n;
        }

        private void consume(Node n) {
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i) == n) {
                    done[i] = true;
                    return;
                }
            }
            throw new IllegalStateException("node not in graph: " + n.describe());
        }

        // ----------------------------------------------------------------------------- tensors

        private Quantization calibrated(String name) {
            TensorRange r = cal.range(name);
            return FixedPoint.asymmetric(r.min(), r.max());
        }

        private int[] shapeOf(String name) {
            return cal.range(name).shape();
        }

        private TensorSpec declare(String name, Quantization q) {
            return declare(name, shapeOf(name), q);
        }

        private TensorSpec declare(String name, int[] shape, Quantization q) {
            if (specs.containsKey(name)) {
                throw new IllegalArgumentException("tensor '" + name + "' is defined twice");
            }
            TensorSpec s = new TensorSpec(name, DType.INT8, shape, q);
            specs.put(name, s);
            specList.add(s);
            return s;
        }

        /** The program tensor for an activation input of {@code n}; constants become program constants. */
        private TensorSpec operand(Node n, String raw) {
            String name = resolve(raw);
            TensorSpec s = specs.get(name);
            if (s != null) {
                return s;
            }
            FloatTensor c = consts.get(name);
            if (c != null) {
                float[] v = c.data();
                double min = 0;
                double max = 0;
                for (float f : v) {
                    min = Math.min(min, f);
                    max = Math.max(max, f);
                }
                Quantization q = FixedPoint.asymmetric(min, max);
                TensorSpec spec = declare(name, c.shape(), q);
                constants.add(new Constant(name, FixedPoint.quantize(c, q)));
                return spec;
            }
            throw new IllegalArgumentException(n.describe() + " reads '" + raw + "', which the program does not compute");
        }

        private TensorSpec activation(Node n, int input) {
            String name = resolve(n.inputs().get(input));
            TensorSpec s = specs.get(name);
            if (s == null) {
                if (consts.containsKey(name)) {
                    throw unsupported(n, "input #" + input + " ('" + name + "') must be computed, not a constant");
                }
                throw new IllegalArgumentException(n.describe() + " reads '" + name + "', which the program does not compute");
            }
            return s;
        }

        private FloatTensor constant(Node n, int input, String what) {
            if (input >= n.inputs().size() || n.inputs().get(input).isEmpty()) {
                return null;
            }
            FloatTensor c = consts.get(resolve(n.inputs().get(input)));
            if (c == null) {
                throw unsupported(n, what + " ('" + n.inputs().get(input) + "') must be a constant");
            }
            if (!c.isFloat()) {
                throw unsupported(n, what + " must be a FLOAT tensor, is " + c.type());
            }
            return c;
        }

        private static UnsupportedOperatorException unsupported(Node n, String why) {
            return new UnsupportedOperatorException(n.opType(), nodeName(n), n.describe() + ": " + why);
        }

        private static double scale(TensorSpec s) {
            return FixedPoint.scale(s.quantization());
        }

        private static int q(double real, TensorSpec s) {
            return FixedPoint.quantize(real, s.quantization(), -128, 127);
        }

        // ----------------------------------------------------------------------------- translation

        private void translate(int index, Node n) {
            switch (n.opType()) {
                case "Identity", "Dropout" -> identity(n);
                case "Constant" -> consts.put(n.outputs().get(0), constantValue(n));
                case "Conv" -> conv(n);
                case "Gemm" -> gemm(n);
                case "MatMul" -> matMul(n);
                case "BatchNormalization" -> batchNorm(n);
                case "Relu", "Clip" -> clamp(n);
                case "LeakyRelu" -> leakyRelu(n);
                case "Sigmoid", "Tanh" -> lut(n);
                case "Softmax" -> softmax(n);
                case "MaxPool", "AveragePool" -> pool(n);
                case "GlobalAveragePool", "GlobalMaxPool" -> globalPool(n);
                case "Add", "Sub" -> addSub(n);
                case "Mul" -> mul(n);
                case "Div" -> div(n);
                case "Reshape", "Flatten", "Squeeze", "Unsqueeze" -> reshape(n);
                case "Transpose" -> transpose(n);
                case "Concat" -> concat(n);
                default -> throw unsupported(n, "unsupported operator");
            }
        }

        /** True when every data input is a constant: the node is evaluated now, by the float engine. */
        private boolean foldConstant(Node n) {
            if (n.opType().equals("Constant")) {
                return false;
            }
            List<Integer> data = dataInputs(n);
            for (int k : data) {
                String in = n.inputs().get(k);
                if (!in.isEmpty() && !consts.containsKey(resolve(in))) {
                    return false;
                }
            }
            TreeMap<String, TensorData> init = new TreeMap<>();
            List<String> ins = new ArrayList<>();
            for (String in : n.inputs()) {
                String r = in.isEmpty() ? in : resolve(in);
                ins.add(r);
                if (!r.isEmpty()) {
                    FloatTensor c = consts.get(r);
                    if (c == null) {
                        return false; // a shape input computed at run time
                    }
                    init.put(r, c.toTensorData(r));
                }
            }
            Node copy = new Node(n.name(), n.opType(), ins, n.outputs(), n.attributes());
            List<ValueInfo> outs = new ArrayList<>();
            for (String o : n.outputs()) {
                if (!o.isEmpty()) {
                    outs.add(new ValueInfo(o, DataType.FLOAT, List.of()));
                }
            }
            Graph g = new Graph("fold", graph.irVersion(), graph.opsetVersion(), List.of(), outs, List.of(copy), init);
            Map<String, FloatTensor> values = new FloatEngine(g).run(Map.of());
            for (Map.Entry<String, FloatTensor> e : values.entrySet()) {
                consts.put(e.getKey(), e.getValue());
            }
            notes.add("evaluated " + n.describe() + " at import (constant inputs)");
            return true;
        }

        private void identity(Node n) {
            String in = resolve(n.inputs().get(0));
            String out = n.outputs().get(0);
            if (n.opType().equals("Dropout") && n.outputs().size() > 1 && !n.outputs().get(1).isEmpty()
                    && consumers.containsKey(n.outputs().get(1))) {
                throw unsupported(n, "the Dropout mask output is used");
            }
            if (consts.containsKey(in)) {
                consts.put(out, consts.get(in));
                return;
            }
            if (graphOutputs.contains(out)) {
                TensorSpec x = activation(n, 0);
                declare(out, x.shape(), x.quantization());
                ops.add(new Reshape(x.name(), out));
                return;
            }
            alias.put(out, in);
            notes.add("removed " + n.describe());
        }

        private FloatTensor constantValue(Node n) {
            Attribute v = n.attributes().get("value");
            if (v instanceof Attribute.Tensor t) {
                return FloatTensor.fromTensorData(t.value());
            }
            if (n.attributes().get("value_float") instanceof Attribute.Float f) {
                return FloatTensor.scalar(f.value());
            }
            if (n.attributes().get("value_floats") instanceof Attribute.Floats f) {
                float[] d = f.values();
                return FloatTensor.of(d, d.length);
            }
            if (n.attributes().get("value_int") instanceof Attribute.Int i) {
                return FloatTensor.ofInt64(new int[0], new long[] {i.value()});
            }
            if (n.attributes().get("value_ints") instanceof Attribute.Ints i) {
                long[] d = i.values();
                return FloatTensor.ofInt64(new int[] {d.length}, d);
            }
            throw unsupported(n, "only value, value_float(s) and value_int(s) constants are supported");
        }

        /** Output clamp after fusing a directly following Relu/Clip: the final tensor name and real bounds. */
        private record Fused(String output, double lo, double hi) {}

        private Fused fuseActivation(String out) {
            Node relu = soleConsumer(out, "Relu");
            if (relu != null) {
                consume(relu);
                notes.add("fused " + relu.describe());
                return new Fused(relu.outputs().get(0), 0, Double.POSITIVE_INFINITY);
            }
            Node clip = soleConsumer(out, "Clip");
            if (clip != null) {
                double[] b = clipBounds(clip);
                if (b != null) {
                    consume(clip);
                    notes.add("fused " + clip.describe());
                    return new Fused(clip.outputs().get(0), b[0], b[1]);
                }
            }
            return new Fused(out, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        }

        /** Clip's bounds from attributes (opset &lt; 11) or constant inputs; null if not constant. */
        private double[] clipBounds(Node clip) {
            double lo = Double.NEGATIVE_INFINITY;
            double hi = Double.POSITIVE_INFINITY;
            if (clip.attributes().containsKey("min") || clip.attributes().containsKey("max")) {
                lo = clip.floatAttr("min", Float.NEGATIVE_INFINITY);
                hi = clip.floatAttr("max", Float.POSITIVE_INFINITY);
            }
            for (int k = 1; k <= 2 && k < clip.inputs().size(); k++) {
                String in = clip.inputs().get(k);
                if (in.isEmpty()) {
                    continue;
                }
                FloatTensor c = consts.get(resolve(in));
                if (c == null || c.size() != 1) {
                    return null;
                }
                if (k == 1) {
                    lo = c.getDouble(0);
                } else {
                    hi = c.getDouble(0);
                }
            }
            return new double[] {lo, hi};
        }

        private static int clampMin(double lo, TensorSpec y) {
            return lo == Double.NEGATIVE_INFINITY ? -128 : q(lo, y);
        }

        private static int clampMax(double hi, TensorSpec y) {
            return hi == Double.POSITIVE_INFINITY ? 127 : q(hi, y);
        }

        /** Weights [rows][len] in float, with a bias per row. */
        private record Affine(double[] w, double[] b, int rows, int len) {}

        /** Folds a BatchNormalization reading {@code out} into the affine map, if there is one. */
        private String foldBatchNorm(String out, Affine a, Node producer) {
            Node bn = soleConsumer(out, "BatchNormalization");
            if (bn == null) {
                return out;
            }
            double[][] p = bnParams(bn, a.rows());
            for (int r = 0; r < a.rows(); r++) {
                for (int k = 0; k < a.len(); k++) {
                    a.w()[r * a.len() + k] *= p[0][r];
                }
                a.b()[r] = a.b()[r] * p[0][r] + p[1][r];
            }
            consume(bn);
            notes.add("folded " + bn.describe() + " into " + producer.describe());
            return bn.outputs().get(0);
        }

        /** {scale, shift} per channel: y = x * scale + shift. */
        private double[][] bnParams(Node bn, int channels) {
            if (bn.intAttr("training_mode", 0) != 0) {
                throw unsupported(bn, "training mode");
            }
            if (bn.outputs().size() > 1) {
                for (int k = 1; k < bn.outputs().size(); k++) {
                    if (!bn.outputs().get(k).isEmpty() && consumers.containsKey(bn.outputs().get(k))) {
                        throw unsupported(bn, "running mean/variance outputs are used");
                    }
                }
            }
            float[] gamma = constant(bn, 1, "scale").data();
            float[] beta = constant(bn, 2, "bias").data();
            float[] mean = constant(bn, 3, "mean").data();
            float[] var = constant(bn, 4, "variance").data();
            if (gamma.length != channels || beta.length != channels || mean.length != channels || var.length != channels) {
                throw unsupported(bn, "parameters must have " + channels + " channels");
            }
            double eps = bn.floatAttr("epsilon", 1e-5f);
            double[][] p = new double[2][channels];
            for (int c = 0; c < channels; c++) {
                double s = gamma[c] / Math.sqrt(var[c] + eps);
                p[0][c] = s;
                p[1][c] = beta[c] - mean[c] * s;
            }
            return p;
        }

        /** Quantized weights (symmetric per row), bias and requantization for an affine op. */
        private record QWeights(byte[] w, int[] b, List<Requantization> rq) {}

        private static QWeights quantizeWeights(Affine a, double sx, double sy) {
            byte[] wq = new byte[a.w().length];
            int[] bq = new int[a.rows()];
            List<Requantization> rq = new ArrayList<>();
            for (int r = 0; r < a.rows(); r++) {
                double amax = 0;
                for (int k = 0; k < a.len(); k++) {
                    amax = Math.max(amax, Math.abs(a.w()[r * a.len() + k]));
                }
                double sw = amax > 0 ? amax / 127.0 : 1.0;
                for (int k = 0; k < a.len(); k++) {
                    double v = Math.rint(a.w()[r * a.len() + k] / sw);
                    wq[r * a.len() + k] = (byte) Math.max(-127, Math.min(127, v));
                }
                double b = Math.rint(a.b()[r] / (sx * sw));
                bq[r] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, b));
                rq.add(FixedPoint.of(sx * sw / sy));
            }
            return new QWeights(wq, bq, rq);
        }

        private void conv(Node n) {
            TensorSpec x = activation(n, 0);
            FloatTensor w = constant(n, 1, "weights");
            if (x.rank() != 4 || w.rank() != 4) {
                throw unsupported(n, "only 2-D convolution (NCHW input, 4-D weights) is supported");
            }
            int cout = w.dim(0);
            int kh = w.dim(2);
            int kw = w.dim(3);
            int groups = (int) n.intAttr("group", 1);
            Window2d win = window(n, x, kh, kw);
            float[] wf = w.data();
            double[] wd = new double[wf.length];
            for (int i = 0; i < wf.length; i++) {
                wd[i] = wf[i];
            }
            double[] b = new double[cout];
            FloatTensor bias = constant(n, 2, "bias");
            if (bias != null) {
                float[] bf = bias.data();
                if (bf.length != cout) {
                    throw unsupported(n, "bias must have " + cout + " values");
                }
                for (int i = 0; i < cout; i++) {
                    b[i] = bf[i];
                }
            }
            Affine a = new Affine(wd, b, cout, wf.length / cout);
            String out = foldBatchNorm(n.outputs().get(0), a, n);
            Fused f = fuseActivation(out);
            TensorSpec y = declare(f.output(), calibrated(f.output()));
            QWeights qw = quantizeWeights(a, scale(x), scale(y));
            ops.add(new QConv2d(x.name(), y.name(), win, groups, qw.w(), qw.b(), qw.rq(), clampMin(f.lo(), y),
                    clampMax(f.hi(), y)));
        }

        /** The 2-D window of a Conv or pooling node, resolving auto_pad against the input shape. */
        private Window2d window(Node n, TensorSpec x, int kh, int kw) {
            long[] kernel = n.intsAttr("kernel_shape", new long[] {kh, kw});
            if (kernel.length != 2 || kernel[0] != kh || kernel[1] != kw) {
                throw unsupported(n, "kernel_shape " + Arrays.toString(kernel) + " must be 2-D and match the weights");
            }
            long[] strides = n.intsAttr("strides", new long[] {1, 1});
            long[] dil = n.intsAttr("dilations", new long[] {1, 1});
            long[] pads = n.intsAttr("pads", new long[] {0, 0, 0, 0});
            if (strides.length != 2 || dil.length != 2 || pads.length != 4) {
                throw unsupported(n, "strides, dilations and pads must be 2-D");
            }
            String autoPad = n.stringAttr("auto_pad", "NOTSET");
            if (autoPad.equals("VALID")) {
                pads = new long[4];
            } else if (autoPad.startsWith("SAME")) {
                pads = new long[4];
                for (int ax = 0; ax < 2; ax++) {
                    long in = x.dim(2 + ax);
                    long k = ax == 0 ? kh : kw;
                    long outSize = (in + strides[ax] - 1) / strides[ax];
                    long total = Math.max(0, (outSize - 1) * strides[ax] + (k - 1) * dil[ax] + 1 - in);
                    long small = total / 2;
                    long big = total - small;
                    pads[ax] = autoPad.equals("SAME_UPPER") ? small : big;
                    pads[ax + 2] = autoPad.equals("SAME_UPPER") ? big : small;
                }
            } else if (!autoPad.equals("NOTSET")) {
                throw unsupported(n, "auto_pad " + autoPad);
            }
            try {
                return new Window2d(kh, kw, (int) strides[0], (int) strides[1], (int) pads[0], (int) pads[1], (int) pads[2],
                        (int) pads[3], (int) dil[0], (int) dil[1]);
            } catch (IllegalArgumentException e) {
                throw unsupported(n, e.getMessage());
            }
        }

        private void gemm(Node n) {
            TensorSpec x = activation(n, 0);
            FloatTensor bt = constant(n, 1, "B");
            if (n.intAttr("transA", 0) != 0) {
                throw unsupported(n, "transA=1");
            }
            if (x.rank() != 2 || bt.rank() != 2) {
                throw unsupported(n, "A and B must be 2-D");
            }
            boolean transB = n.intAttr("transB", 0) != 0;
            int k = x.dim(1);
            int nOut = transB ? bt.dim(0) : bt.dim(1);
            if ((transB ? bt.dim(1) : bt.dim(0)) != k) {
                throw unsupported(n, "B does not match A's " + k + " columns");
            }
            double alpha = n.floatAttr("alpha", 1f);
            double beta = n.floatAttr("beta", 1f);
            float[] bf = bt.data();
            double[] w = new double[nOut * k];
            for (int o = 0; o < nOut; o++) {
                for (int i = 0; i < k; i++) {
                    w[o * k + i] = alpha * (transB ? bf[o * k + i] : bf[i * nOut + o]);
                }
            }
            double[] b = new double[nOut];
            FloatTensor c = constant(n, 2, "C");
            if (c != null) {
                float[] cf = c.data();
                int[] cs = c.shape();
                boolean vector = cf.length == nOut && (cs.length == 1 || (cs.length == 2 && cs[0] == 1));
                if (cf.length == 1) {
                    Arrays.fill(b, beta * cf[0]);
                } else if (vector || (cf.length == nOut && x.dim(0) == 1)) {
                    for (int o = 0; o < nOut; o++) {
                        b[o] = beta * cf[o];
                    }
                } else {
                    throw unsupported(n, "C of shape " + Arrays.toString(cs) + " (only per-output-feature bias)");
                }
            }
            linear(n, x, new Affine(w, b, nOut, k));
        }

        private void matMul(Node n) {
            TensorSpec x = activation(n, 0);
            FloatTensor bt = constant(n, 1, "B");
            if (bt.rank() != 2) {
                throw unsupported(n, "B must be a 2-D constant");
            }
            int k = bt.dim(0);
            int nOut = bt.dim(1);
            if (x.dim(x.rank() - 1) != k) {
                throw unsupported(n, "B does not match A's last dimension");
            }
            float[] bf = bt.data();
            double[] w = new double[nOut * k];
            for (int o = 0; o < nOut; o++) {
                for (int i = 0; i < k; i++) {
                    w[o * k + i] = bf[i * nOut + o];
                }
            }
            linear(n, x, new Affine(w, new double[nOut], nOut, k));
        }

        /** Gemm/MatMul: bias Add fusion (MatMul), BatchNormalization folding, activation fusion, QLinear. */
        private void linear(Node n, TensorSpec x, Affine a) {
            String out = n.outputs().get(0);
            if (n.opType().equals("MatMul")) {
                Node add = biasAdd(out, a.rows());
                if (add != null) {
                    FloatTensor c = consts.get(resolve(add.inputs().get(add.inputs().get(0).equals(out) ? 1 : 0)));
                    float[] cf = c.data();
                    for (int o = 0; o < a.rows(); o++) {
                        a.b()[o] += cf[o];
                    }
                    consume(add);
                    notes.add("fused " + add.describe() + " into " + n.describe() + " as its bias");
                    out = add.outputs().get(0);
                }
            }
            out = foldBatchNorm(out, a, n);
            Fused f = fuseActivation(out);
            TensorSpec y = declare(f.output(), calibrated(f.output()));
            QWeights qw = quantizeWeights(a, scale(x), scale(y));
            ops.add(new QLinear(x.name(), y.name(), a.len(), a.rows(), qw.w(), qw.b(), qw.rq(), clampMin(f.lo(), y),
                    clampMax(f.hi(), y)));
        }

        /** An Add reading {@code out} and a constant vector of {@code n} values (shape [n] or [1, .., n]). */
        private Node biasAdd(String out, int n) {
            List<Integer> c = consumers.get(out);
            if (c == null || c.size() != 1 || graphOutputs.contains(out)) {
                return null;
            }
            Node add = nodes.get(c.get(0));
            if (!add.opType().equals("Add") || add.inputs().size() != 2) {
                return null;
            }
            String other = add.inputs().get(add.inputs().get(0).equals(out) ? 1 : 0);
            FloatTensor k = consts.get(resolve(other));
            if (k == null || !k.isFloat() || k.size() != n || k.rank() == 0 || k.dim(k.rank() - 1) != n) {
                return null;
            }
            return add;
        }

        private void batchNorm(Node n) {
            TensorSpec x = activation(n, 0);
            int c = x.dim(1);
            double[][] p = bnParams(n, c);
            String out = n.outputs().get(0);
            if (x.rank() == 4) {
                Affine a = new Affine(p[0].clone(), p[1].clone(), c, 1);
                Fused f = fuseActivation(out);
                TensorSpec y = declare(f.output(), calibrated(f.output()));
                QWeights qw = quantizeWeights(a, scale(x), scale(y));
                ops.add(new QConv2d(x.name(), y.name(), Window2d.of(1, 1), c, qw.w(), qw.b(), qw.rq(), clampMin(f.lo(), y),
                        clampMax(f.hi(), y)));
                notes.add("BatchNormalization " + n.describe() + " became a depthwise 1x1 convolution");
            } else if (x.rank() == 2) {
                double[] w = new double[c * c];
                for (int i = 0; i < c; i++) {
                    w[i * c + i] = p[0][i];
                }
                Fused f = fuseActivation(out);
                TensorSpec y = declare(f.output(), calibrated(f.output()));
                QWeights qw = quantizeWeights(new Affine(w, p[1].clone(), c, c), scale(x), scale(y));
                ops.add(new QLinear(x.name(), y.name(), c, c, qw.w(), qw.b(), qw.rq(), clampMin(f.lo(), y),
                        clampMax(f.hi(), y)));
            } else {
                throw unsupported(n, "standalone BatchNormalization needs a 2-D or 4-D input");
            }
        }

        private void clamp(Node n) {
            if (foldConstant(n)) {
                return;
            }
            TensorSpec x = activation(n, 0);
            double lo = 0;
            double hi = Double.POSITIVE_INFINITY;
            if (n.opType().equals("Clip")) {
                double[] b = clipBounds(n);
                if (b == null) {
                    throw unsupported(n, "min and max must be constant scalars");
                }
                lo = b[0];
                hi = b[1];
            }
            TensorSpec y = declare(n.outputs().get(0), x.shape(), x.quantization());
            int min = clampMin(lo, x);
            int max = Math.max(min, clampMax(hi, x));
            ops.add(new Clamp(x.name(), y.name(), min, max));
        }

        private void leakyRelu(Node n) {
            if (foldConstant(n)) {
                return;
            }
            TensorSpec x = activation(n, 0);
            double alpha = n.floatAttr("alpha", 0.01f);
            TensorSpec y = declare(n.outputs().get(0), calibrated(n.outputs().get(0)));
            double r = scale(x) / scale(y);
            ops.add(new LeakyRelu(x.name(), y.name(), FixedPoint.of(r), FixedPoint.of(alpha * r)));
        }

        private void lut(Node n) {
            if (foldConstant(n)) {
                return;
            }
            TensorSpec x = activation(n, 0);
            boolean sigmoid = n.opType().equals("Sigmoid");
            Quantization qy = sigmoid ? FixedPoint.fixed(1.0 / 256, -128) : FixedPoint.fixed(1.0 / 128, 0);
            TensorSpec y = declare(n.outputs().get(0), x.shape(), qy);
            double sx = scale(x);
            byte[] table = new byte[256];
            for (int i = 0; i < 256; i++) {
                double real = (i - 128 - x.zeroPoint()) * sx;
                double f = sigmoid ? 1.0 / (1.0 + Math.exp(-real)) : Math.tanh(real);
                table[i] = (byte) q(f, y);
            }
            ops.add(new Lut(x.name(), y.name(), table));
        }

        private void softmax(Node n) {
            if (foldConstant(n)) {
                return;
            }
            TensorSpec x = activation(n, 0);
            boolean legacy = graph.opsetVersion() < 13;
            long axis = n.intAttr("axis", legacy ? 1 : -1);
            if (axis < 0) {
                axis += x.rank();
            }
            if (axis < 0 || axis >= x.rank()) {
                throw unsupported(n, "axis out of range");
            }
            double sx = scale(x);
            int[] table = new int[256];
            for (int d = 0; d < 256; d++) {
                table[d] = (int) Math.rint(Math.scalb(Math.exp(-sx * d), Softmax.EXP_BITS));
            }
            table[0] = 1 << Softmax.EXP_BITS;
            TensorSpec y = declare(n.outputs().get(0), x.shape(), FixedPoint.fixed(1.0 / 256, -128));
            ops.add(new Softmax(x.name(), y.name(), (int) axis, legacy, table));
        }

        private void pool(Node n) {
            TensorSpec x = activation(n, 0);
            if (x.rank() != 4) {
                throw unsupported(n, "only 2-D pooling (NCHW) is supported");
            }
            if (n.outputs().size() > 1 && !n.outputs().get(1).isEmpty() && consumers.containsKey(n.outputs().get(1))) {
                throw unsupported(n, "the Indices output is used");
            }
            long[] kernel = n.intsAttr("kernel_shape", null);
            if (kernel == null || kernel.length != 2) {
                throw unsupported(n, "kernel_shape must be 2-D");
            }
            Window2d win = window(n, x, (int) kernel[0], (int) kernel[1]);
            TensorSpec y = declare(n.outputs().get(0), shapeOf(n.outputs().get(0)), x.quantization());
            ops.add(n.opType().equals("MaxPool") ? new MaxPool(x.name(), y.name(), win)
                    : new AveragePool(x.name(), y.name(), win, n.intAttr("count_include_pad", 0) != 0));
        }

        private void globalPool(Node n) {
            TensorSpec x = activation(n, 0);
            if (x.rank() != 4) {
                throw unsupported(n, "only 2-D pooling (NCHW) is supported");
            }
            Window2d win = Window2d.of(x.dim(2), x.dim(3));
            TensorSpec y = declare(n.outputs().get(0), new int[] {x.dim(0), x.dim(1), 1, 1}, x.quantization());
            ops.add(n.opType().equals("GlobalMaxPool") ? new MaxPool(x.name(), y.name(), win)
                    : new AveragePool(x.name(), y.name(), win, false));
        }

        private void addSub(Node n) {
            if (foldConstant(n)) {
                return;
            }
            TensorSpec a = operand(n, n.inputs().get(0));
            TensorSpec b = operand(n, n.inputs().get(1));
            Fused f = fuseActivation(n.outputs().get(0));
            TensorSpec y = declare(f.output(), calibrated(f.output()));
            double ra = scale(a) / scale(y);
            double rb = scale(b) / scale(y);
            double big = Math.max(Math.abs(ra), Math.abs(rb));
            int shift = 0;
            while (shift < 31 && Math.rint(Math.scalb(big, shift + 1)) <= QAdd.MAX_MULTIPLIER) {
                shift++;
            }
            int ma = clampMultiplier(Math.rint(Math.scalb(ra, shift)));
            int mb = clampMultiplier(Math.rint(Math.scalb(rb, shift)));
            int min = clampMin(f.lo(), y);
            int max = clampMax(f.hi(), y);
            ops.add(n.opType().equals("Add") ? new QAdd(a.name(), b.name(), y.name(), ma, mb, shift, min, max)
                    : new QSub(a.name(), b.name(), y.name(), ma, mb, shift, min, max));
        }

        private static int clampMultiplier(double m) {
            return (int) Math.max(-QAdd.MAX_MULTIPLIER, Math.min(QAdd.MAX_MULTIPLIER, m));
        }

        private FloatTensor scalarConstant(Node n, int input) {
            FloatTensor c = consts.get(resolve(n.inputs().get(input)));
            return c != null && c.isFloat() && c.size() == 1 ? c : null;
        }

        private void mul(Node n) {
            if (foldConstant(n)) {
                return;
            }
            for (int k = 0; k < 2; k++) {
                FloatTensor c = scalarConstant(n, 1 - k);
                if (c != null) {
                    TensorSpec x = activation(n, k);
                    rescale(n, x, c.getDouble(0));
                    return;
                }
            }
            TensorSpec a = operand(n, n.inputs().get(0));
            TensorSpec b = operand(n, n.inputs().get(1));
            TensorSpec y = declare(n.outputs().get(0), calibrated(n.outputs().get(0)));
            ops.add(new QMul(a.name(), b.name(), y.name(), FixedPoint.of(scale(a) * scale(b) / scale(y)), -128, 127));
        }

        private void div(Node n) {
            if (foldConstant(n)) {
                return;
            }
            FloatTensor c = scalarConstant(n, 1);
            if (c == null || c.getDouble(0) == 0) {
                throw unsupported(n, "only division by a non-zero constant scalar is supported");
            }
            rescale(n, activation(n, 0), 1.0 / c.getDouble(0));
        }

        private void rescale(Node n, TensorSpec x, double factor) {
            TensorSpec y = declare(n.outputs().get(0), calibrated(n.outputs().get(0)));
            if (y.elementCount() != x.elementCount()) {
                throw unsupported(n, "broadcasting a scalar constant to a larger shape");
            }
            ops.add(new Rescale(x.name(), y.name(), FixedPoint.of(factor * scale(x) / scale(y)), -128, 127));
        }

        private void reshape(Node n) {
            if (foldConstant(n)) {
                return;
            }
            TensorSpec x = activation(n, 0);
            TensorSpec y = declare(n.outputs().get(0), shapeOf(n.outputs().get(0)), x.quantization());
            ops.add(new Reshape(x.name(), y.name()));
        }

        private void transpose(Node n) {
            if (foldConstant(n)) {
                return;
            }
            TensorSpec x = activation(n, 0);
            long[] p = n.intsAttr("perm", null);
            int[] perm = new int[x.rank()];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = p == null ? perm.length - 1 - i : (int) p[i];
            }
            TensorSpec y = declare(n.outputs().get(0), shapeOf(n.outputs().get(0)), x.quantization());
            ops.add(new Transpose(x.name(), y.name(), perm));
        }

        private void concat(Node n) {
            if (foldConstant(n)) {
                return;
            }
            List<String> ins = new ArrayList<>();
            List<TensorSpec> specsIn = new ArrayList<>();
            for (String in : n.inputs()) {
                TensorSpec s = operand(n, in);
                specsIn.add(s);
                ins.add(s.name());
            }
            int rank = specsIn.get(0).rank();
            long axis = n.intAttr("axis", 0);
            if (axis < 0) {
                axis += rank;
            }
            TensorSpec y = declare(n.outputs().get(0), calibrated(n.outputs().get(0)));
            List<Requantization> rq = new ArrayList<>();
            for (TensorSpec s : specsIn) {
                rq.add(s.quantization().scale().equals(y.quantization().scale()) ? Requantization.ONE
                        : FixedPoint.of(scale(s) / scale(y)));
            }
            ops.add(new Concat(ins, y.name(), (int) axis, rq));
        }
    }
}
