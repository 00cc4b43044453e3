package dev.verity.compute.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderReference;
import dev.verity.modelhub.lm.DecoderWeights;
import dev.verity.modelhub.lm.export.DecoderOnnxExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime runs an exported decoder with its key/value cache and gives the float reference's logits. */
class OnnxDecoderTest {
    static final DecoderConfig CONFIG = new DecoderConfig(50, 16, 2, 2, 8, 16);

    static DecoderWeights randomWeights(DecoderConfig c, long seed) {
        Random r = new Random(seed);
        int d = c.width();
        int f = c.mlpWidth();
        List<DecoderWeights.Block> blocks = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            blocks.add(new DecoderWeights.Block(around(r, d, 1), values(r, d), values(r, 3 * d * d), values(r, 3 * d),
                    values(r, d * d), values(r, d), around(r, d, 1), values(r, d), values(r, d * f), values(r, f),
                    values(r, f * d), values(r, d)));
        }
        return new DecoderWeights(c, values(r, c.vocabSize() * d), values(r, c.contextLength() * d), blocks, around(r, d, 1),
                values(r, d));
    }

    static float[] values(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * 0.3);
        }
        return v;
    }

    static float[] around(Random r, int n, float center) {
        float[] v = values(r, n);
        for (int i = 0; i < n; i++) {
            v[i] += center;
        }
        return v;
    }

    @Test
    void prefillThenOneTokenAtATimeGivesTheReferenceLogits(@TempDir Path dir) throws Exception {
        DecoderWeights weights = randomWeights(CONFIG, 7);
        Path file = dir.resolve("decoder.onnx");
        Files.write(file, DecoderOnnxExport.toBytes(weights));
        int[] tokens = {3, 14, 15, 9, 26, 5, 35, 8};
        float[][] expected = new DecoderReference(weights).logits(tokens);
        try (OnnxDecoder decoder = OnnxDecoder.open(file, 1, new Device.Cpu());
             OnnxDecoder.Sequence s = decoder.sequence()) {
            assertThat(decoder.shape()).isEqualTo(new OnnxDecoder.Shape(2, 2, 4, 50));
            assertClose(s.feed(new int[] {3, 14, 15}), expected[2]);
            for (int i = 3; i < tokens.length; i++) {
                assertClose(s.feed(new int[] {tokens[i]}), expected[i]);
            }
            assertThat(s.length()).isEqualTo(tokens.length);
            assertThatThrownBy(() -> s.feed(new int[] {50})).hasMessageContaining("outside the vocabulary of 50");
        }
    }

    @Test
    void aFileThatIsNotADecoderIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mlp.onnx");
        try (var in = OnnxDecoderTest.class.getResourceAsStream("/models/digits-mlp.onnx")) {
            Files.write(file, in.readAllBytes());
        }
        assertThatThrownBy(() -> OnnxDecoder.open(file, 1, new Device.Cpu())).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("is not a decoder with a key/value cache");
    }

    static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i]).as("logit %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(
                    1e-4 + 1e-4 * Math.abs(expected[i])));
        }
    }
}
