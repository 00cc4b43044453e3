package dev.verity.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.verity.modelhub.lm.export.DecoderOnnxWeights;
import dev.verity.bench.lm.IntegerLanguageModel;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.generate.Generator;
import dev.verity.inference.program.Tensor;
import dev.verity.modelhub.lm.DecoderWeights;
import dev.verity.modelhub.lm.export.DecoderOnnxExport;
import dev.verity.modelhub.lm.quantize.DecoderCalibration;
import dev.verity.modelhub.lm.quantize.DecoderQuantizer;
import dev.verity.modelhub.lm.train.LanguageModelTraining;
import dev.verity.modelhub.lm.tokenizer.TokenizerFile;
import dev.verity.modelhub.quantize.QuantizerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One token's forward pass of the shipped language model at position {@value #POSITION} (the cache holding the
 * positions before it), on one thread:
 * <ul>
 *   <li>{@link #integerVectorized}, {@link #integerScalar}: one run of the quantized step program
 *       ({@link IntegerEngine#run}, every state hashed), Vector API or plain-Java kernels;</li>
 *   <li>{@link #onnxRuntime}: one ONNX Runtime call with the key/value cache of the positions before (one intra-op
 *       thread; the input tensors made and the outputs freed in the call, as {@code OnnxDecoder} does per token).</li>
 * </ul>
 * The quantizer is calibrated on the tokens of the training report's prompts, repeated to a full context: the ranges
 * change the integer values, not the work. {@code LanguageModelBenchmark} gives the whole generation's figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class LanguageModelForwardPassBenchmark {
    static final int POSITION = 63;

    private IntegerEngine vectorized;
    private IntegerEngine scalar;
    private SortedMap<String, Tensor> inputs;
    private OrtEnvironment env;
    private OrtSession session;
    private OrtSession.Result past;
    private int layers;
    private int token;

    @Setup(Level.Trial)
    public void prepare() throws OrtException, IOException {
        byte[] onnx = resource("/lm/model.onnx");
        DecoderWeights weights = DecoderOnnxWeights.read(onnx);
        int[] text;
        try (TokenizerFile tokenizer = TokenizerFile.load(new java.io.ByteArrayInputStream(resource("/lm/tokenizer.json")),
                "/lm/tokenizer.json")) {
            text = tokenizer.encode(String.join(" ", LanguageModelTraining.PROMPTS));
        }
        int context = weights.config().contextLength();
        int[] sequence = new int[context];
        for (int i = 0; i < context; i++) {
            sequence[i] = text[i % text.length];
        }
        DecoderStep step = DecoderQuantizer.quantize(weights, DecoderCalibration.calibrate(weights, List.of(sequence)),
                QuantizerOptions.DEFAULT_SLICE_ELEMENTS);
        IntegerLanguageModel model = new IntegerLanguageModel("integer", step, EngineOptions.VECTORIZED);
        Generator g = model.generator();
        SortedMap<String, Tensor> caches = g.emptyCaches();
        for (int p = 0; p < POSITION; p++) {
            RunResult r = model.engine().run(g.stepInputs(sequence[p], p, caches));
            caches = model.nextCaches(r);
        }
        token = sequence[POSITION];
        inputs = g.stepInputs(token, POSITION, caches);
        vectorized = new IntegerEngine(step.program(), EngineOptions.VECTORIZED);
        scalar = new IntegerEngine(step.program(), EngineOptions.SCALAR);

        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            session = env.createSession(onnx, options);
        }
        layers = weights.config().layers();
        int heads = weights.config().heads();
        int headWidth = weights.config().headWidth();
        Map<String, OnnxTensor> feeds = new HashMap<>();
        long[] ids = new long[POSITION];
        long[] positions = new long[POSITION];
        for (int p = 0; p < POSITION; p++) {
            ids[p] = sequence[p];
            positions[p] = p;
        }
        long[] mask = new long[POSITION];
        Arrays.fill(mask, 1);
        feeds.put(DecoderOnnxExport.INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, POSITION}));
        feeds.put(DecoderOnnxExport.ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {1, POSITION}));
        feeds.put(DecoderOnnxExport.POSITION_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(positions),
                new long[] {1, POSITION}));
        for (int l = 0; l < layers; l++) {
            feeds.put(DecoderOnnxExport.pastKey(l), OnnxTensor.createTensor(env, java.nio.FloatBuffer.allocate(0),
                    new long[] {1, heads, 0, headWidth}));
            feeds.put(DecoderOnnxExport.pastValue(l), OnnxTensor.createTensor(env, java.nio.FloatBuffer.allocate(0),
                    new long[] {1, heads, 0, headWidth}));
        }
        past = session.run(feeds);
        feeds.values().forEach(OnnxTensor::close);
    }

    @TearDown(Level.Trial)
    public void close() throws OrtException {
        past.close();
        session.close();
    }

    @Benchmark
    public RunResult integerVectorized() {
        return vectorized.run(inputs);
    }

    @Benchmark
    public RunResult integerScalar() {
        return scalar.run(inputs);
    }

    @Benchmark
    public float onnxRuntime() throws OrtException {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        long[] mask = new long[POSITION + 1];
        Arrays.fill(mask, 1);
        try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {token}), new long[] {1, 1});
             OnnxTensor attention = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {1, POSITION + 1});
             OnnxTensor position = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {POSITION}), new long[] {1, 1})) {
            feeds.put(DecoderOnnxExport.INPUT_IDS, ids);
            feeds.put(DecoderOnnxExport.ATTENTION_MASK, attention);
            feeds.put(DecoderOnnxExport.POSITION_IDS, position);
            for (int l = 0; l < layers; l++) {
                feeds.put(DecoderOnnxExport.pastKey(l), (OnnxTensor) past.get(DecoderOnnxExport.presentKey(l)).orElseThrow());
                feeds.put(DecoderOnnxExport.pastValue(l), (OnnxTensor) past.get(DecoderOnnxExport.presentValue(l)).orElseThrow());
            }
            try (OrtSession.Result r = session.run(feeds)) {
                return ((OnnxTensor) r.get(DecoderOnnxExport.LOGITS).orElseThrow()).getFloatBuffer().get(0);
            }
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = LanguageModelForwardPassBenchmark.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
