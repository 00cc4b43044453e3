package dev.verity.compute.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A decoder-only language model in the layout Hugging Face exports (GPT-2, Llama and the like), run by ONNX Runtime
 * with its key/value cache: inputs {@code input_ids}, {@code attention_mask}, {@code position_ids} and
 * {@code past_key_values.N.key|value} {@code [batch, heads, past, headWidth]}; outputs {@code logits} and
 * {@code present.N.key|value}. One {@link Sequence} is one generation: the prompt goes in at once, then one token at a
 * time, and the cache stays in ONNX Runtime's tensors between steps. Thread-safe: sequences may run concurrently.
 */
public final class OnnxDecoder implements AutoCloseable {
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String POSITION_IDS = "position_ids";
    public static final String LOGITS = "logits";

    /** The model's dimensions, read from its inputs and outputs. */
    public record Shape(int layers, int heads, int headWidth, int vocabularySize) {}

    private final OrtEnvironment env;
    private final OrtSession session;
    private final Shape shape;
    private final boolean takesPositions;

    private OnnxDecoder(OrtEnvironment env, OrtSession session, Shape shape, boolean takesPositions) {
        this.env = env;
        this.session = session;
        this.shape = shape;
        this.takesPositions = takesPositions;
    }

    /**
     * Opens {@code model} with {@code intraOpThreads} threads on {@code device}.
     *
     * @throws InvalidModelException when ONNX Runtime cannot load it or it is not in the decoder layout
     */
    public static OnnxDecoder open(Path model, int intraOpThreads, Device device) {
        Objects.requireNonNull(model, "model");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            device.configure(options);
            session = env.createSession(model.toString(), options);
            Shape shape = shapeOf(session, model.getFileName().toString());
            OnnxDecoder decoder = new OnnxDecoder(env, session, shape, session.getInputNames().contains(POSITION_IDS));
            session = null;
            return decoder;
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime cannot load " + model + ": " + e.getMessage(), e);
        } finally {
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException ignored) {
                    // the session is unusable either way
                }
            }
        }
    }

    /** True when {@code inputNames} are those of a decoder with a key/value cache (so the file should open here). */
    public static boolean isDecoderLayout(Iterable<String> inputNames) {
        boolean ids = false;
        boolean cache = false;
        for (String n : inputNames) {
            ids |= n.equals(INPUT_IDS);
            cache |= n.equals(pastKey(0));
        }
        return ids && cache;
    }

    private static Shape shapeOf(OrtSession s, String file) throws OrtException {
        Map<String, NodeInfo> inputs = s.getInputInfo();
        if (!isDecoderLayout(inputs.keySet()) || !inputs.containsKey(ATTENTION_MASK)) {
            throw new InvalidModelException(file + " is not a decoder with a key/value cache: its inputs are " + inputs.keySet()
                    + "; expected " + INPUT_IDS + ", " + ATTENTION_MASK + " and past_key_values.N.key/value");
        }
        int layers = 0;
        while (inputs.containsKey(pastKey(layers))) {
            if (!inputs.containsKey(pastValue(layers))) {
                throw new InvalidModelException(file + " has " + pastKey(layers) + " but no " + pastValue(layers));
            }
            layers++;
        }
        long[] kv = floatShape(inputs.get(pastKey(0)), pastKey(0), file);
        if (kv.length != 4 || kv[1] <= 0 || kv[3] <= 0) {
            throw new InvalidModelException(file + ": " + pastKey(0) + " must be [batch, heads, past, headWidth] with fixed "
                    + "heads and headWidth, not " + java.util.Arrays.toString(kv));
        }
        NodeInfo logits = s.getOutputInfo().get(LOGITS);
        if (logits == null) {
            throw new InvalidModelException(file + " has no '" + LOGITS + "' output (outputs: " + s.getOutputNames() + ")");
        }
        long[] l = floatShape(logits, LOGITS, file);
        if (l.length != 3 || l[2] <= 0) {
            throw new InvalidModelException(file + ": " + LOGITS + " must be [batch, sequence, vocabulary], not "
                    + java.util.Arrays.toString(l));
        }
        for (int i = 0; i < layers; i++) {
            if (!s.getOutputNames().contains(presentKey(i)) || !s.getOutputNames().contains(presentValue(i))) {
                throw new InvalidModelException(file + " takes a cache for layer " + i + " but gives no " + presentKey(i)
                        + " and " + presentValue(i));
            }
        }
        return new Shape(layers, Math.toIntExact(kv[1]), Math.toIntExact(kv[3]), Math.toIntExact(l[2]));
    }

    private static long[] floatShape(NodeInfo info, String name, String file) {
        if (!(info.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
            throw new InvalidModelException(file + ": " + name + " is " + info.getInfo() + ", not a float tensor");
        }
        return t.getShape();
    }

    static String pastKey(int layer) {
        return "past_key_values." + layer + ".key";
    }

    static String pastValue(int layer) {
        return "past_key_values." + layer + ".value";
    }

    static String presentKey(int layer) {
        return "present." + layer + ".key";
    }

    static String presentValue(int layer) {
        return "present." + layer + ".value";
    }

    public Shape shape() {
        return shape;
    }

    /** A new generation with an empty cache. Close it to free the cache. */
    public Sequence sequence() {
        return new Sequence();
    }

    /** One generation: the tokens fed so far live in the cache. Not thread-safe. */
    public final class Sequence implements AutoCloseable {
        /** The last run's outputs, whose present.* tensors are the next run's cache; null before the first. */
        private OrtSession.Result last;
        private final List<OnnxTensor> emptyCache = new ArrayList<>();
        private int length;

        private Sequence() {}

        /** Tokens fed so far. */
        public int length() {
            return length;
        }

        /**
         * Feeds {@code tokens} after those fed before and returns the logits {@code [vocabularySize]} that follow the
         * last of them.
         */
        public float[] feed(int[] tokens) {
            if (tokens.length == 0) {
                throw new IllegalArgumentException("feed at least one token");
            }
            for (int t : tokens) {
                if (t < 0 || t >= shape.vocabularySize()) {
                    throw new IllegalArgumentException("token " + t + " is outside the vocabulary of " + shape.vocabularySize());
                }
            }
            Map<String, OnnxTensor> feeds = new HashMap<>();
            List<OnnxTensor> owned = new ArrayList<>();
            try {
                long[] ids = new long[tokens.length];
                long[] positions = new long[tokens.length];
                for (int i = 0; i < tokens.length; i++) {
                    ids[i] = tokens[i];
                    positions[i] = length + i;
                }
                long[] mask = new long[length + tokens.length];
                java.util.Arrays.fill(mask, 1);
                owned.add(put(feeds, INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, ids.length})));
                owned.add(put(feeds, ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {1, mask.length})));
                if (takesPositions) {
                    owned.add(put(feeds, POSITION_IDS,
                            OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {1, positions.length})));
                }
                for (int layer = 0; layer < shape.layers(); layer++) {
                    feeds.put(pastKey(layer), cache(presentKey(layer)));
                    feeds.put(pastValue(layer), cache(presentValue(layer)));
                }
                OrtSession.Result result = session.run(feeds);
                float[] logits = lastLogits(result, tokens.length);
                closeLast();
                last = result;
                length += tokens.length;
                return logits;
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed at position " + length + ": " + e.getMessage(), e);
            } finally {
                owned.forEach(OnnxTensor::close);
            }
        }

        private OnnxTensor put(Map<String, OnnxTensor> feeds, String name, OnnxTensor t) {
            feeds.put(name, t);
            return t;
        }

        private OnnxTensor cache(String present) throws OrtException {
            if (last != null) {
                return (OnnxTensor) last.get(present).orElseThrow(() -> new IllegalStateException("no output " + present));
            }
            OnnxTensor empty = OnnxTensor.createTensor(env, FloatBuffer.allocate(0),
                    new long[] {1, shape.heads(), 0, shape.headWidth()});
            emptyCache.add(empty);
            return empty;
        }

        private float[] lastLogits(OrtSession.Result result, int fed) {
            OnnxValue value = result.get(LOGITS).orElseThrow(() -> new IllegalStateException("no logits output"));
            FloatBuffer all = ((OnnxTensor) value).getFloatBuffer();
            int v = shape.vocabularySize();
            if (all.remaining() != fed * v) {
                throw new IllegalStateException("the logits hold " + all.remaining() + " values, not " + fed + " x " + v);
            }
            float[] out = new float[v];
            all.position((fed - 1) * v);
            all.get(out);
            return out;
        }

        private void closeLast() {
            if (last != null) {
                last.close();
                last = null;
            }
            emptyCache.forEach(OnnxTensor::close);
            emptyCache.clear();
        }

        @Override
        public void close() {
            closeLast();
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException ignored) {
            // the native session is gone either way
        }
    }
}
