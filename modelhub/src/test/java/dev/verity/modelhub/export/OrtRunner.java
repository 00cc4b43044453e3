package dev.verity.modelhub.export;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: a model's bytes loaded in ONNX Runtime (one thread, no graph optimisations beyond the basic ones). */
public final class OrtRunner implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    private OrtRunner(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            session = env.createSession(model, options);
        }
    }

    public static OrtRunner load(byte[] model) throws OrtException {
        return new OrtRunner(model);
    }

    public List<String> inputNames() {
        return List.copyOf(session.getInputNames());
    }

    public List<String> outputNames() {
        return List.copyOf(session.getOutputNames());
    }

    /** Runs with one float input; returns the first output, flattened. */
    public float[] run(String input, float[] values, long... shape) throws OrtException {
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape)) {
            return (float[]) runAll(Map.of(input, tensor)).values().iterator().next();
        }
    }

    /** Runs with float inputs (name → values, shape); returns every output flattened: float[], long[] or the raw value. */
    public Map<String, Object> run(Map<String, float[]> values, Map<String, long[]> shapes) throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue()), shapes.get(e.getKey())));
            }
            return runAll(feeds);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private Map<String, Object> runAll(Map<String, OnnxTensor> feeds) throws OrtException {
        Map<String, Object> outputs = new LinkedHashMap<>();
        try (OrtSession.Result result = session.run(feeds)) {
            for (Map.Entry<String, OnnxValue> e : result) {
                OnnxTensor t = (OnnxTensor) e.getValue();
                OnnxJavaType type = t.getInfo().type;
                if (type == OnnxJavaType.FLOAT) {
                    FloatBuffer b = t.getFloatBuffer();
                    float[] a = new float[b.remaining()];
                    b.get(a);
                    outputs.put(e.getKey(), a);
                } else if (type == OnnxJavaType.INT64) {
                    LongBuffer b = t.getLongBuffer();
                    long[] a = new long[b.remaining()];
                    b.get(a);
                    outputs.put(e.getKey(), a);
                } else {
                    outputs.put(e.getKey(), t.getValue());
                }
            }
        }
        return outputs;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
