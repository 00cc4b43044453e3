package dev.verity.inference.generate;

import dev.verity.core.Hash;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Generation on the integer engine. The prompt's tokens are fed one run of the step program each, at positions
 * {@code 0, 1, ...}, starting from caches of zeros; each run's cache outputs become the next run's cache inputs.
 * Tokens are drawn and generation stops as {@link TokenLoop} says.
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
     * Generates with {@link TokenLoop}, recording each pass's final state hash.
     *
     * @throws IllegalArgumentException for an empty prompt, a token, end token or stop token outside the vocabulary,
     *         or a prompt and {@code maxTokens} that together exceed the context
     */
    public GenerationResult generate(int[] prompt, GenerationParameters parameters) {
        return generate(prompt, parameters, TokenListener.NONE);
    }

    /** {@link #generate(int[], GenerationParameters)}, telling {@code listener} each token as it is drawn. */
    public GenerationResult generate(int[] prompt, GenerationParameters parameters, TokenListener listener) {
        Passes passes = new Passes();
        TokenLoop.Decoded d = TokenLoop.run(passes, prompt, parameters, listener);
        return new GenerationResult(d.tokens(), d.finishReason(), passes.hashes);
    }

    /** The step program as a {@link LogitsSource}: one run per token, the caches carried from run to run. */
    private final class Passes implements LogitsSource {
        private final List<Hash> hashes = new ArrayList<>();
        private SortedMap<String, Tensor> caches = emptyCaches();
        private int position;

        @Override
        public Tensor feed(int token) {
            RunResult r = forward(token, position++, caches);
            hashes.add(r.finalHash());
            caches = nextCaches(r);
            return r.outputs().get(step.logitsOutput());
        }

        @Override
        public Requantization logitScale() {
            return step.logitsSpec().quantization().scale();
        }

        @Override
        public int vocabularySize() {
            return step.vocabSize();
        }

        @Override
        public int contextLength() {
            return step.contextLength();
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

    /** The caches a run leaves for the next one: each cache output under its input's name. */
    public SortedMap<String, Tensor> nextCaches(RunResult r) {
        TreeMap<String, Tensor> m = new TreeMap<>();
        for (CacheSlot c : step.caches()) {
            m.put(c.input(), r.outputs().get(c.output()));
        }
        return m;
    }
}
