package dev.verity.modelhub.lm.tokenizer;

/** A tokenizer file cannot be used: missing, not JSON, or rejected by the tokenizer library; the message says which. */
public class TokenizerFileException extends RuntimeException {
    public TokenizerFileException(String message) {
        super(message);
    }

    public TokenizerFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
