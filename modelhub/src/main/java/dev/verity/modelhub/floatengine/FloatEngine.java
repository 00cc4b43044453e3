package dev.verity.modelhub.floatengine;

import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.graph.TensorData;
import dev.verity.modelhub.graph.ValueInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The float reference engine: runs a {@link Graph} node by node in plain Java, following the ONNX operator
 * specifications (broadcasting, attribute defaults, opset-dependent behaviour). It is the oracle the quantized engine
 * is measured against, so it is written to be simple and deterministic rather than fast.
 *
 * <p><b>Numerics.</b> Element-wise arithmetic (Add, Mul, ...) is done in {@code float}, exactly as IEEE 754
 * single precision prescribes. Every sum or product over several elements (MatMul, Gemm, Conv, pooling, reductions,
 * normalizations, Softmax) accumulates in {@code double}, in a fixed row-major order, and is rounded to {@code float}
 * once at the end; transcendental functions are evaluated in {@code double} and rounded once. Results are therefore
 * reproducible bit for bit on every JVM.
 *
 * <p><b>Types.</b> Tensors are FLOAT, INT64 (shape arithmetic, indices) or BOOL (comparisons, masks); see
 * {@link FloatTensor}. A node that needs another element type (a Cast to DOUBLE, say) is refused with an
 * {@link UnsupportedOperatorException}, as is an operator the engine does not implement (at construction).
 *
 * <p>Instances are immutable and may run concurrently.
 */
public final class FloatEngine {
    /** Largest tensor, in elements, the engine creates (the default per-tensor limit of the ONNX parser). */
    public static final long MAX_TENSOR_ELEMENTS = 64L << 20;

    private static final Map<String, Op> OPERATORS = Operators.registry();

    private final Graph graph;
    private final Map<String, FloatTensor> initializers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();
    /** For each node, the tensors read for the last time by it (freed once it has run). */
    private final List<List<String>> lastUses = new ArrayList<>();

