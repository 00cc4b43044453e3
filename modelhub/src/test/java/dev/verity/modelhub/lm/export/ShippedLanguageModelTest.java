package dev.verity.modelhub.lm.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.TensorData;
import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderReference;
import dev.verity.modelhub.lm.DecoderWeights;
import dev.verity.modelhub.lm.tokenizer.TokenizerFile;
import dev.verity.modelhub.lm.train.ParameterLayout;
import dev.verity.modelhub.onnx.OnnxParser;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code lm/model.onnx}: its weights, read back from the initializers, drive the reference decoder to the
 * same logits ONNX Runtime computes with its key/value cache, and greedy decoding agrees token for token.
 */
class ShippedLanguageModelTest {
    /** As TRAINING.md states; the head count is not in the tensor shapes. */
    private static final DecoderConfig SHIPPED = new DecoderConfig(2048, 128, 4, 4, 128, 512);

    @Test
    void onnxRuntimeWithItsCacheAgreesWithTheReferenceOnAGreedyContinuation() throws Exception {
        byte[] model = resource("/lm/model.onnx");
        Graph graph = new OnnxParser().parse(model);
        ParameterLayout layout = ParameterLayout.of(SHIPPED);
        float[] flat = new float[layout.size()];
        for (ParameterLayout.Tensor t : layout.tensors()) {
            TensorData data = graph.initializers().get(t.name());
            assertThat(data).as(t.name()).isNotNull();
            System.arraycopy(data.floats(), 0, flat, t.offset(), t.size());
        }
        DecoderWeights weights = layout.toWeights(flat);
        int[] prompt;
        try (InputStream in = getClass().getResourceAsStream("/lm/tokenizer.json");
             TokenizerFile tokenizer = TokenizerFile.load(in, "tokenizer.json")) {
            prompt = tokenizer.encode("And God said,");
        }

        DecoderReference.Session reference = new DecoderReference(weights).session();
        float[] expected = null;
        for (int token : prompt) {
            expected = reference.next(token);
        }
        double worst = 0;
        try (OrtDecoder decoder = new OrtDecoder(SHIPPED, model)) {
            long[] ids = new long[prompt.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = prompt[i];
            }
            OrtDecoder.Step step = decoder.run(new long[][] {ids}, OrtDecoder.ones(1, ids.length),
                    new long[][] {OrtDecoder.range(0, ids.length)}, decoder.emptyCache(1));
            float[] actual = step.logits(0, ids.length - 1);
            for (int n = 0; n < 12; n++) {
                worst = Math.max(worst, OrtDecoder.error(actual, expected));
                int next = argmax(expected);
                assertThat(argmax(actual)).isEqualTo(next);
                int position = reference.position();
                expected = reference.next(next);
                step = decoder.run(new long[][] {{next}}, OrtDecoder.ones(1, position + 1), new long[][] {{position}},
                        step.present());
                actual = step.logits(0, 0);
            }
        }
        System.out.printf("shipped model, ONNX Runtime vs reference: worst relative error %.2e%n", worst);
        assertThat(worst).isLessThan(1e-4);
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ShippedLanguageModelTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name + " on the class path").isNotNull();
            return in.readAllBytes();
        }
    }
}
