package dev.verity.compute.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.verity.modelhub.lm.tokenizer.NativeTokenizerLibrary;
import dev.verity.modelhub.lm.tokenizer.TokenizerFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tokenizer of a sentence embedding model: its Hugging Face {@code tokenizer.json} (for all-MiniLM-L6-v2 the
 * BERT normalizer, pre-tokenizer, WordPiece model and {@code [CLS] $A [SEP]} template) run by the native tokenizers
 * library, with the sequence cut to a fixed number of tokens as Hugging Face truncation does: the first
 * {@code maxTokens - 2} pieces of the text between {@code [CLS]} and {@code [SEP]}.
 *
 * <p>Text that looks like a special token (for example {@code "[SEP]"}) is tokenized as ordinary text, so job
 * inputs cannot inject structure into a sequence: the file's {@code added_tokens} are dropped before loading (the
 * template still adds {@code [CLS]} and {@code [SEP]} by id).
 *
 * <p>Holds a native handle: close it. Safe for concurrent {@link #encode} calls.
 */
public final class SentenceTokenizer implements AutoCloseable {
    /**
     * One tokenized sequence, {@code [CLS] ... [SEP]}, as the three int64 model inputs (all of equal length).
     * Arrays are handed out as-is: treat them as read-only.
     */
    public record Encoding(long[] inputIds, long[] attentionMask, long[] tokenTypeIds) {
        public int length() {
            return inputIds.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Encoding e && Arrays.equals(inputIds, e.inputIds)
                    && Arrays.equals(attentionMask, e.attentionMask) && Arrays.equals(tokenTypeIds, e.tokenTypeIds);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(inputIds);
        }

        @Override
        public String toString() {
            return "Encoding" + Arrays.toString(inputIds);
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;

    private SentenceTokenizer(HuggingFaceTokenizer tokenizer, int maxTokens) {
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
    }

    /**
     * Loads a {@code tokenizer.json}.
     *
     * @param maxTokens the sequence length limit including [CLS] and [SEP], at least 2
     * @throws TokenizerFileException if the file is missing, not JSON, or rejected by the library
     */
    public static SentenceTokenizer load(Path tokenizerJson, int maxTokens) {
        try {
            return load(Files.readString(tokenizerJson, StandardCharsets.UTF_8), tokenizerJson.toString(), maxTokens);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** Loads a {@code tokenizer.json} from a stream, which is left open. */
    public static SentenceTokenizer load(InputStream tokenizerJson, int maxTokens) throws IOException {
        return load(new String(tokenizerJson.readAllBytes(), StandardCharsets.UTF_8), "tokenizer.json", maxTokens);
    }

    private static SentenceTokenizer load(String json, String name, int maxTokens) {
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must be at least 2 to hold [CLS] and [SEP], got " + maxTokens);
        }
        String limit = String.valueOf(maxTokens);
        Map<String, String> options = Map.of("addSpecialTokens", "true", "truncation", "true", "maxLength", limit,
                "modelMaxLength", limit, "padding", "false", "withOverflowingTokens", "false");
        try {
            return new SentenceTokenizer(NativeTokenizerLibrary.open(withoutAddedTokens(json, name), options), maxTokens);
        } catch (TokenizerFileException e) {
            throw new TokenizerFileException("tokenizer " + name + ": " + e.getMessage(), e);
        }
    }

    /** The file with an empty {@code added_tokens}, so special-token text in the input is not matched as such. */
    private static String withoutAddedTokens(String json, String name) {
        try {
            JsonElement root = JsonParser.parseString(json);
            if (!root.isJsonObject()) {
                throw new TokenizerFileException("tokenizer " + name + " is not a JSON object");
            }
            JsonObject object = root.getAsJsonObject();
            object.add("added_tokens", new JsonArray());
            return object.toString();
        } catch (JsonParseException e) {
            throw new TokenizerFileException("tokenizer " + name + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    public int maxTokens() {
        return maxTokens;
    }

    /** Encodes {@code [CLS] text [SEP]}, keeping the first {@code maxTokens - 2} pieces of the text. */
    public Encoding encode(String text) {
        Objects.requireNonNull(text, "text");
        ai.djl.huggingface.tokenizers.Encoding e = tokenizer.encode(text, true, false);
        return new Encoding(e.getIds(), e.getAttentionMask(), e.getTypeIds());
    }

    /** The pieces of the text as vocabulary entries, without [CLS] and [SEP]. */
    public List<String> tokenize(String text) {
        String[] tokens = tokenizer.encode(Objects.requireNonNull(text, "text"), true, false).getTokens();
        return List.of(tokens).subList(1, tokens.length - 1);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
