package dev.verity.economics.calculator;

/** The GPU data file is malformed: the message names the GPU and the field. */
public final class InvalidGpuDataException extends IllegalArgumentException {
    public InvalidGpuDataException(String message) {
        super(message);
    }

    public InvalidGpuDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
