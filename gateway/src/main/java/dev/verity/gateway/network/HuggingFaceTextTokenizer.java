package dev.verity.gateway.network;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.verity.gateway.tokenizer.StreamingDetokenizer;
import dev.verity.gateway.tokenizer.TextTokenizer;
import dev.verity.modelhub.lm.tokenizer.TokenStreamDecoder;
import dev.verity.modelhub.lm.tokenizer.TokenizerFile;
import dev.verity.modelhub.lm.tokenizer.TokenizerFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * A model's Hugging Face {@code tokenizer.json} as the gateway uses it, loaded by the same library as every other
 * tokenizer ({@link TokenizerFile}). Text is encoded by a copy without the file's {@code added_tokens}, so a user who
 * writes {@code <|im_start|>} in a message gets those characters, not the special token: only the chat template places
 * special tokens, by id.
 */
public final class HuggingFaceTextTokenizer implements TextTokenizer, AutoCloseable {
    /** The tokenizer of the project's own chat model, shipped in the model hub's resources. */
    public static final String SHIPPED = "/lm/tokenizer.json";

    private final TokenizerFile full;
    private final TokenizerFile plainText;

    private HuggingFaceTextTokenizer(String json, String name) {
        this.full = TokenizerFile.parse(json, name);
        this.plainText = TokenizerFile.parse(withoutAddedTokens(json, name), name);
    }

    public static HuggingFaceTextTokenizer load(Path file) {
        try {
            return new HuggingFaceTextTokenizer(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new TokenizerFileException("cannot read tokenizer file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The shipped chat model's tokenizer. */
    public static HuggingFaceTextTokenizer shipped() {
        try (InputStream in = HuggingFaceTextTokenizer.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new TokenizerFileException("the shipped tokenizer " + SHIPPED + " is not on the class path");
            }
            return new HuggingFaceTextTokenizer(new String(in.readAllBytes(), StandardCharsets.UTF_8), SHIPPED);
        } catch (IOException e) {
            throw new TokenizerFileException("cannot read the shipped tokenizer: " + e.getMessage(), e);
        }
    }

    private static String withoutAddedTokens(String json, String name) {
        try {
            JsonElement root = JsonParser.parseString(json);
            if (!root.isJsonObject()) {
                throw new TokenizerFileException("tokenizer " + name + " is not a JSON object");
            }
            root.getAsJsonObject().add("added_tokens", new JsonArray());
            return root.toString();
        } catch (JsonParseException e) {
            throw new TokenizerFileException("tokenizer " + name + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public int[] encode(String text) {
        return plainText.encode(text);
    }

    @Override
    public StreamingDetokenizer newDetokenizer() {
        TokenStreamDecoder decoder = full.streamDecoder();
        return new StreamingDetokenizer() {
            @Override
            public String accept(int tokenId) {
                return decoder.next(tokenId);
            }

            @Override
            public String finish() {
                return decoder.finish();
            }
        };
    }

    @Override
    public OptionalInt specialTokenId(String name) {
        Integer id = full.specialTokens().get(name);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public long vocabularySize() {
        return full.vocabularySize();
    }

    @Override
    public void close() {
        full.close();
        plainText.close();
    }
}
