package dev.verity.modelhub.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.verity.modelhub.graph.Attribute;
import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.graph.TensorData;
import dev.verity.modelhub.graph.ValueInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Parses ONNX files into the model hub's {@link Graph}, straight off the protobuf wire format with
 * {@link CodedInputStream} (no generated classes).
 *
 * <p>What is read: the model's {@code ir_version} and the opset version of the default domain ({@code ""} or
 * {@code "ai.onnx"}); the main graph's name, nodes (name, op_type, domain, inputs, outputs and attributes of type INT,
 * FLOAT, INTS, FLOATS, STRING and TENSOR), initializers, inputs (those that are not initializers) and outputs with
 * their shapes ({@code dim_value}, or {@code -1} for a {@code dim_param} or an unknown dimension). Everything else (doc
 * strings, metadata, value_info, training info, local functions) is skipped.
 *
 * <p>Tensors ({@code TensorProto}) of element type FLOAT, INT8, UINT8, INT32, INT64 and BOOL are supported, with their
 * values in {@code float_data}, {@code int32_data}, {@code int64_data} or little-endian {@code raw_data}
 * ({@code double_data} is read, but DOUBLE tensors are refused like every other type).
 *
 * <p>Every problem is an {@link OnnxFormatException} whose message names the offending part; a well-formed model that
 * uses something unsupported gets the subclass {@link UnsupportedModelException}. Checks made:
 * <ul>
 *   <li>the bytes are well-formed protobuf, not truncated, every known field has its schema's wire type;</li>
 *   <li>the model has an ir_version, a default-domain opset and a graph; every node has an op_type and is in the
 *       default domain; the graph has at most {@link OnnxLimits#maxNodes()} nodes;</li>
 *   <li>each tensor's data holds exactly as many values as its dims call for, no more than
 *       {@link OnnxLimits#maxTensorElements()}, integer values fit their type, and float initializers hold no NaN or
 *       infinity; a repeated numeric field (tensor values, INTS and FLOATS attributes) is refused as soon as it passes
 *       {@link OnnxLimits#maxTensorElements()} values, while it is read, and a tensor or shape as soon as it passes
 *       {@link #MAX_RANK} dimensions, so that memory stays proportional to the limits;</li>
 *   <li>nodes are in topological order (every input is a graph input, an initializer or an earlier node's output),
 *       no tensor is produced twice, and every graph output is produced.</li>
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class OnnxParser {
    /** Element types accepted for tensors. */
    public static final Set<DataType> SUPPORTED_TENSOR_TYPES =
            Set.of(DataType.FLOAT, DataType.INT8, DataType.UINT8, DataType.INT32, DataType.INT64, DataType.BOOL);

    // TensorProto.DataType names, indexed by enum number (for messages about types DataType does not list).
    private static final String[] TYPE_NAMES = {
        "UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL",
        "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN",
        "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1"
    };

    // AttributeProto.AttributeType names, indexed by enum number.
    private static final String[] ATTRIBUTE_TYPES = {
        "UNDEFINED", "FLOAT", "INT", "STRING", "TENSOR", "GRAPH", "FLOATS", "INTS", "STRINGS", "TENSORS", "GRAPHS",
        "SPARSE_TENSOR", "SPARSE_TENSORS", "TYPE_PROTO", "TYPE_PROTOS"
    };

    private static final String NOT_ONNX = "not a valid ONNX model: ";

    /** Most dimensions accepted for a tensor or a graph input's or output's shape. */
    public static final int MAX_RANK = 1024;

    private final OnnxLimits limits;

    public OnnxParser() {
        this(OnnxLimits.DEFAULTS);
    }

    public OnnxParser(OnnxLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public OnnxLimits limits() {
        return limits;
    }

    /** The name ONNX gives a TensorProto.DataType code ("FLOAT16", "BFLOAT16", ...), or "UNKNOWN(n)". */
    public static String dataTypeName(long code) {
        return code >= 0 && code < TYPE_NAMES.length ? TYPE_NAMES[(int) code] : "UNKNOWN(" + code + ")";
    }

    // ------------------------------------------------------------------ entry points

    /** Parses a serialized {@code onnx.ModelProto}. */
    public Graph parse(byte[] model) {
        Objects.requireNonNull(model, "model");
        checkSize(model.length, "model");
        if (model.length == 0) {
            throw new OnnxFormatException(NOT_ONNX + "the file is empty");
        }
        try {
            return readModel(CodedInputStream.newInstance(model));
        } catch (InvalidProtocolBufferException e) {
            throw malformed(NOT_ONNX, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen when reading from an array
        }
    }

    /** Reads and parses an ONNX file; the size limit is checked before the file is read. */
    public Graph parse(Path file) {
        return parse(readFile(file, "model"));
    }

    /**
     * Parses a serialized {@code onnx.TensorProto}, as found in the {@code input_*.pb}/{@code output_*.pb} files of
     * ONNX test data. Unlike initializers, such tensors may hold NaN and infinities.
     */
    public TensorData parseTensor(byte[] tensor) {
        Objects.requireNonNull(tensor, "tensor");
        checkSize(tensor.length, "tensor");
        try {
            CodedInputStream in = CodedInputStream.newInstance(tensor);
            TensorData data = readTensorBody(in, "tensor", false);
            if (!in.isAtEnd()) {
                throw new OnnxFormatException("not a valid ONNX tensor: data after the end of the message");
            }
            return data;
        } catch (InvalidProtocolBufferException e) {
            throw malformed("not a valid ONNX tensor: ", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads and parses a TensorProto file. */
    public TensorData parseTensor(Path file) {
        return parseTensor(readFile(file, "tensor"));
    }

    private byte[] readFile(Path file, String what) {
        Objects.requireNonNull(file, "file");
        try {
            checkSize(Files.size(file), what + " file " + file);
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " file " + file + ": " + e.getMessage(), e);
        }
    }

    private void checkSize(long size, String what) {
        if (size > limits.maxModelBytes()) {
            throw new OnnxFormatException(
                    what + " is " + size + " bytes, over the limit of " + limits.maxModelBytes() + " bytes");
        }
    }

    private static OnnxFormatException malformed(String prefix, InvalidProtocolBufferException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("ended unexpectedly") || message.contains("Truncated")) {
            return new OnnxFormatException(prefix + "truncated file (the protobuf data ends in the middle of a field)", e);
        }
        return new OnnxFormatException(prefix + "malformed protobuf: " + message, e);
    }

    // ------------------------------------------------------------------ ModelProto

    private Graph readModel(CodedInputStream in) throws IOException {
        long irVersion = 0;
        long opset = -1;
        GraphParts graph = null;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> irVersion = readVarint(in, tag, "ModelProto.ir_version");
                case 7 -> {
                    if (graph != null) {
                        throw new OnnxFormatException(NOT_ONNX + "the model has more than one graph");
                    }
                    int limit = enter(in, tag, "ModelProto.graph");
                    graph = readGraph(in);
                    in.popLimit(limit);
                }
                case 8 -> {
                    int limit = enter(in, tag, "ModelProto.opset_import");
                    long version = readDefaultDomainOpset(in);
                    in.popLimit(limit);
                    opset = Math.max(opset, version);
                }
                default -> skip(in, tag);
            }
        }
        if (irVersion < 1) {
            throw new OnnxFormatException(NOT_ONNX + "missing or non-positive ir_version (" + irVersion + ")");
        }
        if (graph == null) {
            throw new OnnxFormatException(NOT_ONNX + "the model has no graph");
        }
        if (opset < 1) {
            throw new OnnxFormatException(
                    NOT_ONNX + "the model imports no opset of the default ONNX domain (\"\" or \"ai.onnx\")");
        }
        return graph.build(irVersion, opset);
    }

    /** Returns the version of an OperatorSetIdProto for the default domain, or -1 for other domains. */
    private static long readDefaultDomainOpset(CodedInputStream in) throws IOException {
        String domain = "";
        long version = 0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> domain = readString(in, tag, "OperatorSetIdProto.domain");
                case 2 -> version = readVarint(in, tag, "OperatorSetIdProto.version");
                default -> skip(in, tag);
            }
        }
        return isDefaultDomain(domain) ? version : -1;
    }

    private static boolean isDefaultDomain(String domain) {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }

    // ------------------------------------------------------------------ GraphProto

    /** A graph as read, before validation. */
    private static final class GraphParts {
        String name = "";
        final List<Node> nodes = new ArrayList<>();
        final Map<String, TensorData> initializers = new LinkedHashMap<>();
        final List<ValueInfo> inputs = new ArrayList<>();
        final List<ValueInfo> outputs = new ArrayList<>();

        Graph build(long irVersion, long opset) {
            Set<String> inputNames = new HashSet<>();
            for (ValueInfo input : inputs) {
                if (!inputNames.add(input.name())) {
                    throw new OnnxFormatException(NOT_ONNX + "graph input '" + input.name() + "' is declared twice");
                }
            }
            // Topological order: every input must be known before the node that reads it.
            Set<String> known = new HashSet<>(inputNames);
            known.addAll(initializers.keySet());
            for (int i = 0; i < nodes.size(); i++) {
                Node node = nodes.get(i);
                for (String input : node.inputs()) {
                    if (!input.isEmpty() && !known.contains(input)) {
                        throw new OnnxFormatException("nodes are not in topological order: " + node.describe()
                                + " (node #" + i + ") reads '" + input + "', which is neither a graph input, an"
                                + " initializer nor the output of an earlier node");
                    }
                }
                for (String output : node.outputs()) {
                    if (!output.isEmpty() && !known.add(output)) {
                        throw new OnnxFormatException(NOT_ONNX + node.describe() + " (node #" + i + ") produces '"
                                + output + "', which is already a graph input, an initializer or an earlier node's"
                                + " output");
                    }
                }
            }
            for (ValueInfo output : outputs) {
                if (!known.contains(output.name())) {
                    throw new OnnxFormatException(NOT_ONNX + "graph output '" + output.name()
                            + "' is not produced by any node, nor a graph input or an initializer");
                }
            }
            if (outputs.isEmpty()) {
                throw new OnnxFormatException(NOT_ONNX + "the graph declares no outputs");
            }
            List<ValueInfo> feeds = inputs.stream().filter(v -> !initializers.containsKey(v.name())).toList();
            return new Graph(name, irVersion, opset, feeds, outputs, nodes, new TreeMap<>(initializers));
        }
    }

    private GraphParts readGraph(CodedInputStream in) throws IOException {
        GraphParts graph = new GraphParts();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> {
                    if (graph.nodes.size() >= limits.maxNodes()) {
                        throw new OnnxFormatException(
                                "the graph has more than " + limits.maxNodes() + " nodes, over the limit");
                    }
                    int limit = enter(in, tag, "GraphProto.node");
                    graph.nodes.add(readNode(in, graph.nodes.size()));
                    in.popLimit(limit);
                }
                case 2 -> graph.name = readString(in, tag, "GraphProto.name");
                case 5 -> {
                    int limit = enter(in, tag, "GraphProto.initializer");
                    TensorData t = readTensorBody(in, "initializer #" + graph.initializers.size(), true);
                    in.popLimit(limit);
                    if (t.name().isEmpty()) {
                        throw new OnnxFormatException(
                                NOT_ONNX + "initializer #" + graph.initializers.size() + " has no name");
                    }
                    if (graph.initializers.put(t.name(), t) != null) {
                        throw new OnnxFormatException(NOT_ONNX + "initializer '" + t.name() + "' is defined twice");
                    }
                }
                case 11 -> graph.inputs.add(readValueInfo(in, tag, "graph input"));
                case 12 -> graph.outputs.add(readValueInfo(in, tag, "graph output"));
                case 15 -> throw new UnsupportedModelException("the graph has sparse initializers, which are not supported");
                default -> skip(in, tag); // doc_string, value_info, quantization_annotation, metadata
            }
        }
        return graph;
    }

    // ------------------------------------------------------------------ NodeProto / AttributeProto

    /** An attribute as read: its value, or the name of its unsupported type. */
    private record RawAttribute(String name, Attribute value, String unsupportedType) {}

    private Node readNode(CodedInputStream in, int index) throws IOException {
        String name = "";
        String opType = "";
        String domain = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<RawAttribute> attributes = new ArrayList<>();
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> inputs.add(readString(in, tag, "NodeProto.input"));
                case 2 -> outputs.add(readString(in, tag, "NodeProto.output"));
                case 3 -> name = readString(in, tag, "NodeProto.name");
                case 4 -> opType = readString(in, tag, "NodeProto.op_type");
                case 5 -> {
                    int limit = enter(in, tag, "NodeProto.attribute");
                    attributes.add(readAttribute(in, index));
                    in.popLimit(limit);
                }
                case 7 -> domain = readString(in, tag, "NodeProto.domain");
                default -> skip(in, tag);
            }
        }
        String label = "node #" + index + (name.isEmpty() ? "" : " ('" + name + "')");
        if (opType.isEmpty()) {
            throw new OnnxFormatException(NOT_ONNX + label + " has no op_type");
        }
        if (!isDefaultDomain(domain)) {
            throw new UnsupportedModelException(opType + " " + label + " is in operator domain '" + domain
                    + "'; only the default ONNX domain (\"\" or \"ai.onnx\") is supported", opType);
        }
        if (outputs.isEmpty()) {
            throw new OnnxFormatException(NOT_ONNX + opType + " " + label + " has no outputs");
        }
        TreeMap<String, Attribute> values = new TreeMap<>();
        for (RawAttribute a : attributes) {
            if (a.name().isEmpty()) {
                throw new OnnxFormatException(NOT_ONNX + "an attribute of " + opType + " " + label + " has no name");
            }
            if (a.unsupportedType() != null) {
                throw new UnsupportedModelException("attribute '" + a.name() + "' of " + opType + " " + label
                        + " has type " + a.unsupportedType()
                        + "; supported attribute types are INT, FLOAT, INTS, FLOATS, STRING and TENSOR", opType);
            }
            if (values.put(a.name(), a.value()) != null) {
                throw new OnnxFormatException(
                        NOT_ONNX + "attribute '" + a.name() + "' of " + opType + " " + label + " is given twice");
            }
        }
        return new Node(name, opType, inputs, outputs, values);
    }

    private RawAttribute readAttribute(CodedInputStream in, int nodeIndex) throws IOException {
        String name = "";
        int type = 0;
        float f = 0;
        long i = 0;
        String s = null;
        TensorData t = null;
        FloatBuffer floats = null;
        LongBuffer ints = null;
        int inferred = 0; // the type implied by the value fields seen, for old files without a type field
        int tag;
        while ((tag = in.readTag()) != 0) {
            int field = WireFormat.getTagFieldNumber(tag);
            switch (field) {
                case 1 -> name = readString(in, tag, "AttributeProto.name");
                case 20 -> type = (int) readVarint(in, tag, "AttributeProto.type");
                case 2 -> {
                    expectWireType(tag, WireFormat.WIRETYPE_FIXED32, "AttributeProto.f");
                    f = in.readFloat();
                    inferred = 1;
                }
                case 3 -> {
                    i = readVarint(in, tag, "AttributeProto.i");
                    inferred = 2;
                }
                case 4 -> {
                    expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AttributeProto.s");
                    s = in.readBytes().toStringUtf8();
                    inferred = 3;
                }
                case 5 -> {
                    int limit = enter(in, tag, "AttributeProto.t");
                    String context = "tensor of attribute '" + name + "' of node #" + nodeIndex;
                    t = readTensorBody(in, context, false);
                    in.popLimit(limit);
                    inferred = 4;
                }
                case 7 -> {
                    if (floats == null) {
                        floats = new FloatBuffer(limits.maxTensorElements(), attributeContext(name, nodeIndex));
                    }
                    readFloats(in, tag, "AttributeProto.floats", floats);
                    inferred = 6;
                }
                case 8 -> {
                    if (ints == null) {
                        ints = new LongBuffer(limits.maxTensorElements(), attributeContext(name, nodeIndex));
                    }
                    readVarints(in, tag, "AttributeProto.ints", ints);
                    inferred = 7;
                }
                case 6 -> { skip(in, tag); inferred = 5; }
                case 9 -> { skip(in, tag); inferred = 8; }
                case 10 -> { skip(in, tag); inferred = 9; }
                case 11 -> { skip(in, tag); inferred = 10; }
                case 22 -> { skip(in, tag); inferred = 11; }
                case 23 -> { skip(in, tag); inferred = 12; }
                case 14 -> { skip(in, tag); inferred = 13; }
                case 15 -> { skip(in, tag); inferred = 14; }
                default -> skip(in, tag); // doc_string, ref_attr_name
            }
        }
        int effective = type != 0 ? type : inferred;
        Attribute value = switch (effective) {
            case 1 -> new Attribute.Float(f);
            case 2 -> new Attribute.Int(i);
            case 3 -> new Attribute.Str(s == null ? "" : s);
            case 4 -> {
                if (t == null) {
                    throw new OnnxFormatException(
                            NOT_ONNX + "TENSOR attribute '" + name + "' of node #" + nodeIndex + " has no tensor");
                }
                yield new Attribute.Tensor(t);
            }
            case 6 -> new Attribute.Floats(floats == null ? new float[0] : floats.toArray());
            case 7 -> new Attribute.Ints(ints == null ? new long[0] : ints.toArray());
            default -> null;
        };
        if (value == null) {
            String typeName = effective >= 0 && effective < ATTRIBUTE_TYPES.length
                    ? ATTRIBUTE_TYPES[effective] : "UNKNOWN(" + effective + ")";
            if (effective == 0) {
                throw new OnnxFormatException(
                        NOT_ONNX + "attribute '" + name + "' of node #" + nodeIndex + " has no type and no value");
            }
            return new RawAttribute(name, null, typeName);
        }
        return new RawAttribute(name, value, null);
    }

    // ------------------------------------------------------------------ ValueInfoProto / TypeProto

    private ValueInfo readValueInfo(CodedInputStream in, int tag, String what) throws IOException {
        int limit = enter(in, tag, "GraphProto." + (what.equals("graph input") ? "input" : "output"));
        String name = "";
        TypeInfo type = null;
        int t;
        while ((t = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(t)) {
                case 1 -> name = readString(in, t, "ValueInfoProto.name");
                case 2 -> {
                    int l = enter(in, t, "ValueInfoProto.type");
                    type = readType(in);
                    in.popLimit(l);
                }
                default -> skip(in, t);
            }
        }
        in.popLimit(limit);
        if (name.isEmpty()) {
            throw new OnnxFormatException(NOT_ONNX + "a " + what + " has no name");
        }
        if (type == null) {
            throw new OnnxFormatException(NOT_ONNX + what + " '" + name + "' has no type");
        }
        if (type.kind != null) {
            throw new UnsupportedModelException(what + " '" + name + "' is " + type.kind
                    + "; only tensor inputs and outputs are supported");
        }
        if (type.dims == null) {
            throw new UnsupportedModelException(what + " '" + name
                    + "' has no shape (its rank is unknown); inputs and outputs of unknown rank are not supported");
        }
        DataType dataType;
        try {
            dataType = DataType.fromCode((int) type.elemType);
        } catch (IllegalArgumentException e) {
            if (type.elemType == 0) {
                throw new OnnxFormatException(NOT_ONNX + what + " '" + name + "' has no element type");
            }
            throw new UnsupportedModelException(
                    what + " '" + name + "' has element type " + dataTypeName(type.elemType) + ", which is not supported");
        }
        return new ValueInfo(name, dataType, type.dims);
    }

    /** A TypeProto: a tensor's element type and shape, or the kind of a non-tensor type. */
    private static final class TypeInfo {
        long elemType;
        List<Long> dims; // null if the tensor type has no shape (unknown rank)
        String kind; // null for tensors
    }

    private static TypeInfo readType(CodedInputStream in) throws IOException {
        TypeInfo info = new TypeInfo();
        info.kind = "of no known type";
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> {
                    int limit = enter(in, tag, "TypeProto.tensor_type");
                    info.kind = null;
                    readTensorType(in, info);
                    in.popLimit(limit);
                }
                case 4 -> { skip(in, tag); info.kind = "a sequence"; }
                case 5 -> { skip(in, tag); info.kind = "a map"; }
                case 8 -> { skip(in, tag); info.kind = "a sparse tensor"; }
                case 9 -> { skip(in, tag); info.kind = "an optional"; }
                default -> skip(in, tag); // denotation
            }
        }
        return info;
    }

    private static void readTensorType(CodedInputStream in, TypeInfo info) throws IOException {
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> info.elemType = readVarint(in, tag, "TypeProto.Tensor.elem_type");
                case 2 -> {
                    int limit = enter(in, tag, "TypeProto.Tensor.shape");
                    List<Long> dims = new ArrayList<>();
                    int t;
                    while ((t = in.readTag()) != 0) {
                        if (WireFormat.getTagFieldNumber(t) == 1) {
                            if (dims.size() == MAX_RANK) {
                                throw new OnnxFormatException(
                                        "a shape has more than " + MAX_RANK + " dimensions, over the limit");
                            }
                            int l = enter(in, t, "TensorShapeProto.dim");
                            dims.add(readDimension(in));
                            in.popLimit(l);
                        } else {
                            skip(in, t);
                        }
                    }
                    in.popLimit(limit);
                    info.dims = dims;
                }
                default -> skip(in, tag);
            }
        }
    }

    private static long readDimension(CodedInputStream in) throws IOException {
        long dim = -1;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> {
                    dim = readVarint(in, tag, "TensorShapeProto.Dimension.dim_value");
                    if (dim < 0) {
                        throw new OnnxFormatException(NOT_ONNX + "negative dimension " + dim + " in a shape");
                    }
                }
                case 2 -> {
                    readString(in, tag, "TensorShapeProto.Dimension.dim_param");
                    dim = -1;
                }
                default -> skip(in, tag);
            }
        }
        return dim;
    }

    // ------------------------------------------------------------------ TensorProto

    /**
     * Reads a TensorProto's fields up to the current limit and validates them.
     *
     * @param context      how the tensor is named in messages until its own name is known ("initializer #3")
     * @param requireFinite refuse NaN and infinite float values (for weights)
     */
    private TensorData readTensorBody(CodedInputStream in, String context, boolean requireFinite) throws IOException {
        LongBuffer dims = new LongBuffer(MAX_RANK, context, "dimensions", "the rank");
        long dataType = 0;
        String name = "";
        FloatBuffer floatData = null;
        LongBuffer int32Data = null;
        LongBuffer int64Data = null;
        DoubleBuffer doubleData = null;
        byte[] raw = null;
        String otherData = null; // string_data or uint64_data
        boolean external = false;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> readVarints(in, tag, "TensorProto.dims", dims);
                case 2 -> dataType = readVarint(in, tag, "TensorProto.data_type");
                case 3 -> throw new UnsupportedModelException(context + " is segmented, which is not supported");
                case 4 -> {
                    if (floatData == null) {
                        floatData = new FloatBuffer(limits.maxTensorElements(), context);
                    }
                    readFloats(in, tag, "TensorProto.float_data", floatData);
                }
                case 5 -> {
                    if (int32Data == null) {
                        int32Data = new LongBuffer(limits.maxTensorElements(), context);
                    }
                    readVarints(in, tag, "TensorProto.int32_data", int32Data);
                }
                case 6 -> {
                    skip(in, tag);
                    otherData = "string_data";
                }
                case 7 -> {
                    if (int64Data == null) {
                        int64Data = new LongBuffer(limits.maxTensorElements(), context);
                    }
                    readVarints(in, tag, "TensorProto.int64_data", int64Data);
                }
                case 8 -> name = readString(in, tag, "TensorProto.name");
                case 9 -> {
                    expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "TensorProto.raw_data");
                    raw = in.readByteArray();
                }
                case 10 -> {
                    if (doubleData == null) {
                        doubleData = new DoubleBuffer(limits.maxTensorElements(), context);
                    }
                    readDoubles(in, tag, "TensorProto.double_data", doubleData);
                }
                case 11 -> {
                    skip(in, tag);
                    otherData = "uint64_data";
                }
                case 13 -> {
                    skip(in, tag);
                    external = true;
                }
                case 14 -> external |= readVarint(in, tag, "TensorProto.data_location") == 1;
                default -> skip(in, tag); // doc_string, metadata
            }
        }
        String label = name.isEmpty() ? context : context.startsWith("initializer") ? "initializer '" + name + "'"
                : context + " ('" + name + "')";
        if (external) {
            throw new UnsupportedModelException(label + " keeps its data in an external file, which is not supported");
        }
        if (dataType == 0) {
            throw new OnnxFormatException(NOT_ONNX + label + " has no data_type");
        }
        String typeName = dataTypeName(dataType);
        DataType type = null;
        for (DataType candidate : SUPPORTED_TENSOR_TYPES) {
            if (candidate.code() == dataType) {
                type = candidate;
            }
        }
        if (type == null) {
            throw new UnsupportedModelException(label + " has data type " + typeName
                    + ", which is not supported (supported: FLOAT, INT8, UINT8, INT32, INT64, BOOL)");
        }
        long[] shape = dims.toArray();
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new OnnxFormatException(NOT_ONNX + label + " has negative dimension " + d + " in dims "
                        + Arrays.toString(shape));
            }
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw new OnnxFormatException(NOT_ONNX + label + " has dims " + Arrays.toString(shape)
                        + " whose element count overflows 64 bits");
            }
        }
        if (count > limits.maxTensorElements()) {
            throw new OnnxFormatException(label + " has " + count + " elements (dims " + Arrays.toString(shape)
                    + "), over the limit of " + limits.maxTensorElements() + " elements per tensor");
        }
        int n = (int) count;
        String expectedField = switch (type) {
            case FLOAT -> "float_data";
            case INT64 -> "int64_data";
            default -> "int32_data";
        };
        String[] presentFields = {
            floatData != null ? "float_data" : null, int32Data != null ? "int32_data" : null,
            int64Data != null ? "int64_data" : null, doubleData != null ? "double_data" : null, otherData
        };
        for (String present : presentFields) {
            if (present != null && !present.equals(expectedField)) {
                throw new OnnxFormatException(NOT_ONNX + label + " of type " + typeName + " has values in " + present
                        + " (expected raw_data or " + expectedField + ")");
            }
        }
        String dimsText = "dims " + Arrays.toString(shape) + " (" + count + " elements)";
        if (raw != null) {
            if (floatData != null || int32Data != null || int64Data != null) {
                throw new OnnxFormatException(
                        NOT_ONNX + label + " has values both in raw_data and in " + expectedField);
            }
            int width = switch (type) {
                case FLOAT, INT32 -> 4;
                case INT64 -> 8;
                default -> 1;
            };
            if (raw.length != count * width) {
                throw new OnnxFormatException(NOT_ONNX + label + " has " + dimsText + " but its raw_data holds "
                        + raw.length + " bytes; " + typeName + " needs " + count * width);
            }
        } else {
            long values = switch (type) {
                case FLOAT -> floatData == null ? 0 : floatData.size;
                case INT64 -> int64Data == null ? 0 : int64Data.size;
                default -> int32Data == null ? 0 : int32Data.size;
            };
            if (values != count) {
                throw new OnnxFormatException(NOT_ONNX + label + " has " + dimsText + " but "
                        + (values == 0 ? "holds no values" : values + " values in " + expectedField));
            }
        }
        ByteBuffer bytes = raw == null ? null : ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if (type == DataType.FLOAT) {
            float[] values = new float[n];
            if (bytes != null) {
                bytes.asFloatBuffer().get(values);
            } else if (n > 0) {
                System.arraycopy(floatData.values, 0, values, 0, n);
            }
            if (requireFinite) {
                for (int k = 0; k < n; k++) {
                    if (!Float.isFinite(values[k])) {
                        throw new OnnxFormatException(label + " holds " + values[k] + " at index " + k
                                + "; weights must be finite");
                    }
                }
            }
            return TensorData.ofFloats(name, shape, values);
        }
        long[] values = new long[n];
        if (bytes != null) {
            for (int k = 0; k < n; k++) {
                values[k] = switch (type) {
                    case INT64 -> bytes.getLong();
                    case INT32 -> bytes.getInt();
                    case INT8 -> bytes.get();
                    default -> bytes.get() & 0xFF; // UINT8, BOOL
                };
            }
        } else {
            LongBuffer source = type == DataType.INT64 ? int64Data : int32Data;
            for (int k = 0; k < n; k++) {
                // int32_data holds int32 values; varints of negative int32 are sign-extended to 64 bits.
                values[k] = type == DataType.INT64 ? source.values[k] : (int) source.values[k];
            }
        }
        long min = switch (type) {
            case INT8 -> Byte.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> 0;
        };
        long max = switch (type) {
            case INT8 -> Byte.MAX_VALUE;
            case UINT8 -> 255;
            case BOOL -> 1;
            case INT32 -> Integer.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
        for (int k = 0; k < n; k++) {
            if (values[k] < min || values[k] > max) {
                throw new OnnxFormatException(NOT_ONNX + label + " holds " + values[k] + " at index " + k
                        + ", outside the range of " + typeName);
            }
        }
        return TensorData.ofLongs(name, type, shape, values);
    }

    private static String attributeContext(String name, int nodeIndex) {
        return "attribute '" + name + "' of node #" + nodeIndex;
    }

    /** The most values a buffer holds: {@code limit}, or what one Java array can hold. */
    private static int capacityLimit(long limit) {
        return (int) Math.min(limit, Integer.MAX_VALUE - 8);
    }

    /** The next capacity of a buffer that is full at {@code size} and holds at most {@code max} values. */
    private static int grow(int size, int max, String context, String what, String limit) {
        if (size >= max) {
            throw new OnnxFormatException(context + " holds more than " + max + " " + what + ", over the limit of "
                    + limit);
        }
        return (int) Math.min(max, 2L * size);
    }

    // ------------------------------------------------------------------ wire-format helpers

    /** Enters a length-delimited sub-message; returns the old limit for {@link CodedInputStream#popLimit}. */
    private static int enter(CodedInputStream in, int tag, String field) throws IOException {
        expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        int length = in.readRawVarint32();
        return in.pushLimit(length); // refuses negative lengths and lengths past the end
    }

    private static long readVarint(CodedInputStream in, int tag, String field) throws IOException {
        expectWireType(tag, WireFormat.WIRETYPE_VARINT, field);
        return in.readInt64();
    }

    private static String readString(CodedInputStream in, int tag, String field) throws IOException {
        expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        return in.readStringRequireUtf8();
    }

    /** Repeated varint field, packed or not (protobuf parsers must accept both). */
    private static void readVarints(CodedInputStream in, int tag, String field, LongBuffer into) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
            into.add(in.readInt64());
            return;
        }
        int limit = enter(in, tag, field + " (packed)");
        while (!in.isAtEnd()) {
            into.add(in.readInt64());
        }
        in.popLimit(limit);
    }

    /** Repeated float field, packed or not. */
    private static void readFloats(CodedInputStream in, int tag, String field, FloatBuffer into) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_FIXED32) {
            into.add(in.readFloat());
            return;
        }
        expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        int length = in.readRawVarint32();
        if (length < 0 || length % 4 != 0) {
            throw new OnnxFormatException(NOT_ONNX + "packed " + field + " is " + length
                    + " bytes long, not a multiple of 4");
        }
        byte[] bytes = in.readRawBytes(length);
        java.nio.FloatBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        while (view.hasRemaining()) {
            into.add(view.get());
        }
    }

    /** Repeated double field, packed or not. */
    private static void readDoubles(CodedInputStream in, int tag, String field, DoubleBuffer into) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_FIXED64) {
            into.add(in.readDouble());
            return;
        }
        expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, field);
        int length = in.readRawVarint32();
        if (length < 0 || length % 8 != 0) {
            throw new OnnxFormatException(NOT_ONNX + "packed " + field + " is " + length
                    + " bytes long, not a multiple of 8");
        }
        byte[] bytes = in.readRawBytes(length);
        java.nio.DoubleBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        while (view.hasRemaining()) {
            into.add(view.get());
        }
    }

    private static void skip(CodedInputStream in, int tag) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_START_GROUP
                || WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_END_GROUP) {
            throw new OnnxFormatException(NOT_ONNX + "malformed protobuf: group wire type for field "
                    + WireFormat.getTagFieldNumber(tag) + " (ONNX uses no groups)");
        }
        in.skipField(tag);
    }

    private static final String[] WIRE_TYPES = {"VARINT", "FIXED64", "LENGTH_DELIMITED", "START_GROUP", "END_GROUP",
        "FIXED32", "INVALID(6)", "INVALID(7)"};

    private static void expectWireType(int tag, int expected, String field) {
        int actual = WireFormat.getTagWireType(tag);
        if (actual != expected) {
            throw new OnnxFormatException(NOT_ONNX + "field " + field + " has wire type " + WIRE_TYPES[actual]
                    + ", expected " + WIRE_TYPES[expected]);
        }
    }

    // Growable primitive arrays (no boxing for large tensors), refusing the value past their maximum while it is read.

    private static final String VALUES = "values";
    private static final String ELEMENTS = "elements per tensor";

    private static final class FloatBuffer {
        final int max;
        final String context;
        float[] values;
        int size;

        FloatBuffer(long max, String context) {
            this.max = capacityLimit(max);
            this.context = context;
            this.values = new float[Math.min(16, this.max)];
        }

        void add(float v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, grow(size, max, context, VALUES, ELEMENTS));
            }
            values[size++] = v;
        }

        float[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    private static final class LongBuffer {
        final int max;
        final String context;
        final String what;
        final String limit;
        long[] values;
        int size;

        LongBuffer(long max, String context) {
            this(max, context, VALUES, ELEMENTS);
        }

        LongBuffer(long max, String context, String what, String limit) {
            this.max = capacityLimit(max);
            this.context = context;
            this.what = what;
            this.limit = limit;
            this.values = new long[Math.min(16, this.max)];
        }

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, grow(size, max, context, what, limit));
            }
            values[size++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    private static final class DoubleBuffer {
        final int max;
        final String context;
        double[] values;
        int size;

        DoubleBuffer(long max, String context) {
            this.max = capacityLimit(max);
            this.context = context;
            this.values = new double[Math.min(16, this.max)];
        }

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, grow(size, max, context, VALUES, ELEMENTS));
            }
            values[size++] = v;
        }
    }
}
