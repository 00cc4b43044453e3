package dev.verity.inference.generate;

import dev.verity.inference.program.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoding loop shared by every engine. The prompt's tokens are fed in order. Then token {@code i} of the answer is
 * drawn from the latest logits with {@link SeedStream#draw draw} {@code i} ({@link Sampler}) and checked in this order:
 * the end token ends the generation and is left out ({@link FinishReason#END_OF_TEXT}); a stop sequence at the end of
 * the generated tokens ends it and stays in ({@link FinishReason#STOP_SEQUENCE}, as the chain checks it); {@code
 * maxTokens} tokens end it ({@link FinishReason#LENGTH}); otherwise the token is fed at the next position. A token that
 * ends the generation is never fed.
 */
public final class TokenLoop {
    private TokenLoop() {}

    /** The tokens and why they ended; {@code listener} hears each kept token as it is drawn. */
    public static Decoded run(LogitsSource model, int[] prompt, GenerationParameters p, TokenListener listener) {
        check(model, prompt, p);
        SeedStream draws = new SeedStream(p.seed());
        Tensor logits = model.prefill(prompt);
        List<Integer> generated = new ArrayList<>();
        while (true) {
            int token = Sampler.sample(logits, model.logitScale(), p.temperatureMilli(), p.topPMilli(),
                    draws.draw(generated.size()));
            FinishReason end = decide(token, generated, p);
            if (end != FinishReason.END_OF_TEXT) {
                listener.token(generated.size() - 1, token);
            }
            if (end != null) {
                return new Decoded(generated, end);
            }
            logits = model.feed(token);
        }
    }

    /**
     * What the drawn {@code token} does after the kept tokens {@code generated}: appends it unless it is the end token,
     * then returns why generation ends, or null when the token is to be fed at the next position. The chain's step
     * check of a generation ({@code trace.GenerationStepVerifier}) decides with this same rule.
     */
    public static FinishReason decide(int token, List<Integer> generated, GenerationParameters p) {
        if (token == p.endToken()) {
            return FinishReason.END_OF_TEXT;
        }
        generated.add(token);
        if (endsWithStop(generated, p.stopSequences())) {
            return FinishReason.STOP_SEQUENCE;
        }
        if (generated.size() >= p.maxTokens()) {
            return FinishReason.LENGTH;
        }
        return null;
    }

    /** What the loop produced. */
    public record Decoded(List<Integer> tokens, FinishReason finishReason) {
        public Decoded {
            tokens = List.copyOf(tokens);
        }

        public int[] tokenArray() {
            return tokens.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private static boolean endsWithStop(List<Integer> generated, List<List<Integer>> stops) {
        for (List<Integer> s : stops) {
            int n = s.size();
            if (n <= generated.size() && generated.subList(generated.size() - n, generated.size()).equals(s)) {
                return true;
            }
        }
        return false;
    }

    private static void check(LogitsSource model, int[] prompt, GenerationParameters p) {
        check(model.vocabularySize(), model.contextLength(), prompt, p);
    }

    /**
     * Refuses a generation a model of {@code vocab} ids and {@code context} positions cannot run: an empty prompt, a
     * token, end token or stop token outside the vocabulary, a prompt and {@code maxTokens} that together exceed the
     * context ({@link IllegalArgumentException} saying which).
     */
    public static void check(int vocab, int context, int[] prompt, GenerationParameters p) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt needs at least one token");
        }
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= vocab) {
                throw new IllegalArgumentException("prompt token " + i + " is " + prompt[i] + ", outside the vocabulary [0, "
                        + vocab + ")");
            }
        }
        if (p.endToken() >= vocab) {
            throw new IllegalArgumentException("the end token " + p.endToken() + " is outside the vocabulary [0, " + vocab + ")");
        }
        for (List<Integer> s : p.stopSequences()) {
            for (int t : s) {
                if (t >= vocab) {
                    throw new IllegalArgumentException("stop sequence " + s + " holds token " + t
                            + ", outside the vocabulary [0, " + vocab + ")");
                }
            }
        }
        if ((long) prompt.length + p.maxTokens() > context) {
            throw new IllegalArgumentException("a prompt of " + prompt.length + " tokens and up to " + p.maxTokens()
                    + " new ones exceed the context of " + context + " tokens; ask for at most "
                    + Math.max(0, context - prompt.length) + " tokens");
        }
    }
}