    /**
     * @throws UnsupportedOperatorException if a node's operator type is not implemented
     * @throws IllegalArgumentException     if a graph input's or an initializer's element type is not FLOAT, INT64 or
     *                                      BOOL
     */
    public FloatEngine(Graph graph) {
        this.graph = Objects.requireNonNull(graph, "graph");
        for (ValueInfo input : graph.inputs()) {
            if (!supportsType(input.type())) {
                throw new IllegalArgumentException("graph input '" + input.name() + "' is " + input.type()
                        + "; the float engine computes with FLOAT, INT64 and BOOL tensors only");
            }
        }
        for (Node node : graph.nodes()) {
            if (!OPERATORS.containsKey(node.opType())) {
                throw new UnsupportedOperatorException(node.opType(), name(node),
                        "unsupported operator " + node.opType() + " (" + node.describe()
                                + "); FloatEngine.supportedOperators() lists the implemented ones");
            }
        }
        for (TensorData t : graph.initializers().values()) {
            initializers.put(t.name(), FloatTensor.fromTensorData(t));
        }
        for (ValueInfo output : graph.outputs()) {
            graphOutputs.add(output.name());
        }
        Map<String, Integer> last = new HashMap<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            for (String input : graph.nodes().get(i).inputs()) {
                last.put(input, i);
            }
            lastUses.add(new ArrayList<>());
        }
        last.forEach((tensor, node) -> {
            if (!tensor.isEmpty() && !graphOutputs.contains(tensor) && !initializers.containsKey(tensor)) {
                lastUses.get(node).add(tensor);
            }
        });
    }

    public Graph graph() {
        return graph;
    }

    /** The operator types the engine implements, sorted. */
    public static SortedSet<String> supportedOperators() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(OPERATORS.keySet()));
    }

    public static boolean supports(String opType) {
        return OPERATORS.containsKey(opType);
    }

    /** The distinct operator types of {@code graph} that the engine does not implement, sorted. */
    public static List<String> unsupportedOperators(Graph graph) {
        return graph.operators().stream().filter(op -> !supports(op)).toList();
    }

    /** Runs the graph; see {@link #run(Map, ActivationObserver)}. */
    public Map<String, FloatTensor> run(Map<String, FloatTensor> inputs) {
        return run(inputs, null);
    }

    /**
     * Runs the graph on {@code inputs} (by graph input name) and returns its outputs, by name, in the graph's output
     * order.
     *
     * @param observer if not null, sees every node output as it is computed
     * @throws IllegalArgumentException     if an input is missing, unknown, or of the wrong element type or shape
     *                                      (the message names the input and the expected and actual shapes), or if
     *                                      a node's inputs are invalid for its operator (the message names the node)
     * @throws UnsupportedOperatorException if a node uses an operator feature the engine does not implement
     */
    public Map<String, FloatTensor> run(Map<String, FloatTensor> inputs, ActivationObserver observer) {
        Objects.requireNonNull(inputs, "inputs");
        Map<String, FloatTensor> values = new HashMap<>(initializers);
        values.putAll(checkInputs(inputs));
        List<Node> nodes = graph.nodes();
        for (int n = 0; n < nodes.size(); n++) {
            Node node = nodes.get(n);
            FloatTensor[] args = new FloatTensor[node.inputs().size()];
            for (int i = 0; i < args.length; i++) {
                String name = node.inputs().get(i);
                if (!name.isEmpty()) {
                    args[i] = values.get(name);
                    if (args[i] == null) {
                        throw new IllegalArgumentException(node.describe() + " reads '" + name
                                + "', which has not been computed");
                    }
                }
            }
            FloatTensor[] results = execute(node, args);
            for (int i = 0; i < node.outputs().size(); i++) {
                String name = node.outputs().get(i);
                if (name.isEmpty()) {
                    continue;
                }
                FloatTensor value = i < results.length ? results[i] : null;
                if (value == null) {
                    throw new UnsupportedOperatorException(node.opType(), name(node),
                            node.describe() + ": output #" + i + " ('" + name + "') is not supported");
                }
                values.put(name, value);
                if (observer != null) {
                    observer.onTensor(name, node, value);
                }
            }
            for (String dead : lastUses.get(n)) {
                values.remove(dead);
            }
        }
        Map<String, FloatTensor> outputs = new LinkedHashMap<>();
        for (ValueInfo output : graph.outputs()) {
            outputs.put(output.name(), values.get(output.name()));
        }
        return outputs;
    }

    private FloatTensor[] execute(Node node, FloatTensor[] args) {
        OpContext context = new OpContext(node, graph.opsetVersion(), args);
        try {
            return OPERATORS.get(node.opType()).apply(context);
        } catch (UnsupportedOperatorException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException | ArithmeticException
                 | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(node.describe() + ": " + e.getMessage(), e);
        }
    }

    private Map<String, FloatTensor> checkInputs(Map<String, FloatTensor> inputs) {
        Map<String, FloatTensor> checked = new TreeMap<>();
        List<String> names = graph.inputs().stream().map(ValueInfo::name).toList();
        for (String name : inputs.keySet()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("unknown input '" + name + "'; the graph's inputs are " + names);
            }
        }
        for (ValueInfo expected : graph.inputs()) {
            FloatTensor value = inputs.get(expected.name());
            String wanted = expected.type() + " " + expected.dims();
            if (value == null) {
                throw new IllegalArgumentException("missing input '" + expected.name() + "' (expected " + wanted + ")");
            }
            if (value.type() != expected.type()) {
                throw new IllegalArgumentException("input '" + expected.name() + "': expected element type "
                        + expected.type() + ", got " + value.type());
            }
            boolean matches = value.rank() == expected.dims().size();
            for (int i = 0; matches && i < value.rank(); i++) {
                long dim = expected.dims().get(i);
                matches = dim < 0 || dim == value.dim(i);
            }
            if (!matches) {
                throw new IllegalArgumentException("input '" + expected.name() + "': expected shape "
                        + expected.dims() + " (-1: any size), got " + Arrays.toString(value.shape()));
            }
            checked.put(expected.name(), value);
        }
        return checked;
    }

    /** Whether the engine computes with this element type. */
    public static boolean supportsType(DataType type) {
        return type == DataType.FLOAT || type == DataType.INT64 || type == DataType.BOOL;
    }

    private static String name(Node node) {
        return node.name().isEmpty() ? node.outputs().get(0) : node.name();
    }
}
