package dev.verity.inference.generate;

import dev.verity.core.Hash;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Generation on the integer engine. The prompt's tokens are fed one run of the step program each, at positions
 * {@code 0, 1, ...}, starting from caches of zeros; each run's cache outputs become the next run's cache inputs.
 * After the last prompt token, token {@code i} of the answer is drawn from the latest logits with
 * {@link SeedStream#draw draw} {@code i} ({@link Sampler}), then checked in this order: the end token ends the
 * generation ({@link FinishReason#END_OF_TEXT}), a stop sequence at the end of the generated tokens ends it
 * ({@link FinishReason#STOP}), {@code maxTokens} tokens end it ({@link FinishReason#LENGTH}); otherwise the token is
 * fed at the next position. A token that ends the generation is never fed.
 */
public final class Generator {
    private final DecoderStep step;
    private final StepExecutor executor;

    public Generator(DecoderStep step, StepExecutor executor) {
        this.step = step;
        this.executor = executor;
    }

    /** A generator running the step program on this thread with the given kernels. */
    public static Generator onEngine(DecoderStep step, EngineOptions options) {
        return new Generator(step, new IntegerEngine(step.program(), options)::run);
    }

    public DecoderStep step() {
        return step;
    }

    /**
     * @throws IllegalArgumentException for an empty prompt, a token, end token or stop token outside the vocabulary,
     *         or a prompt and {@code maxTokens} that together exceed the context
     */
    public GenerationResult generate(int[] prompt, GenerationParameters parameters) {
        check(prompt, parameters);
        SeedStream draws = new SeedStream(parameters.seed());
        SortedMap<String, Tensor> caches = emptyCaches();
        List<Hash> passHashes = new ArrayList<>();
        Tensor logits = null;
        int position = 0;
        for (int token : prompt) {
            RunResult r = forward(token, position++, caches);
            passHashes.add(r.finalHash());
            logits = r.outputs().get(step.logitsOutput());
            caches = nextCaches(r);
        }
        List<Integer> generated = new ArrayList<>();
        while (true) {
            int token = Sampler.sample(logits, step.logitsSpec().quantization().scale(), parameters.temperatureMilli(),
                    parameters.topPMilli(), draws.draw(generated.size()));
            generated.add(token);
            if (token == parameters.endToken()) {
                generated.remove(generated.size() - 1);
                return new GenerationResult(generated, FinishReason.END_OF_TEXT, passHashes);
            }
            List<Integer> stop = matchedStop(generated, parameters.stopSequences());
            if (stop != null) {
                return new GenerationResult(generated.subList(0, generated.size() - stop.size()), FinishReason.STOP,
                        passHashes);
            }
            if (generated.size() == parameters.maxTokens()) {
                return new GenerationResult(generated, FinishReason.LENGTH, passHashes);
            }
            RunResult r = forward(token, position++, caches);
            passHashes.add(r.finalHash());
            logits = r.outputs().get(step.logitsOutput());
            caches = nextCaches(r);
        }
    }

    /** The inputs of the run that feeds {@code token} at {@code position}. */
    public SortedMap<String, Tensor> stepInputs(int token, int position, SortedMap<String, Tensor> caches) {
        TreeMap<String, Tensor> in = new TreeMap<>(caches);
        in.put(step.tokenInput(), Tensor.of(DType.INT32, new int[] {1}, new int[] {token}));
        in.put(step.positionInput(), Tensor.of(DType.INT32, new int[] {1}, new int[] {position}));
        return in;
    }

    /** The caches before the first token: every cache input all zeros. */
    public SortedMap<String, Tensor> emptyCaches() {
        TreeMap<String, Tensor> m = new TreeMap<>();
        for (CacheSlot c : step.caches()) {
            TensorSpec s = step.program().tensor(c.input());
            m.put(c.input(), Tensor.zeros(s.dtype(), s.shape()));
        }
        return m;
    }

    private RunResult forward(int token, int position, SortedMap<String, Tensor> caches) {
        return executor.run(stepInputs(token, position, caches));
    }

    private SortedMap<String, Tensor> nextCaches(RunResult r) {
        TreeMap<String, Tensor> m = new TreeMap<>();
        for (CacheSlot c : step.caches()) {
            m.put(c.input(), r.outputs().get(c.output()));
        }
        return m;
    }

    /** The first stop sequence (in the parameters' order) the generated tokens end with, or null. */
    private static List<Integer> matchedStop(List<Integer> generated, List<List<Integer>> stops) {
        for (List<Integer> s : stops) {
            int n = s.size();
            if (n <= generated.size() && generated.subList(generated.size() - n, generated.size()).equals(s)) {
                return s;
            }
        }
        return null;
    }

    private void check(int[] prompt, GenerationParameters p) {
        int vocab = step.vocabSize();
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
        if ((long) prompt.length + p.maxTokens() > step.contextLength()) {
            throw new IllegalArgumentException("a prompt of " + prompt.length + " tokens and up to " + p.maxTokens()
                    + " new ones exceed the context of " + step.contextLength() + " tokens; ask for at most "
                    + Math.max(0, step.contextLength() - prompt.length) + " tokens");
        }
    }
}
