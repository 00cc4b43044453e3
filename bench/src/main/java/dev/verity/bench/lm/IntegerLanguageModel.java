package dev.verity.bench.lm;

import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.generate.CacheSlot;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.generate.GenerationParameters;
import dev.verity.inference.generate.Generator;
import dev.verity.inference.program.Tensor;
import dev.verity.modelhub.quantize.FixedPoint;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The quantized step program on the integer engine, on this thread, as a provable job runs it ({@link Generator}:
 * one engine run per token, every state hashed). Its int32 logits become nats through the logits' scale.
 */
public final class IntegerLanguageModel implements LanguageModelEngine {
    private final String name;
    private final DecoderStep step;
    private final IntegerEngine engine;
    private final Generator generator;
    private final double logitScale;

    public IntegerLanguageModel(String name, DecoderStep step, EngineOptions options) {
        this.name = name;
        this.step = step;
        this.engine = new IntegerEngine(step.program(), options);
        this.generator = new Generator(step, engine::run);
        this.logitScale = FixedPoint.scale(step.logitsSpec().quantization());
    }

    @Override
    public String name() {
        return name;
    }

    public IntegerEngine engine() {
        return engine;
    }

    public Generator generator() {
        return generator;
    }

    @Override
    public List<Integer> generateGreedy(int[] prompt, int count, IntConsumer onToken) {
        return generator.generate(prompt, GenerationParameters.greedy(count, GenerationParameters.NO_END_TOKEN),
                (index, token) -> onToken.accept(index)).tokens();
    }

    @Override
    public void teacherForced(int[] tokens, Consumer<double[]> perPosition) {
        SortedMap<String, Tensor> caches = generator.emptyCaches();
        for (int p = 0; p < tokens.length; p++) {
            RunResult r = engine.run(generator.stepInputs(tokens[p], p, caches));
            perPosition.accept(realLogits(r.outputs().get(step.logitsOutput())));
            caches = nextCaches(r);
        }
    }

    /** The caches a run leaves for the next one. */
    public SortedMap<String, Tensor> nextCaches(RunResult r) {
        TreeMap<String, Tensor> next = new TreeMap<>();
        for (CacheSlot c : step.caches()) {
            next.put(c.input(), r.outputs().get(c.output()));
        }
        return next;
    }

    private double[] realLogits(Tensor logits) {
        double[] out = new double[logits.elementCount()];
        for (int v = 0; v < out.length; v++) {
            out[v] = logits.get(v) * logitScale;
        }
        return out;
    }
}
