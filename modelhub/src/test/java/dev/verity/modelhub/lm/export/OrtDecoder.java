package dev.verity.modelhub.lm.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verity.modelhub.lm.DecoderConfig;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Test helper: an exported decoder in ONNX Runtime, called as Hugging Face callers do, the cache fed back. */
final class OrtDecoder implements AutoCloseable {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private final DecoderConfig config;
    final OrtSession session;

    OrtDecoder(DecoderConfig config, byte[] model) throws OrtException {
        this.config = config;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            session = ENV.createSession(model, options);
        }
    }

    /** One call's logits and the cache it returned (as the next call's past). */
    record Step(float[] logits, int sequence, int vocab, Map<String, float[][]> present) {
        /** Logits of batch row {@code b}, position {@code t}. */
        float[] logits(int b, int t) {
            int from = (b * sequence + t) * vocab;
            return Arrays.copyOfRange(logits, from, from + vocab);
        }
    }

    /** Cache tensors as {flat values, dims} per past name, of length 0. */
    Map<String, float[][]> emptyCache(int batch) {
        Map<String, float[][]> cache = new HashMap<>();
        for (int l = 0; l < config.layers(); l++) {
            float[][] empty = {new float[0], {batch, config.heads(), 0, config.headWidth()}};
            cache.put(DecoderOnnxExport.pastKey(l), empty);
            cache.put(DecoderOnnxExport.pastValue(l), empty);
        }
        return cache;
    }

    Step run(long[][] ids, long[][] mask, long[][] positions, Map<String, float[][]> past) throws OrtException {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            feeds.put(DecoderOnnxExport.INPUT_IDS, OnnxTensor.createTensor(ENV, ids));
            feeds.put(DecoderOnnxExport.ATTENTION_MASK, OnnxTensor.createTensor(ENV, mask));
            feeds.put(DecoderOnnxExport.POSITION_IDS, OnnxTensor.createTensor(ENV, positions));
            for (Map.Entry<String, float[][]> e : past.entrySet()) {
                float[] dims = e.getValue()[1];
                long[] shape = new long[dims.length];
                for (int i = 0; i < dims.length; i++) {
                    shape[i] = (long) dims[i];
                }
                feeds.put(e.getKey(), OnnxTensor.createTensor(ENV, FloatBuffer.wrap(e.getValue()[0]), shape));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                float[] logits = flat((OnnxTensor) result.get(DecoderOnnxExport.LOGITS).orElseThrow());
                Map<String, float[][]> present = new HashMap<>();
                for (int l = 0; l < config.layers(); l++) {
                    present.put(DecoderOnnxExport.pastKey(l), cacheOf((OnnxTensor) result.get(DecoderOnnxExport.presentKey(l)).orElseThrow()));
                    present.put(DecoderOnnxExport.pastValue(l), cacheOf((OnnxTensor) result.get(DecoderOnnxExport.presentValue(l)).orElseThrow()));
                }
                return new Step(logits, ids[0].length, config.vocabSize(), present);
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    /** Largest difference, relative to the largest reference logit of the row (at least 1). */
    static double error(float[] actual, float[] expected) {
        double scale = 1;
        double worst = 0;
        for (int v = 0; v < expected.length; v++) {
            scale = Math.max(scale, Math.abs(expected[v]));
            worst = Math.max(worst, Math.abs(actual[v] - expected[v]));
        }
        return worst / scale;
    }

    static long[] range(int from, int to) {
        long[] out = new long[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = i;
        }
        return out;
    }

    static long[][] ones(int batch, int length) {
        long[][] out = new long[batch][length];
        for (long[] row : out) {
            Arrays.fill(row, 1);
        }
        return out;
    }

    private static float[][] cacheOf(OnnxTensor tensor) {
        long[] shape = tensor.getInfo().getShape();
        float[] dims = new float[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[i];
        }
        return new float[][] {flat(tensor), dims};
    }

    private static float[] flat(OnnxTensor tensor) {
        FloatBuffer b = tensor.getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
