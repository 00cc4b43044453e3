package dev.verity.sdk;

/** A key file could not be read, parsed or written; the message says which file and what to do. */
public final class KeyFileException extends RuntimeException {
    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
