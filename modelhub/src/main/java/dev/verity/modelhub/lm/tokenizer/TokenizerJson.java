package dev.verity.modelhub.lm.tokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link BpeVocabulary} as a Hugging Face {@code tokenizer.json}, laid out as GPT-2's: a {@code BPE} model
 * with no unknown token, the {@code ByteLevel} pre-tokenizer (GPT-2 regex, no prefix space), the {@code ByteLevel}
 * post-processor and decoder, no normalizer. The special tokens are {@code added_tokens} with
 * {@code special: true}. Merges are written as {@code "left right"} strings, the form every version of the library
 * reads (byte-level tokens never contain a space).
 *
 * <p>The output depends only on the vocabulary: the same vocabulary always gives the same bytes.
 */
public final class TokenizerJson {
    private TokenizerJson() {
    }

    public static String write(BpeVocabulary vocabulary) {
        List<String> tokens = vocabulary.tokens();
        StringBuilder json = new StringBuilder(64 * tokens.size());
        json.append("{\n");
        json.append("  \"version\": \"1.0\",\n");
        json.append("  \"truncation\": null,\n");
        json.append("  \"padding\": null,\n");
        json.append("  \"added_tokens\": [\n");
        for (int id = 0; id < vocabulary.specialTokens().size(); id++) {
            json.append("    {\"id\": ").append(id).append(", \"content\": ");
            string(json, vocabulary.specialTokens().get(id));
            json.append(", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}");
            json.append(id + 1 < vocabulary.specialTokens().size() ? ",\n" : "\n");
        }
        json.append("  ],\n");
        json.append("  \"normalizer\": null,\n");
        json.append("  \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true, \"use_regex\": true},\n");
        json.append("  \"post_processor\": {\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": false, \"use_regex\": true},\n");
        json.append("  \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": true, \"use_regex\": true},\n");
        json.append("  \"model\": {\n");
        json.append("    \"type\": \"BPE\",\n");
        json.append("    \"dropout\": null,\n");
        json.append("    \"unk_token\": null,\n");
        json.append("    \"continuing_subword_prefix\": \"\",\n");
        json.append("    \"end_of_word_suffix\": \"\",\n");
        json.append("    \"fuse_unk\": false,\n");
        json.append("    \"byte_fallback\": false,\n");
        json.append("    \"ignore_merges\": false,\n");
        json.append("    \"vocab\": {\n");
        for (int id = 0; id < tokens.size(); id++) {
            json.append("      ");
            string(json, tokens.get(id));
            json.append(": ").append(id).append(id + 1 < tokens.size() ? ",\n" : "\n");
        }
        json.append("    },\n");
        json.append("    \"merges\": [\n");
        List<BpeVocabulary.Merge> merges = vocabulary.merges();
        for (int rank = 0; rank < merges.size(); rank++) {
            json.append("      ");
            string(json, tokens.get(merges.get(rank).left()) + " " + tokens.get(merges.get(rank).right()));
            json.append(rank + 1 < merges.size() ? ",\n" : "\n");
        }
        json.append("    ]\n");
        json.append("  }\n");
        json.append("}\n");
        return json.toString();
    }

    /**
     * Reads back a file this class wrote: the special tokens and merges, checked against the id layout of
     * {@link BpeVocabulary} (special tokens, then the 256 bytes in byte order, then one token per merge).
     *
     * @throws TokenizerFileException if the file is not laid out that way
     */
    public static BpeVocabulary read(String json) {
        try {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            List<String> specials = new ArrayList<>();
            for (JsonElement e : root.getAsJsonArray("added_tokens")) {
                JsonObject token = e.getAsJsonObject();
                if (token.get("id").getAsInt() != specials.size()) {
                    throw new TokenizerFileException("added token " + token.get("content") + " has id " + token.get("id")
                            + ", expected " + specials.size());
                }
                specials.add(token.get("content").getAsString());
            }
            JsonObject model = root.getAsJsonObject("model");
            Map<String, Integer> vocab = new HashMap<>();
            model.getAsJsonObject("vocab").entrySet().forEach(e -> vocab.put(e.getKey(), e.getValue().getAsInt()));
            List<BpeVocabulary.Merge> merges = new ArrayList<>();
            for (JsonElement e : model.getAsJsonArray("merges")) {
                String[] parts = e.isJsonArray()
                        ? new String[] {e.getAsJsonArray().get(0).getAsString(), e.getAsJsonArray().get(1).getAsString()}
                        : e.getAsString().split(" ", -1);
                Integer left = parts.length == 2 ? vocab.get(parts[0]) : null;
                Integer right = parts.length == 2 ? vocab.get(parts[1]) : null;
                if (left == null || right == null) {
                    throw new TokenizerFileException("merge " + e + " joins tokens that are not in the vocabulary");
                }
                merges.add(new BpeVocabulary.Merge(left, right));
            }
            BpeVocabulary vocabulary = new BpeVocabulary(specials, merges);
            List<String> tokens = vocabulary.tokens();
            if (vocab.size() != tokens.size()) {
                throw new TokenizerFileException("the vocabulary has " + vocab.size() + " tokens, its layout implies " + tokens.size());
            }
            for (int id = 0; id < tokens.size(); id++) {
                if (!Integer.valueOf(id).equals(vocab.get(tokens.get(id)))) {
                    throw new TokenizerFileException("token " + tokens.get(id) + " should have id " + id + ", has " + vocab.get(tokens.get(id)));
                }
            }
            return vocabulary;
        } catch (JsonParseException | IllegalStateException | NullPointerException | IllegalArgumentException e) {
            throw new TokenizerFileException("not a byte-level BPE tokenizer.json as this project writes it: " + e.getMessage(), e);
        }
    }

    /** A JSON string literal; non-ASCII characters are written as they are (the file is UTF-8). */
    private static void string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7F || Character.isSurrogate(c)) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
