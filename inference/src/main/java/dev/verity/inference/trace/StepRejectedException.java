package dev.verity.inference.trace;

/** A witness that does not prove the transition it is offered for; the message says why. */
public final class StepRejectedException extends RuntimeException {
    public StepRejectedException(String message) {
        super(message);
    }
}
