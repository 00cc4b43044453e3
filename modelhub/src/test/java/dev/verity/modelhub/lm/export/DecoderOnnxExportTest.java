package dev.verity.modelhub.lm.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderReference;
import dev.verity.modelhub.lm.DecoderWeights;
import dev.verity.modelhub.lm.train.ParameterLayout;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The exported graph, run by ONNX Runtime with a key/value cache, gives the reference decoder's logits. */
class DecoderOnnxExportTest {
    private static final DecoderConfig CONFIG = new DecoderConfig(37, 24, 2, 2, 16, 40);
    private static final double TOLERANCE = 1e-4;
    private static DecoderWeights weights;
    private static OrtDecoder decoder;
    private static OrtSession session;

    @BeforeAll
    static void export() throws OrtException {
        ParameterLayout layout = ParameterLayout.of(CONFIG);
        Random random = new Random(11);
        float[] values = new float[layout.size()];
        for (ParameterLayout.Tensor t : layout.tensors()) {
            boolean scale = t.name().endsWith(".weight") && t.shape().length == 1;
            for (int i = 0; i < t.size(); i++) {
                values[t.offset() + i] = (float) ((scale ? 1 : 0) + random.nextGaussian() * 0.3);
            }
        }
        weights = layout.toWeights(values);
        decoder = new OrtDecoder(CONFIG, DecoderOnnxExport.toBytes(weights));
        session = decoder.session;
    }

    @AfterAll
    static void close() throws OrtException {
        decoder.close();
    }

    @Test
    void inputsOutputsAndInitializersUseTheHuggingFaceNames() throws OrtException {
        assertThat(session.getInputNames()).containsExactly("input_ids", "attention_mask", "position_ids",
                "past_key_values.0.key", "past_key_values.0.value", "past_key_values.1.key", "past_key_values.1.value");
        assertThat(session.getOutputNames()).containsExactly("logits", "present.0.key", "present.0.value", "present.1.key",
                "present.1.value");
        TensorInfo past = (TensorInfo) session.getInputInfo().get("past_key_values.1.value").getInfo();
        assertThat(past.getDimensionNames()).containsExactly("batch_size", "", "past_sequence_length", "");
        assertThat(past.getShape()).containsExactly(-1L, 2L, -1L, 8L);
        NodeInfo mask = session.getInputInfo().get("attention_mask");
        assertThat(((TensorInfo) mask.getInfo()).getDimensionNames())
                .containsExactly("batch_size", "past_sequence_length + sequence_length");
        Graph graph = DecoderOnnxExport.toGraph(weights);
        assertThat(graph.initializers()).containsKeys("transformer.wte.weight", "transformer.wpe.weight",
                "transformer.h.0.ln_1.weight", "transformer.h.1.attn.c_attn.weight", "transformer.h.1.mlp.c_proj.bias",
                "transformer.ln_f.bias");
    }

    @Test
    void prefillThenTokenByTokenDecodingMatchesTheReference() throws OrtException {
        int[] tokens = {3, 17, 5, 5, 30, 1, 0, 36, 12, 9, 22};
        int prompt = 5;
        float[][] expected = new DecoderReference(weights).logits(tokens);

        OrtDecoder.Step step = decoder.run(new long[][] {slice(tokens, 0, prompt)}, OrtDecoder.ones(1, prompt),
                new long[][] {OrtDecoder.range(0, prompt)}, decoder.emptyCache(1));
        double worst = 0;
        for (int t = 0; t < prompt; t++) {
            worst = Math.max(worst, OrtDecoder.error(step.logits(0, t), expected[t]));
        }
        for (int t = prompt; t < tokens.length; t++) {
            step = decoder.run(new long[][] {{tokens[t]}}, OrtDecoder.ones(1, t + 1), new long[][] {{t}}, step.present());
            worst = Math.max(worst, OrtDecoder.error(step.logits(0, 0), expected[t]));
        }
        System.out.printf("ONNX Runtime vs reference, cached decoding: worst relative error %.2e%n", worst);
        assertThat(worst).isLessThan(TOLERANCE);
    }

    @Test
    void leftPaddedBatchMatchesEachSequenceAlone() throws OrtException {
        int[] first = {4, 8, 15, 16, 23, 2, 7, 7};
        int[] second = {35, 1, 9, 20, 20, 11};
        int padding = 2;
        int prompt = 6;
        float[][] firstExpected = new DecoderReference(weights).logits(first);
        float[][] secondExpected = new DecoderReference(weights).logits(second);
        long[][] ids = {slice(first, 0, prompt), new long[prompt]};
        long[][] mask = OrtDecoder.ones(2, prompt);
        long[][] positions = {OrtDecoder.range(0, prompt), new long[prompt]};
        for (int i = 0; i < prompt; i++) {
            if (i < padding) {
                mask[1][i] = 0;
                positions[1][i] = 1; // what Hugging Face puts at padded positions; never seen by a real token
            } else {
                ids[1][i] = second[i - padding];
                positions[1][i] = i - padding;
            }
        }
        OrtDecoder.Step step = decoder.run(ids, mask, positions, decoder.emptyCache(2));
        double worst = 0;
        for (int t = 0; t < prompt; t++) {
            worst = Math.max(worst, OrtDecoder.error(step.logits(0, t), firstExpected[t]));
        }
        for (int t = padding; t < prompt; t++) {
            worst = Math.max(worst, OrtDecoder.error(step.logits(1, t), secondExpected[t - padding]));
        }
        for (int t = prompt; t < first.length; t++) {
            long[][] stepMask = OrtDecoder.ones(2, t + 1);
            stepMask[1][0] = 0;
            stepMask[1][1] = 0;
            step = decoder.run(new long[][] {{first[t]}, {second[t - padding]}}, stepMask, new long[][] {{t}, {t - padding}},
                    step.present());
            worst = Math.max(worst, OrtDecoder.error(step.logits(0, 0), firstExpected[t]));
            worst = Math.max(worst, OrtDecoder.error(step.logits(1, 0), secondExpected[t - padding]));
        }
        System.out.printf("ONNX Runtime vs reference, left-padded batch: worst relative error %.2e%n", worst);
        assertThat(worst).isLessThan(TOLERANCE);
    }

    private static long[] slice(int[] tokens, int from, int to) {
        long[] out = new long[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = tokens[i];
        }
        return out;
    }
}
