package dev.verity.modelhub.lm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Sha256;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.generate.GenerationParameters;
import dev.verity.inference.generate.GenerationResult;
import dev.verity.inference.generate.Generator;
import dev.verity.inference.program.Program;
import dev.verity.modelhub.lm.export.DecoderOnnxWeights;
import dev.verity.modelhub.lm.quantize.DecoderQuantizer;
import dev.verity.modelhub.lm.tokenizer.TokenizerFile;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/**
 * The shipped step program {@code lm/integer-program.bin} (TRAINING.md, "Files"): it decodes, is the step
 * program of the shipped ONNX model's shape, and generates the same tokens with the scalar and the vector kernels.
 */
class ShippedStepProgramTest {
    /** As TRAINING.md states it. */
    private static final String SHA256 = "9add6cedd2d534aa207ca6563c1eae08fdc244fa212d85ad04d41898f5c356b9";

    @Test
    void decodesCanonicallyWithTheDocumentedHashAndSize() {
        byte[] bytes = ShippedLanguageModel.programBytes();
        assertThat(Sha256.digest(bytes).hex()).isEqualTo(SHA256);
        Program program = Program.decode(ShippedLanguageModel.programBytes());
        assertThat(program.encode()).isEqualTo(bytes);
        assertThat(program.sliceElements()).isEqualTo(ShippedLanguageModel.SLICE_ELEMENTS);
        DecoderStep step = ShippedLanguageModel.step();
        assertThat(program.ops()).hasSize(85);
        // one step per op, but the tied head, which reads a row of the 2048 x 128 table per logit: 4 steps of 512
        assertThat(new dev.verity.inference.engine.IntegerEngine(step.program(), EngineOptions.SCALAR).plan()).hasSize(88);
    }

    @Test
    void isTheStepProgramOfTheShippedOnnxModel() {
        DecoderConfig onnx = DecoderOnnxWeights.read(ShippedLanguageModel.onnx()).config();
        DecoderStep step = DecoderQuantizer.stepOf(Program.decode(ShippedLanguageModel.programBytes()));
        assertThat(step.vocabSize()).isEqualTo(onnx.vocabSize()).isEqualTo(2048);
        assertThat(step.contextLength()).isEqualTo(onnx.contextLength()).isEqualTo(128);
        assertThat(step.caches()).hasSize(2 * onnx.layers());
        // each key/value cache is one slice, so writing a row of it is one engine step
        assertThat(step.program().tensor(step.caches().get(0).input()).elementCount())
                .isEqualTo(onnx.heads() * onnx.contextLength() * onnx.headWidth())
                .isEqualTo(ShippedLanguageModel.SLICE_ELEMENTS);
    }

    @Test
    void everyStepOfATokensPassProvesWithAWitnessUnderTheChainsLimit() {
        DecoderStep step = ShippedLanguageModel.step();
        var commitment = new dev.verity.inference.trace.DecoderCommitment(step, 0);
        var engine = new dev.verity.inference.engine.IntegerEngine(step.program(), EngineOptions.VECTORIZED);
        var generator = Generator.onEngine(step, EngineOptions.VECTORIZED);
        var state = engine.initialState(generator.stepInputs(3 + 'T', 5, generator.emptyCaches()));
        int largest = 0;
        for (var s : engine.plan()) {
            var witness = dev.verity.inference.trace.OneStepProver.opWitness(commitment, s, state);
            byte[] bytes = witness.encode();
            largest = Math.max(largest, bytes.length);
            var after = engine.runStep(s.index(), state).state();
            assertThat(dev.verity.inference.trace.OneStepVerifier.opStep(commitment.root(), commitment.leafCount(),
                    commitment.stepCount(), s.index(), state.hash(), witness)).as("step %d", s.index()).isEqualTo(after.hash());
            state = after;
        }
        assertThat(largest).as("the largest op witness of a token's pass, against the default maxWitnessBytes")
                .isLessThan(128 * 1024);
    }

    @Test
    void greedyGenerationIsTheSameWithScalarAndVectorKernels() throws Exception {
        int[] prompt;
        try (TokenizerFile tokenizer = TokenizerFile.load(new ByteArrayInputStream(ShippedLanguageModel.tokenizer()),
                "tokenizer.json")) {
            prompt = tokenizer.encode("And the LORD said unto Moses,");
        }
        DecoderStep step = ShippedLanguageModel.step();
        GenerationParameters greedy = GenerationParameters.greedy(8, GenerationParameters.NO_END_TOKEN);
        GenerationResult scalar = Generator.onEngine(step, EngineOptions.SCALAR).generate(prompt, greedy);
        GenerationResult vector = Generator.onEngine(step, EngineOptions.VECTORIZED).generate(prompt, greedy);
        assertThat(scalar.tokens()).hasSize(8).isEqualTo(vector.tokens());
        assertThat(scalar.passHashes()).isEqualTo(vector.passHashes());
        assertThat(scalar.tokens()).allMatch(t -> t >= 0 && t < step.vocabSize());
    }
}
