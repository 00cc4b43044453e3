package dev.verity.core;

/** Bytes that are not a canonical encoding of the expected value. */
public final class DecodingException extends RuntimeException {
    public DecodingException(String message) {
        super(message);
    }
}
