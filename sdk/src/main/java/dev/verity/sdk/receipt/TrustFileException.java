package dev.verity.sdk.receipt;

/** A trust file could not be read, parsed or written; the message says which file and what is wrong. */
public final class TrustFileException extends RuntimeException {
    public TrustFileException(String message) {
        super(message);
    }

    public TrustFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
