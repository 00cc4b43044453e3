package dev.verity.compute.model;

/** A model file that could not be pulled from any validator, or whose content did not hash to its id. */
public final class ModelPullException extends RuntimeException {
    private final boolean hashMismatch;

    public ModelPullException(String message) {
        this(message, false);
    }

    public ModelPullException(String message, boolean hashMismatch) {
        super(message);
        this.hashMismatch = hashMismatch;
    }

    /** True when the failure is a download whose SHA-256 differed from the model id (and was refused). */
    public boolean hashMismatch() {
        return hashMismatch;
    }
}
