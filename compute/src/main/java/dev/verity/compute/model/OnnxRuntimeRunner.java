package dev.verity.compute.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * Runs a one-input, float-in float-out ONNX model with ONNX Runtime (the fast float path for
 * {@code NONE} and {@code TEE} jobs). One intra-op thread by default; thread-safe.
 */
public final class OnnxRuntimeRunner implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String inputName;
    private final long[] inputShape;

    public OnnxRuntimeRunner(byte[] onnx, String inputName, int[] inputShape) {
        this(onnx, inputName, inputShape, new Device.Cpu());
    }

    public OnnxRuntimeRunner(byte[] onnx, String inputName, int[] inputShape, Device device) {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            device.configure(options);
            this.session = env.createSession(onnx, options);
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
        this.inputName = inputName;
        this.inputShape = new long[inputShape.length];
        for (int i = 0; i < inputShape.length; i++) {
            this.inputShape[i] = inputShape[i];
        }
    }

    /** The first output's values for one input. */
    public float[] run(float[] input) {
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), inputShape);
             OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            OnnxTensor out = (OnnxTensor) result.get(0);
            FloatBuffer fb = out.getFloatBuffer();
            float[] values = new float[fb.remaining()];
            fb.get(values);
            return values;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
