package dev.verity.modelhub.onnx;

/**
 * A well-formed ONNX model that uses a feature the model hub does not support: an operator from a domain other than
 * the default ONNX domain, a tensor element type other than those listed in {@link OnnxParser}, an attribute of a
 * type other than INT, FLOAT, INTS, FLOATS, STRING and TENSOR (subgraphs, for instance), a non-tensor graph input or
 * output (sequences, maps, optionals), or tensor data stored outside the file.
 *
 * <p>It is an {@link OnnxFormatException}, so callers that only care whether a model can be imported catch one type;
 * callers that want to tell "broken" from "not supported" (the conformance runner) catch this one first.
 */
public class UnsupportedModelException extends OnnxFormatException {
    private final String opType;

    public UnsupportedModelException(String message) {
        this(message, null);
    }

    /** @param opType the operator type whose use is unsupported, or {@code null} if the problem is not a node's */
    public UnsupportedModelException(String message, String opType) {
        super(message);
        this.opType = opType;
    }

    /** The operator type concerned, or {@code null} when the unsupported feature is not tied to one node. */
    public String opType() {
        return opType;
    }
}
