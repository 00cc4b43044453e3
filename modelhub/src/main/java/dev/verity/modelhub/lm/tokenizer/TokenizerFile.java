package dev.verity.modelhub.lm.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face {@code tokenizer.json} loaded into the native tokenizers library (through DJL, offline: see
 * {@link NativeTokenizerLibrary}), for language models: plain token ids in and out, no special tokens added, no
 * truncation, no padding. Special tokens written in the text are still recognised, as the library always does.
 *
 * <p>Holds a native handle: close it. Safe for concurrent {@link #encode}/{@link #decode} calls, which the Rust
 * tokenizer allows; not against a concurrent {@link #close}.
 */
public final class TokenizerFile implements AutoCloseable {
    private static final Map<String, String> PLAIN = Map.of(
            "addSpecialTokens", "false", "truncation", "false", "padding", "false", "withOverflowingTokens", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final int vocabularySize;
    private final Map<String, Integer> specialTokens;

    private TokenizerFile(HuggingFaceTokenizer tokenizer, int vocabularySize, Map<String, Integer> specialTokens) {
        this.tokenizer = tokenizer;
        this.vocabularySize = vocabularySize;
        this.specialTokens = specialTokens;
    }

    /**
     * Loads a {@code tokenizer.json}.
     *
     * @throws TokenizerFileException if the file is missing, is not JSON, or the library rejects it
     */
    public static TokenizerFile load(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (NoSuchFileException e) {
            throw new TokenizerFileException("tokenizer file " + file + " does not exist");
        } catch (IOException e) {
            throw new TokenizerFileException("cannot read tokenizer file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads a {@code tokenizer.json} from a stream, which is left open. */
    public static TokenizerFile load(InputStream in, String name) throws IOException {
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    }

    /** Loads the {@code tokenizer.json} text itself. */
    public static TokenizerFile parse(String json, String name) {
        JsonObject root;
        try {
            JsonElement parsed = JsonParser.parseString(json);
            if (!parsed.isJsonObject()) {
                throw new TokenizerFileException("tokenizer file " + name + " is not a JSON object");
            }
            root = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new TokenizerFileException("tokenizer file " + name + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!root.has("model") || !root.get("model").isJsonObject()
                || !root.getAsJsonObject("model").has("vocab") || !root.getAsJsonObject("model").get("vocab").isJsonObject()) {
            throw new TokenizerFileException("tokenizer file " + name + " has no model.vocab object; is it a Hugging Face tokenizer.json?");
        }
        int maxId = -1;
        for (Map.Entry<String, JsonElement> e : root.getAsJsonObject("model").getAsJsonObject("vocab").entrySet()) {
            maxId = Math.max(maxId, e.getValue().getAsInt());
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        if (root.has("added_tokens") && root.get("added_tokens").isJsonArray()) {
            for (JsonElement element : root.getAsJsonArray("added_tokens")) {
                JsonObject token = element.getAsJsonObject();
                int id = token.get("id").getAsInt();
                maxId = Math.max(maxId, id);
                if (token.has("special") && token.get("special").getAsBoolean()) {
                    specials.put(token.get("content").getAsString(), id);
                }
            }
        }
        HuggingFaceTokenizer loaded;
        try {
            loaded = NativeTokenizerLibrary.open(json, PLAIN);
        } catch (TokenizerFileException e) {
            throw new TokenizerFileException("tokenizer file " + name + ": " + e.getMessage(), e);
        }
        return new TokenizerFile(loaded, maxId + 1, Map.copyOf(specials));
    }

    /**
     * The token ids of a text, with no special tokens added.
     *
     * @throws IllegalArgumentException if the text holds an unpaired surrogate, which no encoding can represent
     */
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text");
        requireWellFormed(text);
        if (text.isEmpty()) {
            return new int[0];
        }
        long[] ids = tokenizer.encode(text, false, false).getIds(); // DJL copies the ids and frees the native encoding
        int[] result = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            result[i] = Math.toIntExact(ids[i]);
        }
        return result;
    }

    /** Rejects unpaired UTF-16 surrogates: they are not Unicode text and have no UTF-8 bytes to tokenize. */
    static void requireWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(String.format(
                        "text has an unpaired surrogate U+%04X at index %d; it is not valid Unicode", (int) c, i));
            }
        }
    }

    /**
     * The text of some token ids, special tokens included as their text. Bytes that do not form valid UTF-8 (a
     * character cut between tokens) become U+FFFD; use {@link #streamDecoder()} to decode token by token.
     *
     * @throws IllegalArgumentException if an id is outside the vocabulary
     */
    public String decode(int[] ids) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabularySize) {
                throw new IllegalArgumentException("token id " + ids[i] + " is outside the vocabulary of " + vocabularySize);
            }
            wide[i] = ids[i];
        }
        return tokenizer.decode(wide, false);
    }

    /** A decoder that turns ids into text one at a time, holding back incomplete characters. */
    public TokenStreamDecoder streamDecoder() {
        return new TokenStreamDecoder(this);
    }

    /** The number of ids: the largest id in the vocabulary or the added tokens, plus one. */
    public int vocabularySize() {
        return vocabularySize;
    }

    /** The special tokens by their text, such as {@code "<|endoftext|>"} to 0. */
    public Map<String, Integer> specialTokens() {
        return specialTokens;
    }

    /**
     * The id of a special token.
     *
     * @throws IllegalArgumentException if the file declares no such special token
     */
    public int specialTokenId(String token) {
        Integer id = specialTokens.get(token);
        if (id == null) {
            throw new IllegalArgumentException("the tokenizer has no special token " + token + " (it has " + specialTokens.keySet() + ")");
        }
        return id;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
