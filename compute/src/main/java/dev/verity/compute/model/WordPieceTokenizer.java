package dev.verity.compute.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The BERT tokenizer described by a HuggingFace {@code tokenizer.json} with a WordPiece model, re-implemented so
 * that the node needs no native tokenizer library. Immutable, so safe to share between threads.
 *
 * <p>It follows the {@code BertNormalizer} + {@code BertPreTokenizer} + {@code WordPiece} pipeline:
 * <ol>
 *   <li>clean: drop NUL, U+FFFD and control/format characters; treat tab, CR, LF and Unicode separators as spaces;</li>
 *   <li>normalize: NFD then drop non-spacing marks (accents), then lower-case, each as the file's normalizer says;</li>
 *   <li>split on whitespace, and make every punctuation character and every CJK ideograph a token of its own;</li>
 *   <li>WordPiece: greedy longest-match-first against the vocabulary, continuation pieces prefixed with
 *       {@code ##}; a word longer than {@code max_input_chars_per_word} or with no full split becomes the unknown
 *       token.</li>
 * </ol>
 * Text that looks like a special token (for example {@code "[SEP]"}) is tokenized as ordinary text, so callers
 * cannot inject structure into a sequence.
 */
public final class WordPieceTokenizer {
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    private final String unkToken;
    private final int unkId;
    private final int clsId;
    private final int sepId;
    private final int padId;
    private final String continuationPrefix;
    private final int maxInputCharsPerWord;
    private final boolean lowercase;
    private final boolean stripAccents;
    private final boolean cleanText;
    private final boolean splitCjk;

    private WordPieceTokenizer(JsonNode root) {
        JsonNode model = root.path("model");
        String type = model.path("type").asText("WordPiece");
        if (!type.equals("WordPiece")) {
            throw new IllegalArgumentException("tokenizer model type is " + type + ", only WordPiece is supported");
        }
        JsonNode vocabNode = model.path("vocab");
        if (!vocabNode.isObject() || vocabNode.isEmpty()) {
            throw new IllegalArgumentException("tokenizer.json has no model.vocab object");
        }
        Map<String, Integer> v = new HashMap<>(vocabNode.size() * 2);
        int maxId = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                throw new IllegalArgumentException("vocabulary id of '" + e.getKey() + "' is not a non-negative int");
            }
            int id = e.getValue().asInt();
            v.put(e.getKey(), id);
            maxId = Math.max(maxId, id);
        }
        this.vocab = Map.copyOf(v);
        this.idToToken = new String[maxId + 1];
        v.forEach((token, id) -> idToToken[id] = token);

        this.unkToken = model.path("unk_token").asText("[UNK]");
        this.unkId = requireToken(unkToken);
        this.clsId = requireToken("[CLS]");
        this.sepId = requireToken("[SEP]");
        this.padId = requireToken("[PAD]");
        this.continuationPrefix = model.path("continuing_subword_prefix").asText("##");
        this.maxInputCharsPerWord = model.path("max_input_chars_per_word").asInt(100);

        JsonNode normalizer = root.path("normalizer");
        this.cleanText = normalizer.path("clean_text").asBoolean(true);
        this.splitCjk = normalizer.path("handle_chinese_chars").asBoolean(true);
        this.lowercase = normalizer.path("lowercase").asBoolean(true);
        // As in BertNormalizer: strip_accents null means "follow lowercase".
        JsonNode strip = normalizer.path("strip_accents");
        this.stripAccents = strip.isBoolean() ? strip.asBoolean() : lowercase;
    }

    private int requireToken(String token) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException("tokenizer vocabulary has no " + token + " token");
        }
        return id;
    }

    /** Loads a HuggingFace tokenizer.json file. */
    public static WordPieceTokenizer load(Path tokenizerJson) {
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** Loads a HuggingFace tokenizer.json from a stream, which is left open. */
    public static WordPieceTokenizer load(InputStream tokenizerJson) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(tokenizerJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("tokenizer.json is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("tokenizer.json is not a JSON object");
        }
        return new WordPieceTokenizer(root);
    }

    public int vocabularySize() {
        return vocab.size();
    }

    /** The id of a vocabulary entry, or -1. */
    public int tokenId(String token) {
        return vocab.getOrDefault(token, -1);
    }

    /** The vocabulary entry of an id, or null. */
    public String token(int id) {
        return id >= 0 && id < idToToken.length ? idToToken[id] : null;
    }

    public int padId() {
        return padId;
    }

    /** The WordPiece tokens of the text, without [CLS]/[SEP] and without truncation. */
    public List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        for (int id : wordPieceIds(text, Integer.MAX_VALUE)) {
            tokens.add(idToToken[id]);
        }
        return tokens;
    }

    /**
     * Encodes {@code [CLS] text [SEP]}, keeping the first {@code maxTokens - 2} word pieces of the text.
     * Tokenization stops once enough pieces are found, so long inputs cost no more than short ones.
     *
     * @param maxTokens the length limit including [CLS] and [SEP], at least 2
     */
    public Encoding encode(String text, int maxTokens) {
        Objects.requireNonNull(text, "text");
        if (maxTokens < 2) {
            throw new IllegalArgumentException("maxTokens must be at least 2 to hold [CLS] and [SEP], got " + maxTokens);
        }
        int[] pieces = wordPieceIds(text, maxTokens - 2);
        int n = pieces.length + 2;
        long[] ids = new long[n];
        ids[0] = clsId;
        for (int i = 0; i < pieces.length; i++) {
            ids[i + 1] = pieces[i];
        }
        ids[n - 1] = sepId;
        long[] mask = new long[n];
        Arrays.fill(mask, 1);
        return new Encoding(ids, mask, new long[n]);
    }

    // ---- pipeline ----

    private int[] wordPieceIds(String text, int limit) {
        IntList out = new IntList();
        StringBuilder word = new StringBuilder();
        int i = 0;
        while (i < text.length() && out.size < limit) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cleanText && (cp == 0 || cp == 0xFFFD || isControl(cp))) {
                continue;
            }
            if (isWhitespace(cp)) {
                flushWord(word, out, limit);
            } else {
                word.appendCodePoint(cp);
            }
        }
        flushWord(word, out, limit);
        return out.toArray();
    }

    /**
     * Normalizes one whitespace-delimited word, splits it at punctuation and CJK ideographs, and word-pieces the
     * parts. Normalizing per word equals normalizing the whole text: NFD never merges characters across a space.
     */
    private void flushWord(StringBuilder raw, IntList out, int limit) {
        if (raw.isEmpty()) {
            return;
        }
        String word = normalize(raw.toString());
        raw.setLength(0);
        StringBuilder part = new StringBuilder();
        int i = 0;
        while (i < word.length()) {
            int cp = word.codePointAt(i);
            i += Character.charCount(cp);
            if (isPunctuation(cp) || (splitCjk && isCjk(cp))) {
                wordPiece(part, out, limit);
                part.appendCodePoint(cp);
                wordPiece(part, out, limit);
            } else if (isWhitespace(cp)) { // a space that normalization produced
                wordPiece(part, out, limit);
            } else {
                part.appendCodePoint(cp);
            }
        }
        wordPiece(part, out, limit);
    }

    private String normalize(String word) {
        String s = word;
        if (stripAccents) {
            s = Normalizer.normalize(s, Normalizer.Form.NFD);
            StringBuilder kept = new StringBuilder(s.length());
            s.codePoints().filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                    .forEach(kept::appendCodePoint);
            s = kept.toString();
        }
        if (lowercase) {
            // Per code point, so the result does not depend on context (final sigma) or locale.
            StringBuilder lower = new StringBuilder(s.length());
            s.codePoints().map(Character::toLowerCase).forEach(lower::appendCodePoint);
            s = lower.toString();
        }
        return s;
    }

    /** Greedy longest-match-first WordPiece of one word; the word buffer is consumed. */
    private void wordPiece(StringBuilder wordBuffer, IntList out, int limit) {
        if (wordBuffer.isEmpty() || out.size >= limit) {
            wordBuffer.setLength(0);
            return;
        }
        String word = wordBuffer.toString();
        wordBuffer.setLength(0);
        if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
            out.add(unkId);
            return;
        }
        IntList pieces = new IntList();
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            Integer found = null;
            while (end > start) {
                String candidate = word.substring(start, end);
                if (start > 0) {
                    candidate = continuationPrefix + candidate;
                }
                found = vocab.get(candidate);
                if (found != null) {
                    break;
                }
                end = word.offsetByCodePoints(end, -1);
            }
            if (found == null) {
                out.add(unkId);
                return;
            }
            pieces.add(found);
            start = end;
        }
        for (int k = 0; k < pieces.size && out.size < limit; k++) {
            out.add(pieces.values[k]);
        }
    }

    // ---- character classes, as BERT defines them ----

    private static boolean isWhitespace(int cp) {
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
    }

    /** All non-alphanumeric ASCII counts as punctuation (so "$" and "^" split too), plus Unicode P* classes. */
    private static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** The CJK Unified Ideographs blocks (not Hangul or Kana, which are written with spaces). */
    private static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /** A growable int array, to avoid boxing every token id. */
    private static final class IntList {
        int[] values = new int[32];
        int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
