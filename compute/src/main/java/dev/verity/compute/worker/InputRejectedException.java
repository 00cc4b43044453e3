package dev.verity.compute.worker;

/**
 * Thrown by a {@link ModelRunner} when the model or its runtime refuses a job's input (the client's fault): the worker
 * answers the job with an {@code INPUT_REJECTED} failure, and the node is paid its fee. Runners may also throw
 * {@link IllegalArgumentException}, which counts the same; anything else is the node's own fault.
 */
public class InputRejectedException extends RuntimeException {
    public InputRejectedException(String message) {
        super(message);
    }

    public InputRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
