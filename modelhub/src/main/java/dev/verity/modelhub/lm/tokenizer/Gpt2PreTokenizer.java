package dev.verity.modelhub.lm.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's pre-tokenization, as the {@code ByteLevel} pre-tokenizer with {@code use_regex: true} and
 * {@code add_prefix_space: false} does it: the text is cut into English contractions, letter runs, digit runs and
 * punctuation runs (each with at most one leading space), and whitespace runs. BPE merges never cross these pieces.
 *
 * <p>{@code \s} is Unicode whitespace here ({@link Pattern#UNICODE_CHARACTER_CLASS}), as in the Oniguruma regex the
 * Hugging Face library uses; {@code \p{L}} and {@code \p{N}} are the Unicode letter and number categories.
 */
public final class Gpt2PreTokenizer {
    /** GPT-2's pattern, character for character. */
    public static final String PATTERN =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private static final Pattern COMPILED = Pattern.compile(PATTERN, Pattern.UNICODE_CHARACTER_CLASS);

    private Gpt2PreTokenizer() {
    }

    /** The pieces of a text, in order; concatenated they are the text. */
    public static List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = COMPILED.matcher(text);
        int end = 0;
        while (m.find()) {
            if (m.start() > end) {
                pieces.add(text.substring(end, m.start())); // unreachable with this pattern, kept for safety
            }
            pieces.add(m.group());
            end = m.end();
        }
        if (end < text.length()) {
            pieces.add(text.substring(end));
        }
        return pieces;
    }
}
