package dev.verity.modelhub.lm.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * A byte-level BPE vocabulary as the trainer builds it. Ids are laid out as:
 * <pre>
 *   0 .. s-1          the special tokens
 *   s .. s+255        one token per byte value, in byte order (id = s + byte)
 *   s+256 ..          one token per merge, in the order they were learned (merge rank r has id s + 256 + r)
 * </pre>
 * Token strings are in {@link ByteLevelAlphabet} form, as {@code tokenizer.json} stores them.
 *
 * @param specialTokens the special tokens, in id order
 * @param merges        the learned merges, best first
 */
public record BpeVocabulary(List<String> specialTokens, List<Merge> merges) {
    /** A learned merge: the token made by joining the tokens {@code left} and {@code right} (ids). */
    public record Merge(int left, int right) {
    }

    public BpeVocabulary {
        specialTokens = List.copyOf(specialTokens);
        merges = List.copyOf(merges);
        int firstMerged = specialTokens.size() + 256;
        for (int rank = 0; rank < merges.size(); rank++) {
            Merge m = merges.get(rank);
            int limit = firstMerged + rank;
            if (m.left() < specialTokens.size() || m.right() < specialTokens.size() || m.left() >= limit || m.right() >= limit) {
                throw new IllegalArgumentException("merge " + rank + " joins ids " + m.left() + " and " + m.right()
                        + "; it may only join byte or earlier merged tokens");
            }
        }
    }

    /** The number of tokens: special, byte and merged. */
    public int size() {
        return specialTokens.size() + 256 + merges.size();
    }

    /** The id of the token of one byte value. */
    public int byteTokenId(int b) {
        return specialTokens.size() + (b & 0xFF);
    }

    /** The id of the token a merge makes. */
    public int mergedTokenId(int rank) {
        return specialTokens.size() + 256 + rank;
    }

    /** Every token string, by id. */
    public List<String> tokens() {
        List<String> tokens = new ArrayList<>(size());
        tokens.addAll(specialTokens);
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteLevelAlphabet.charOf(b)));
        }
        for (Merge m : merges) {
            tokens.add(tokens.get(m.left()) + tokens.get(m.right()));
        }
        return tokens;
    }
}
