package dev.verity.modelhub.lm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain Java encoder for a {@link BpeVocabulary}, the oracle the native Hugging Face tokenizer is tested against.
 * It does what the {@code tokenizer.json} says: special tokens written in the text become their ids; the rest is cut
 * by {@link Gpt2PreTokenizer}, and in each piece, starting from its bytes, the adjacent pair with the best (lowest)
 * merge rank is merged, leftmost first, until no learned merge applies. Not thread-safe (it caches pieces).
 */
public final class BpeEncoder {
    private final BpeVocabulary vocabulary;
    private final Map<Long, Integer> rankOfPair = new HashMap<>();
    private final Map<String, int[]> cache = new HashMap<>();
    private final List<String> tokens;

    public BpeEncoder(BpeVocabulary vocabulary) {
        this.vocabulary = vocabulary;
        this.tokens = vocabulary.tokens();
        List<BpeVocabulary.Merge> merges = vocabulary.merges();
        for (int rank = 0; rank < merges.size(); rank++) {
            rankOfPair.put(key(merges.get(rank).left(), merges.get(rank).right()), rank);
        }
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    /** The token ids of a text; special tokens are recognised but never added. */
    public int[] encode(String text) {
        TokenizerFile.requireWellFormed(text);
        IntBuffer out = new IntBuffer();
        int start = 0;
        while (start < text.length()) {
            int nextSpecial = -1;
            int specialId = -1;
            for (int id = 0; id < vocabulary.specialTokens().size(); id++) {
                int at = text.indexOf(vocabulary.specialTokens().get(id), start);
                if (at >= 0 && (nextSpecial < 0 || at < nextSpecial)) {
                    nextSpecial = at;
                    specialId = id;
                }
            }
            int end = nextSpecial < 0 ? text.length() : nextSpecial;
            for (String piece : Gpt2PreTokenizer.split(text.substring(start, end))) {
                out.addAll(cache.computeIfAbsent(piece, this::encodePiece));
            }
            if (nextSpecial < 0) {
                break;
            }
            out.add(specialId);
            start = nextSpecial + vocabulary.specialTokens().get(specialId).length();
        }
        return out.toArray();
    }

    private int[] encodePiece(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        int[] symbols = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = vocabulary.byteTokenId(bytes[i]);
        }
        int length = symbols.length;
        while (length > 1) {
            int bestRank = Integer.MAX_VALUE;
            int bestAt = -1;
            for (int i = 0; i + 1 < length; i++) {
                Integer rank = rankOfPair.get(key(symbols[i], symbols[i + 1]));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    bestAt = i;
                }
            }
            if (bestAt < 0) {
                break;
            }
            symbols[bestAt] = vocabulary.mergedTokenId(bestRank);
            System.arraycopy(symbols, bestAt + 2, symbols, bestAt + 1, length - bestAt - 2);
            length--;
        }
        return Arrays.copyOf(symbols, length);
    }

    /** The text of some ids; bytes that do not form valid UTF-8 become U+FFFD, as in the Hugging Face decoder. */
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            if (id < 0 || id >= tokens.size()) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + tokens.size());
            }
            if (id < vocabulary.specialTokens().size()) {
                bytes.writeBytes(tokens.get(id).getBytes(StandardCharsets.UTF_8));
            } else {
                bytes.writeBytes(ByteLevelAlphabet.decode(tokens.get(id)));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static final class IntBuffer {
        private int[] values = new int[64];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        void addAll(int[] vs) {
            for (int v : vs) {
                add(v);
            }
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
