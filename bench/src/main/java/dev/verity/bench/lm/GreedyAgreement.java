package dev.verity.bench.lm;

import java.util.List;

/**
 * How far two greedy continuations of the same prompts agree. Positions are compared up to and including the first
 * one where they differ (after it the two models continue different texts, so later positions say nothing), and
 * counted as matched when equal.
 *
 * @param prompts       continuations compared
 * @param compared      positions compared, the first divergence of each included
 * @param matched       positions with the same token before each first divergence
 * @param wholeMatches  prompts whose continuations are identical throughout
 */
public record GreedyAgreement(int prompts, int compared, int matched, int wholeMatches) {
    public static final GreedyAgreement NONE = new GreedyAgreement(0, 0, 0, 0);

    /** The agreement of one prompt's two continuations, compared over the shorter one's length. */
    public static GreedyAgreement of(List<Integer> expected, List<Integer> actual) {
        int n = Math.min(expected.size(), actual.size());
        int same = 0;
        while (same < n && expected.get(same).equals(actual.get(same))) {
            same++;
        }
        boolean whole = same == n && expected.size() == actual.size();
        return new GreedyAgreement(1, whole ? n : same + 1, same, whole ? 1 : 0);
    }

    public GreedyAgreement plus(GreedyAgreement o) {
        return new GreedyAgreement(prompts + o.prompts, compared + o.compared, matched + o.matched,
                wholeMatches + o.wholeMatches);
    }

    /** Matched over compared positions: the chance of the same next token given the same text so far. */
    public double tokenShare() {
        return compared == 0 ? Double.NaN : (double) matched / compared;
    }

    /** The share of prompts whose whole continuation is the same. */
    public double wholeShare() {
        return prompts == 0 ? Double.NaN : (double) wholeMatches / prompts;
    }

    /** The mean length of the common prefix. */
    public double meanCommonPrefix() {
        return prompts == 0 ? Double.NaN : (double) matched / prompts;
    }
}
