package dev.verity.gateway.tokenizer;

/**
 * Turns one answer's token ids into text as they arrive. A token may end in the middle of a character (a byte-level
 * tokenizer splits multi-byte UTF-8 characters across tokens), so each call returns only the text that is complete
 * so far and keeps the rest for the next token. Not thread-safe: one answer, one thread at a time.
 */
public interface StreamingDetokenizer {

    /** Takes the next id and returns the text it completes ({@code ""} when it only starts a character). */
    String accept(int tokenId);

    /**
     * The answer has ended: returns whatever is still held, with an incomplete character at the end shown as
     * U+FFFD, as a decoder of the whole answer would.
     */
    String finish();
}
