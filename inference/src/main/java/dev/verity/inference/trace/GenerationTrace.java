package dev.verity.inference.trace;

import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import java.util.List;

/**
 * The layout and values of a generation's trace: every forward pass of the decoder's step program, one per position,
 * with the tokens drawn between them.
 *
 * <p>A job with a prompt of {@code P} tokens and at most {@code T} new ones runs at most {@code M = P + T - 1} passes
 * (pass {@code k} feeds the token at position {@code k}; the last token drawn is never fed). With {@code n} plan steps,
 * the trace has {@code N = M·(n + 1) + 1} values, whatever the result, so that two parties' trees always have the same
 * shape:
 *
 * <pre>
 *   index k·(n+1) + s, s in 0..n   pass k before step s (s = n: its final state, logits and caches written)
 *                                   = live(k, tokensHash(drawn so far), state hash)
 *                                   or, once the generation has ended, done(output hash)
 *   index N - 1                     SHA-256 of the output bytes (GenerationOutput), as for every job
 *
 *   live(k, t, h)      = SHA-256(string "verity.generate.trace.live.v1" || u32 k || t || h)
 *   done(o)            = SHA-256(string "verity.generate.trace.done.v1" || o)
 *   tokensHash(g)      = SHA-256(string "verity.generate.tokens.v1" || u32 n || n x u32 id)
 * </pre>
 *
 * Between passes, the token fed next is the prompt's while the prompt lasts; after it, the token drawn from the pass's
 * logits with the job's sampling ({@code generate.Sampler}, draw {@code g} for the {@code g}-th generated token) and the
 * decoding loop's rule ({@code generate.TokenLoop.decide}) ends the generation or is fed. The caches of the next pass
 * are the outputs of the last, by content hash.
 */
public final class GenerationTrace {
    private static final String LIVE = "verity.generate.trace.live.v1";
    private static final String DONE = "verity.generate.trace.done.v1";
    private static final String TOKENS = "verity.generate.tokens.v1";

    private final int promptLength;
    private final int maxTokens;
    private final int stepCount;

    public GenerationTrace(int promptLength, int maxTokens, int stepCount) {
        if (promptLength < 1 || maxTokens < 1 || stepCount < 1) {
            throw new IllegalArgumentException("a generation trace needs a prompt, at least one new token and a step, got "
                    + promptLength + ", " + maxTokens + ", " + stepCount);
        }
        this.promptLength = promptLength;
        this.maxTokens = maxTokens;
        this.stepCount = stepCount;
    }

    public int promptLength() {
        return promptLength;
    }

    public int maxTokens() {
        return maxTokens;
    }

    public int stepCount() {
        return stepCount;
    }

    /** {@code M}: the most passes the generation runs. */
    public long passes() {
        return (long) promptLength + maxTokens - 1;
    }

    /** {@code N}: the number of trace values. */
    public long size() {
        return passes() * (stepCount + 1L) + 1;
    }

    /** The pass of trace index {@code index} (below {@code N - 1}). */
    public int passOf(long index) {
        return (int) (index / (stepCount + 1L));
    }

    /** The position within its pass of trace index {@code index}: 0 before step 0, {@code s} after step {@code s - 1}. */
    public int stepOf(long index) {
        return (int) (index % (stepCount + 1L));
    }

    /** The trace index of pass {@code pass} before step {@code s}. */
    public long index(int pass, int s) {
        return (long) pass * (stepCount + 1L) + s;
    }

    public boolean isOutput(long index) {
        return index == size() - 1;
    }

    /** How many tokens were drawn and kept before pass {@code pass}'s own draw (the fed ones among them included). */
    public int generatedBefore(int pass) {
        return Math.max(0, pass - promptLength + 1);
    }

    public static Hash live(int pass, Hash tokensHash, Hash stateHash) {
        return Sha256.digest(new Encoder(96).string(LIVE).u32(pass).hash(tokensHash).hash(stateHash).toByteArray());
    }

    public static Hash done(Hash outputHash) {
        return Sha256.digest(new Encoder(64).string(DONE).hash(outputHash).toByteArray());
    }

    public static Hash tokensHash(List<Integer> tokens) {
        Encoder e = new Encoder(40 + 4 * tokens.size()).string(TOKENS).u32(tokens.size());
        for (int t : tokens) {
            e.u32(Integer.toUnsignedLong(t));
        }
        return Sha256.digest(e.toByteArray());
    }

    /** The value at a non-final index once the generation ended with output hash {@code outputHash}, or at the last. */
    public Hash ended(long index, Hash outputHash) {
        return isOutput(index) ? outputHash : done(outputHash);
    }
}
