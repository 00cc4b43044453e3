package dev.verity.service.model;

/** A model asked of the {@link ModelStore} that is missing, or whose file no longer matches its hash. */
public final class ModelStoreException extends RuntimeException {
    public ModelStoreException(String message) {
        super(message);
    }
}
