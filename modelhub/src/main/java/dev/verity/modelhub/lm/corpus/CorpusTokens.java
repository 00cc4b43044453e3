package dev.verity.modelhub.lm.corpus;

import dev.verity.modelhub.lm.tokenizer.TokenizerFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The corpus that {@code verity lm corpus} writes, tokenized as training tokenized it (each file's whole text as one
 * stream), and windows cut from a stream at evenly spaced starts.
 */
public final class CorpusTokens {
    private CorpusTokens() {}

    public static int[] training(Path corpus, TokenizerFile tokenizer) {
        return tokens(corpus.resolve(LanguageModelCorpus.TRAIN_FILE), tokenizer);
    }

    public static int[] heldOut(Path corpus, TokenizerFile tokenizer) {
        return tokens(corpus.resolve(LanguageModelCorpus.HELD_OUT_FILE), tokenizer);
    }

    private static int[] tokens(Path file, TokenizerFile tokenizer) {
        try {
            return tokenizer.encode(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + " does not exist; write the corpus with 'verity lm corpus --out DIR'"
                    + " and pass --corpus DIR");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** {@code count} windows of {@code length} tokens, the first at 0 and the last ending at the stream's end. */
    public static List<int[]> windows(int[] stream, int count, int length) {
        if (stream.length < length || count < 1) {
            throw new IllegalArgumentException("cannot cut " + count + " windows of " + length + " tokens from "
                    + stream.length);
        }
        List<int[]> out = new ArrayList<>();
        long span = stream.length - length;
        for (int i = 0; i < count; i++) {
            int start = count == 1 ? 0 : (int) (span * i / (count - 1));
            out.add(Arrays.copyOfRange(stream, start, start + length));
        }
        return out;
    }
}
