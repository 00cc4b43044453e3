package dev.verity.compute.model;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Reads the structure of an ONNX file (a serialized {@code onnx.ModelProto}) without running it and without
 * generated protobuf classes: the few fields needed are read straight off the wire format, and everything else,
 * tensor data included, is skipped unread.
 *
 * <p>Anything that is not a usable ONNX model is refused with an {@link InvalidModelException}: bytes that are
 * not well-formed protobuf (random data, text, a truncated file), an empty file, a model without an IR version,
 * without a graph, whose graph has no nodes or no outputs, or a file larger than the limit given at construction.
 *
 * <p><b>Compute units</b> estimate the multiply-accumulates of one inference, per output position or token:
 * <ul>
 *   <li>for every node of type MatMul, Gemm, MatMulInteger, Conv or ConvInteger whose weight input (input 1), and
 *       every QLinearMatMul or QLinearConv whose weight input (input 3), is an initializer, add the element count of
 *       that initializer; a weight that is the output of a DequantizeLinear node reading an initializer counts as
 *       that initializer, so QDQ-quantized models are measured like the others;</li>
 *   <li>if that sum is 0 (no weighted matrix products found), use the total parameter count instead;</li>
 *   <li>never report less than 1.</li>
 * </ul>
 * The figure ignores activation-by-activation products (attention scores), sequence length and batch size: it is a
 * stable, cheap-to-compute size of the model for pricing, not a profile.
 *
 * <p>Only the main graph is read: nodes inside control-flow subgraphs (If, Loop, Scan) are not counted.
 */
