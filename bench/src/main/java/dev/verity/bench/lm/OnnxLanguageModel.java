package dev.verity.bench.lm;

import dev.verity.compute.generate.GenerationRunner;
import dev.verity.compute.model.Device;
import dev.verity.compute.model.OnnxDecoder;
import dev.verity.compute.stream.TokenListener;
import dev.verity.core.Hash;
import dev.verity.inference.generate.GenerationParameters;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.generation.FinishReason;
import dev.verity.protocol.generation.GenerationRequest;
import dev.verity.protocol.generation.GenerationResult;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The float model on ONNX Runtime with its key/value cache, one intra-op thread, as a {@code NONE}/{@code TEE} node
 * runs it: generation through {@link GenerationRunner} (request decoding, prefill in one call, one call per token,
 * logits put in fixed point for the shared sampler).
 */
public final class OnnxLanguageModel implements LanguageModelEngine {
    private final OnnxDecoder decoder;
    private final GenerationRunner runner;

    public OnnxLanguageModel(Path onnx) {
        this.decoder = OnnxDecoder.open(onnx, 1, new Device.Cpu());
        this.runner = new GenerationRunner(decoder, GenerationParameters.NO_END_TOKEN);
    }

    @Override
    public String name() {
        return "ONNX Runtime (float, 1 thread)";
    }

    @Override
    public List<Integer> generateGreedy(int[] prompt, int count, IntConsumer onToken) {
        byte[] request = new GenerationRequest(prompt, count, 0, 1000, List.of(), 0).encode();
        byte[] result = runner.run(Hash.ZERO, request, VerificationMode.NONE, new TokenListener() {
            @Override
            public void token(int index, int id) {
                onToken.accept(index);
            }

            @Override
            public void finished(FinishReason reason) {}

            @Override
            public void failed(String message) {}
        });
        return Arrays.stream(GenerationResult.decode(result).tokens()).boxed().toList();
    }

    @Override
    public void teacherForced(int[] tokens, Consumer<double[]> perPosition) {
        try (OnnxDecoder.Sequence s = decoder.sequence()) {
            for (int t : tokens) {
                float[] logits = s.feed(new int[] {t});
                double[] out = new double[logits.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = logits[i];
                }
                perPosition.accept(out);
            }
        }
    }

    @Override
    public void close() {
        runner.close();
    }
}
