package dev.verity.modelhub.lm.corpus;

/** A source file of the corpus is not in the format its reader expects; the message says what was found where. */
public class CorpusFormatException extends RuntimeException {
    public CorpusFormatException(String message) {
        super(message);
    }

    public CorpusFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
