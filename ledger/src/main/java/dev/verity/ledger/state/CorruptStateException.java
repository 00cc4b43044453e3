package dev.verity.ledger.state;

/** A stored state row or trie node that cannot be read back: the backend was damaged or written by something else. */
public final class CorruptStateException extends RuntimeException {
    public CorruptStateException(String message, Throwable cause) {
        super(message, cause);
    }

    public CorruptStateException(String message) {
        super(message);
    }
}