public final class OnnxModelInspector {
    /** Protobuf cannot carry more than 2 GiB in one message, so no ONNX file without external data is larger. */
    public static final long MAX_SUPPORTED_BYTES = Integer.MAX_VALUE;
    /** A default cap generous enough for every model the node runs today. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    private static final String INVALID = "not a valid ONNX model: ";

    // Weight input index per weighted operator type.
    private static final Map<String, Integer> WEIGHT_INPUT = Map.of(
            "MatMul", 1, "Gemm", 1, "MatMulInteger", 1, "Conv", 1, "ConvInteger", 1,
            "QLinearMatMul", 3, "QLinearConv", 3);

    // TensorProto.DataType names, indexed by enum number.
    private static final String[] DATA_TYPES = {
        "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL",
        "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN",
        "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1"
    };

    private final long maxBytes;

    public OnnxModelInspector() {
        this(DEFAULT_MAX_BYTES);
    }

    /** @param maxBytes files larger than this are refused before any parsing */
    public OnnxModelInspector(long maxBytes) {
        if (maxBytes < 1 || maxBytes > MAX_SUPPORTED_BYTES) {
            throw new IllegalArgumentException(
                    "maxBytes must be between 1 and " + MAX_SUPPORTED_BYTES + ", got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Inspects an ONNX file, streaming it so that its weights are never held in memory.
     *
     * @throws InvalidModelException if the file is not a usable ONNX model or is over the size limit
     * @throws UncheckedIOException  if the file cannot be read
     */
    public OnnxModelInfo inspect(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            checkSize(Files.size(file));
            try (InputStream stream = Files.newInputStream(file)) {
                CodedInputStream in = CodedInputStream.newInstance(stream, 1 << 16);
                in.setSizeLimit((int) maxBytes); // the file may grow between the size check and the read
                return parse(in);
            }
        } catch (InvalidProtocolBufferException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Inspects an ONNX model held in memory.
     *
     * @throws InvalidModelException if the bytes are not a usable ONNX model or are over the size limit
     */
    public OnnxModelInfo inspect(byte[] model) {
        Objects.requireNonNull(model, "model");
        checkSize(model.length);
        try {
            return parse(CodedInputStream.newInstance(model));
        } catch (InvalidProtocolBufferException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen when reading from an array
        }
    }

    private void checkSize(long size) {
        if (size > maxBytes) {
            throw new InvalidModelException(
                    "model is " + size + " bytes, over the limit of " + maxBytes + " bytes");
        }
        if (size == 0) {
            throw new InvalidModelException(INVALID + "the file is empty");
        }
    }

    private static InvalidModelException malformed(InvalidProtocolBufferException e) {
        return new InvalidModelException(INVALID + "malformed protobuf: " + e.getMessage(), e);
    }

    // ---- ModelProto ----

    private static OnnxModelInfo parse(CodedInputStream in) throws IOException {
        long irVersion = 0;
        long opsetVersion = 0;
        Graph graph = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> irVersion = readInt64(in, tag, "ModelProto.ir_version");
                case 8 -> opsetVersion = Math.max(opsetVersion, readDefaultOpset(in, tag));
                case 7 -> {
                    if (graph != null) {
                        throw new InvalidModelException(INVALID + "more than one graph");
                    }
                    graph = readGraph(in, tag);
                }
                default -> skip(in, tag);
            }
        }
        if (irVersion < 1) {
            throw new InvalidModelException(INVALID + "missing or non-positive ir_version (" + irVersion + ")");
        }
        if (graph == null) {
            throw new InvalidModelException(INVALID + "the model has no graph");
        }
        return graph.summarize(irVersion, opsetVersion);
    }

    /** Returns the version of an OperatorSetIdProto if it names the default domain, else 0. */
    private static long readDefaultOpset(CodedInputStream in, int tag) throws IOException {
        int limit = enter(in, tag, "ModelProto.opset_import");
        String domain = "";
        long version = 0;
        int t;
        while ((t = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> domain = readString(in, t, "OperatorSetIdProto.domain");
                case 2 -> version = readInt64(in, t, "OperatorSetIdProto.version");
                default -> skip(in, t);
            }
        }
        in.popLimit(limit);
        return domain.isEmpty() || domain.equals("ai.onnx") ? version : 0;
    }

    // ---- GraphProto ----

    private record Node(String opType, List<String> inputs, List<String> outputs) {}

    private static final class Graph {
        final List<Node> nodes = new ArrayList<>();
        final Map<String, Long> initializers = new HashMap<>(); // name -> element count
        final List<TensorSpec> inputs = new ArrayList<>();
        final List<TensorSpec> outputs = new ArrayList<>();

        OnnxModelInfo summarize(long irVersion, long opsetVersion) {
            if (nodes.isEmpty()) {
                throw new InvalidModelException(INVALID + "the graph has no nodes");
            }
            if (outputs.isEmpty()) {
                throw new InvalidModelException(INVALID + "the graph declares no outputs");
            }
            long parameters = 0;
            for (long count : initializers.values()) {
                parameters = addExact(parameters, count);
            }
            // Map each DequantizeLinear output back to the initializer it dequantizes (QDQ format).
            Map<String, String> dequantized = new HashMap<>();
            TreeSet<String> operators = new TreeSet<>();
            for (Node node : nodes) {
                operators.add(node.opType);
                if (node.opType.equals("DequantizeLinear") && !node.inputs.isEmpty() && !node.outputs.isEmpty()
                        && initializers.containsKey(node.inputs.get(0))) {
                    dequantized.put(node.outputs.get(0), node.inputs.get(0));
                }
            }
            long macs = 0;
            for (Node node : nodes) {
                Integer weightIndex = WEIGHT_INPUT.get(node.opType);
                if (weightIndex == null || weightIndex >= node.inputs.size()) {
                    continue;
                }
                String weight = node.inputs.get(weightIndex);
                weight = dequantized.getOrDefault(weight, weight);
                Long count = initializers.get(weight);
                if (count != null) {
                    macs = addExact(macs, count);
                }
            }
            long computeUnits = Math.max(1, macs > 0 ? macs : parameters);
            List<TensorSpec> feeds = inputs.stream().filter(i -> !initializers.containsKey(i.name())).toList();
            return new OnnxModelInfo(irVersion, opsetVersion, feeds, outputs, List.copyOf(operators),
                    nodes.size(), parameters, computeUnits);
        }
    }

    private static Graph readGraph(CodedInputStream in, int tag) throws IOException {
        int limit = enter(in, tag, "ModelProto.graph");
        Graph graph = new Graph();
        int t;
        while ((t = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> graph.nodes.add(readNode(in, t, graph.nodes.size()));
                case 5 -> readInitializer(in, t, graph.initializers);
                case 11 -> graph.inputs.add(readValueInfo(in, t, "GraphProto.input"));
                case 12 -> graph.outputs.add(readValueInfo(in, t, "GraphProto.output"));
                default -> skip(in, t);
            }
        }
        in.popLimit(limit);
        return graph;
    }

    private static Node readNode(CodedInputStream in, int tag, int index) throws IOException {
        int limit = enter(in, tag, "GraphProto.node");
        String opType = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        int t;
        while ((t = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> inputs.add(readString(in, t, "NodeProto.input"));
                case 2 -> outputs.add(readString(in, t, "NodeProto.output"));
                case 4 -> opType = readString(in, t, "NodeProto.op_type");
                default -> skip(in, t); // name (3), attributes and the rest are not needed
            }
        }
        in.popLimit(limit);
        if (opType.isEmpty()) {
            throw new InvalidModelException(INVALID + "node #" + index + " has no op_type");
        }
        return new Node(opType, inputs, outputs);
    }

    /** Records an initializer's name and element count; its data (raw_data and friends) is skipped. */
    private static void readInitializer(CodedInputStream in, int tag, Map<String, Long> into) throws IOException {
        int limit = enter(in, tag, "GraphProto.initializer");
        String name = "";
        long elements = 1;
        int t;
        while ((t = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> {
                    for (long dim : readInt64s(in, t, "TensorProto.dims")) {
                        if (dim < 0) {
                            throw new InvalidModelException(INVALID + "initializer has negative dimension " + dim);
                        }
                        elements = multiplyExact(elements, dim);
                    }
                }
                case 8 -> name = readString(in, t, "TensorProto.name");
                default -> skip(in, t);
            }
        }
        in.popLimit(limit);
        if (name.isEmpty()) {
            throw new InvalidModelException(INVALID + "an initializer has no name");
        }
        into.put(name, elements);
    }

    // ---- ValueInfoProto / TypeProto ----

    private static TensorSpec readValueInfo(CodedInputStream in, int tag, String field) throws IOException {
        int limit = enter(in, tag, field);
        String name = "";
        TensorSpec type = new TensorSpec("", "UNDEFINED", List.of());
        int t;
        while ((t = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> name = readString(in, t, "ValueInfoProto.name");
                case 2 -> type = readType(in, t);
                default -> skip(in, t);
            }
        }
        in.popLimit(limit);
        if (name.isEmpty()) {
            throw new InvalidModelException(INVALID + "a " + field + " has no name");
        }
        return new TensorSpec(name, type.elementType(), type.shape());
    }

    /** Reads a TypeProto; returns a nameless spec carrying element type and shape. */
    private static TensorSpec readType(CodedInputStream in, int tag) throws IOException {
        int limit = enter(in, tag, "ValueInfoProto.type");
        TensorSpec result = new TensorSpec("", "NON_TENSOR", List.of());
        int t;
        while ((t = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(t) == 1) {
                result = readTensorType(in, t);
            } else {
                skip(in, t);
            }
        }
        in.popLimit(limit);
        return result;
    }

    private static TensorSpec readTensorType(CodedInputStream in, int tag) throws IOException {
        int limit = enter(in, tag, "TypeProto.tensor_type");
        long elemType = 0;
        List<String> shape = List.of();
        int t;
        while ((t = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> elemType = readInt64(in, t, "TypeProto.Tensor.elem_type");
                case 2 -> shape = readShape(in, t);
                default -> skip(in, t);
            }
        }
        in.popLimit(limit);
        String typeName = elemType >= 0 && elemType < DATA_TYPES.length
                ? DATA_TYPES[(int) elemType] : "UNKNOWN(" + elemType + ")";
        return new TensorSpec("", typeName, shape);
    }

    private static List<String> readShape(CodedInputStream in, int tag) throws IOException {
        int limit = enter(in, tag, "TypeProto.Tensor.shape");
        List<String> dims = new ArrayList<>();
        int t;
        while ((t = in.readTag()) != 0) {
            if (WireFormat.getTagFieldNumber(t) == 1) {
                dims.add(readDimension(in, t));
            } else {
                skip(in, t);
            }
        }
        in.popLimit(limit);
        return dims;
    }

    private static String readDimension(CodedInputStream in, int tag) throws IOException {
        int limit = enter(in, tag, "TensorShapeProto.dim");
        String dim = "?";
        int t;
        while ((t = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> dim = Long.toString(readInt64(in, t, "Dimension.dim_value"));
                case 2 -> dim = readString(in, t, "Dimension.dim_param");
                default -> skip(in, t);
            }
        }
        in.popLimit(limit);
        return dim.isEmpty() ? "?" : dim;
    }

    // ---- wire-format helpers ----

    /** Enters a length-delimited sub-message; returns the old limit for {@link CodedInputStream#popLimit}. */
    private static int enter(CodedInputStream in, int tag, String field) throws IOException {
        expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        int length = in.readRawVarint32();
        return in.pushLimit(length); // rejects negative lengths and, for arrays, lengths past the end
    }

    private static long readInt64(CodedInputStream in, int tag, String field) throws IOException {
        expectWireType(tag, WireFormat.WIRETYPE_VARINT, field);
        return in.readInt64();
    }

    /** Repeated int64, accepting both the packed and the unpacked encoding, as protobuf parsers must. */
    private static List<Long> readInt64s(CodedInputStream in, int tag, String field) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
            return List.of(in.readInt64());
        }
        int limit = enter(in, tag, field);
        List<Long> values = new ArrayList<>();
        while (!in.isAtEnd()) {
            values.add(in.readInt64());
        }
        in.popLimit(limit);
        return values;
    }

    private static String readString(CodedInputStream in, int tag, String field) throws IOException {
        expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        return in.readStringRequireUtf8();
    }

    private static void skip(CodedInputStream in, int tag) throws IOException {
        // skipField returns false only for an end-group tag, which cannot close a length-delimited message.
        if (!in.skipField(tag)) {
            throw new InvalidModelException(INVALID + "unexpected end-group tag for field "
                    + WireFormat.getTagFieldNumber(tag));
        }
    }

    private static void expectWireType(int tag, int expected, String field) {
        int actual = WireFormat.getTagWireType(tag);
        if (actual != expected) {
            throw new InvalidModelException(INVALID + "field " + field + " has wire type " + actual
                    + ", expected " + expected);
        }
    }

    private static long addExact(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new InvalidModelException(INVALID + "parameter count overflows 64 bits");
        }
    }

    private static long multiplyExact(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new InvalidModelException(INVALID + "initializer element count overflows 64 bits");
        }
    }
}
