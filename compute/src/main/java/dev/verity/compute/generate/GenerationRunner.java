package dev.verity.compute.generate;

import dev.verity.compute.model.Device;
import dev.verity.compute.model.OnnxDecoder;
import dev.verity.compute.stream.TokenListener;
import dev.verity.compute.worker.ModelRunner;
import dev.verity.core.Hash;
import dev.verity.inference.generate.GenerationParameters;
import dev.verity.inference.generate.GenerationJob;
import dev.verity.inference.generate.LogitsSource;
import dev.verity.inference.generate.TokenLoop;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Tensor;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.generation.FinishReason;
import dev.verity.protocol.generation.GenerationRequest;
import dev.verity.protocol.generation.GenerationResult;
import java.nio.file.Path;

/**
 * A language model run by ONNX Runtime with its key/value cache, for {@code NONE} and {@code TEE} generation jobs. The
 * float logits go through the same integer sampler and decoding loop as the integer engine's ({@link TokenLoop}),
 * seeded from the job ({@link SamplingSeed}); each token is told to the job's stream as it is drawn.
 */
public final class GenerationRunner implements ModelRunner {
    private final OnnxDecoder decoder;
    private final int endToken;

    /** {@code endToken}: the model's end-of-text id, which ends a generation and is left out of its result. */
    public GenerationRunner(OnnxDecoder decoder, int endToken) {
        this.decoder = decoder;
        this.endToken = endToken;
    }

    public static GenerationRunner open(Path onnx, int endToken, Device device) {
        return new GenerationRunner(OnnxDecoder.open(onnx, 1, device), endToken);
    }

    @Override
    public byte[] run(byte[] input, VerificationMode mode) {
        throw new IllegalStateException("a generation job is run with its job id, which seeds its sampling");
    }

    @Override
    public byte[] run(Hash job, byte[] input, VerificationMode mode, TokenListener tokens) {
        GenerationRequest request = GenerationRequest.decode(input);
        GenerationParameters parameters = GenerationJob.of(job, request.prompt(), request.maxTokens(),
                request.temperatureMilli(), request.topPMilli(), request.stopSequences(), request.seed()).parameters(endToken);
        try (OnnxDecoder.Sequence sequence = decoder.sequence()) {
            TokenLoop.Decoded d = TokenLoop.run(new Source(sequence), request.prompt(), parameters, tokens::token);
            FinishReason reason = FinishReason.fromCode(d.finishReason().code());
            tokens.finished(reason);
            return new GenerationResult(d.tokenArray(), reason).encode();
        } catch (RuntimeException | Error e) {
            tokens.failed("the model run failed: " + e.getMessage());
            throw e;
        }
    }

    /** ONNX Runtime's sequence as the decoding loop's source of logits. */
    private final class Source implements LogitsSource {
        private final OnnxDecoder.Sequence sequence;

        Source(OnnxDecoder.Sequence sequence) {
            this.sequence = sequence;
        }

        @Override
        public Tensor feed(int token) {
            return FloatLogits.toFixed(sequence.feed(new int[] {token}));
        }

        @Override
        public Tensor prefill(int[] tokens) {
            return FloatLogits.toFixed(sequence.feed(tokens));
        }

        @Override
        public Requantization logitScale() {
            return FloatLogits.SCALE;
        }

        @Override
        public int vocabularySize() {
            return decoder.shape().vocabularySize();
        }

        @Override
        public int contextLength() {
            // The chain checked the prompt and the new tokens against the model's context when it took the job.
            return Integer.MAX_VALUE;
        }
    }

    @Override
    public void close() {
        decoder.close();
    }
}
