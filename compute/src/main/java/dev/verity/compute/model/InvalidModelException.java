package dev.verity.compute.model;

/** A model file that cannot be accepted: not ONNX, damaged, empty of computation, or too large. */
public final class InvalidModelException extends RuntimeException {
    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
