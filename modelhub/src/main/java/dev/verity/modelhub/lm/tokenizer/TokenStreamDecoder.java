package dev.verity.modelhub.lm.tokenizer;

import java.util.Arrays;

/**
 * Decodes tokens as a model generates them, one at a time, so the text can be streamed. A token may end in the middle
 * of a character (an emoji spans four byte tokens, an accented letter two); such a character is held back until the
 * tokens that complete it arrive, so every piece returned is whole text.
 *
 * <p>It works for any tokenizer file: it decodes a short window of recent tokens, once without and once with the new
 * ones, and returns what was added when that does not end in U+FFFD (the replacement character the library puts in
 * place of an incomplete character). A text that really ends in U+FFFD is returned with the next token or by
 * {@link #finish()}. Not thread-safe: one per generated sequence.
 */
public final class TokenStreamDecoder {
    private static final char REPLACEMENT = '\uFFFD';

    private final TokenizerFile tokenizer;
    private int[] ids = new int[16];
    private int size;
    private int prefixOffset; // the start of the window decoded for context
    private int readOffset;   // the tokens before this have been returned as text

    TokenStreamDecoder(TokenizerFile tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds a token; returns the text it completes, possibly empty. */
    public String next(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
        String before = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset));
        String after = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, size));
        if (after.length() > before.length() && after.charAt(after.length() - 1) != REPLACEMENT) {
            prefixOffset = readOffset;
            readOffset = size;
            return after.substring(before.length());
        }
        tokenizer.decode(new int[] {id}); // checks the id now, not only when the character completes
        return "";
    }

    /** Returns whatever is held back (incomplete characters as U+FFFD) and starts afresh. */
    public String finish() {
        String before = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, readOffset));
        String after = tokenizer.decode(Arrays.copyOfRange(ids, prefixOffset, size));
        size = 0;
        prefixOffset = 0;
        readOffset = 0;
        return after.length() > before.length() ? after.substring(before.length()) : "";
    }
}
