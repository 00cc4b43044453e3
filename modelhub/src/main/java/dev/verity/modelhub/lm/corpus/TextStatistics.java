package dev.verity.modelhub.lm.corpus;

import java.nio.charset.StandardCharsets;

/**
 * The size of a text three ways.
 *
 * @param bytes      UTF-8 bytes
 * @param characters Unicode code points
 * @param words      runs of non-whitespace characters
 */
public record TextStatistics(long bytes, long characters, long words) {
    public static final TextStatistics EMPTY = new TextStatistics(0, 0, 0);

    public static TextStatistics of(String text) {
        long words = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            boolean space = Character.isWhitespace(cp);
            if (!space && !inWord) {
                words++;
            }
            inWord = !space;
        }
        return new TextStatistics(text.getBytes(StandardCharsets.UTF_8).length,
                text.codePointCount(0, text.length()), words);
    }

    public TextStatistics plus(TextStatistics other) {
        return new TextStatistics(bytes + other.bytes, characters + other.characters, words + other.words);
    }
}
