package dev.verity.modelhub.onnx;

/**
 * The bytes given to {@link OnnxParser} are not an ONNX model (or tensor) that the model hub can use: malformed or
 * truncated protobuf, a wrong wire type, missing required parts, inconsistent tensor data, non-finite weights, or a
 * model over the {@link OnnxLimits}. The message says what is wrong and where.
 */
public class OnnxFormatException extends RuntimeException {
    public OnnxFormatException(String message) {
        super(message);
    }

    public OnnxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
