package dev.verity.modelhub.lm.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Learns byte-level BPE merges from text, as GPT-2's tokenizer was built. The text is cut by
 * {@link Gpt2PreTokenizer} and each distinct piece ("word") is counted once with its frequency; every word starts
 * as its UTF-8 bytes. Then, until the vocabulary is full, the most frequent adjacent pair of tokens over all words
 * becomes a new token.
 *
 * <p>Ties are broken by the smaller left token id, then the smaller right token id, so the same text always gives the
 * same merges. Pair counts are updated incrementally: a merge only rescans the words that contain its pair, and a
 * priority queue with lazy deletion (stale entries are skipped when popped) finds the next best pair.
 */
public final class BpeTrainer {
    /** The default vocabulary size: 3 special tokens, 256 byte tokens and 1789 merges. */
    public static final int DEFAULT_VOCABULARY_SIZE = 2048;

    private BpeTrainer() {
    }

    /**
     * Learns merges until the vocabulary holds {@code vocabularySize} tokens, or no pair occurs any more.
     *
     * @param specialTokens tokens given ids 0, 1, ..., never produced by merges
     * @throws IllegalArgumentException if the size cannot even hold the special and byte tokens
     */
    public static BpeVocabulary train(String text, int vocabularySize, List<String> specialTokens) {
        int base = specialTokens.size() + 256;
        if (vocabularySize < base) {
            throw new IllegalArgumentException("vocabulary size " + vocabularySize + " is below the " + base
                    + " tokens every byte-level vocabulary holds (" + specialTokens.size() + " special + 256 bytes)");
        }
        Words words = Words.of(text, specialTokens.size());
        List<BpeVocabulary.Merge> merges = new ArrayList<>(vocabularySize - base);
        while (base + merges.size() < vocabularySize) {
            long pair = words.bestPair();
            if (pair == NO_PAIR) {
                break;
            }
            int newId = base + merges.size();
            merges.add(new BpeVocabulary.Merge(left(pair), right(pair)));
            words.merge(pair, newId);
        }
        return new BpeVocabulary(specialTokens, merges);
    }

    private static final long NO_PAIR = -1;

    private static long pair(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int left(long pair) {
        return (int) (pair >>> 32);
    }

    private static int right(long pair) {
        return (int) pair;
    }

    /** A candidate in the queue: a pair and the count it had when queued. */
    private record Candidate(long pair, long count) implements Comparable<Candidate> {
        @Override
        public int compareTo(Candidate o) {
            if (count != o.count) {
                return Long.compare(o.count, count); // more frequent first
            }
            return Long.compare(pair, o.pair); // then smaller left id, then smaller right id (ids are non-negative)
        }
    }

    /** The distinct words with their frequencies and current token sequences, and the pair statistics over them. */
    private static final class Words {
        private final int[][] symbols;
        private final long[] frequency;
        private final Map<Long, Long> pairCounts = new HashMap<>();
        private final Map<Long, List<Integer>> wordsWithPair = new HashMap<>();
        private final PriorityQueue<Candidate> queue = new PriorityQueue<>();

        private Words(int[][] symbols, long[] frequency) {
            this.symbols = symbols;
            this.frequency = frequency;
            for (int w = 0; w < symbols.length; w++) {
                int[] s = symbols[w];
                for (int i = 0; i + 1 < s.length; i++) {
                    long p = pair(s[i], s[i + 1]);
                    pairCounts.merge(p, frequency[w], Long::sum);
                    wordsWithPair.computeIfAbsent(p, k -> new ArrayList<>()).add(w);
                }
            }
            pairCounts.forEach((p, c) -> queue.add(new Candidate(p, c)));
        }

        /** Counts the pieces of the text; words are kept in sorted order so everything after is deterministic. */
        static Words of(String text, int byteIdOffset) {
            Map<String, Long> counts = new TreeMap<>();
            for (String piece : Gpt2PreTokenizer.split(text)) {
                counts.merge(piece, 1L, Long::sum);
            }
            int[][] symbols = new int[counts.size()][];
            long[] frequency = new long[counts.size()];
            int w = 0;
            for (Map.Entry<String, Long> e : counts.entrySet()) {
                byte[] bytes = e.getKey().getBytes(StandardCharsets.UTF_8);
                int[] s = new int[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    s[i] = byteIdOffset + (bytes[i] & 0xFF);
                }
                symbols[w] = s;
                frequency[w] = e.getValue();
                w++;
            }
            return new Words(symbols, frequency);
        }

        /** The most frequent pair with a positive count, or {@link #NO_PAIR}. */
        long bestPair() {
            while (!queue.isEmpty()) {
                Candidate top = queue.poll();
                long current = pairCounts.getOrDefault(top.pair(), 0L);
                if (current == top.count() && current > 0) {
                    return top.pair();
                }
                // stale: the pair's count changed after it was queued, and its current count is queued too
            }
            return NO_PAIR;
        }

        /** Replaces every occurrence of {@code pair} by {@code newId}, left to right, and updates the statistics. */
        void merge(long pair, int newId) {
            int a = left(pair);
            int b = right(pair);
            Map<Long, Long> changed = new HashMap<>();
            List<Integer> candidates = wordsWithPair.remove(pair);
            int previousWord = -1;
            for (int w : candidates) {
                if (w == previousWord) {
                    continue; // a word is listed once per occurrence of the pair when it was added
                }
                previousWord = w;
                int[] s = symbols[w];
                int[] merged = new int[s.length];
                int n = 0;
                for (int i = 0; i < s.length; ) {
                    if (i + 1 < s.length && s[i] == a && s[i + 1] == b) {
                        merged[n++] = newId;
                        i += 2;
                    } else {
                        merged[n++] = s[i++];
                    }
                }
                if (n == s.length) {
                    continue; // stale membership: an earlier merge already consumed the pair in this word
                }
                long f = frequency[w];
                for (int i = 0; i + 1 < s.length; i++) {
                    changed.merge(pair(s[i], s[i + 1]), -f, Long::sum);
                }
                int[] updated = java.util.Arrays.copyOf(merged, n);
                for (int i = 0; i + 1 < n; i++) {
                    long p = pair(updated[i], updated[i + 1]);
                    changed.merge(p, f, Long::sum);
                    if (updated[i] == newId || updated[i + 1] == newId) {
                        wordsWithPair.computeIfAbsent(p, k -> new ArrayList<>()).add(w);
                    }
                }
                symbols[w] = updated;
            }
            for (Map.Entry<Long, Long> e : changed.entrySet()) {
                if (e.getValue() == 0) {
                    continue;
                }
                long count = pairCounts.merge(e.getKey(), e.getValue(), Long::sum);
                if (count > 0) {
                    queue.add(new Candidate(e.getKey(), count));
                } else {
                    pairCounts.remove(e.getKey());
                }
            }
            pairCounts.remove(pair);
        }
    }
}
