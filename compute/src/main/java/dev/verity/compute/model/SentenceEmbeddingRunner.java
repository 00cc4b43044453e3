package dev.verity.compute.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Runs a BERT-style sentence embedding model (such as all-MiniLM-L6-v2) with ONNX Runtime on the CPU: tokenizes,
 * runs the encoder, mean-pools the last hidden state over the attention mask and L2-normalizes, as
 * sentence-transformers does.
 *
 * <p>Safe for concurrent {@link #run}/{@link #embed} calls (ONNX Runtime sessions allow concurrent runs); each call
 * uses {@code intraOpThreads} threads. {@link #close} waits for calls in progress.
 *
 * <p>With the default single intra-op thread and sequential execution, the same input on the same machine gives
 * bit-identical output, which verification by re-execution relies on.
 */
public final class SentenceEmbeddingRunner implements AutoCloseable {
    public static final int MAX_TOKENS = 256;

    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final OrtEnvironment env;
    private final OrtSession session;
    private final SentenceTokenizer tokenizer;
    private final List<String> inputNames;
    private final int dimension;
    // Read lock for inference, write lock for close, so a session is never closed under a running call.
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    /** Opens a model with one intra-op thread. */
    public static SentenceEmbeddingRunner open(Path onnxModel, Path tokenizerJson) {
        return open(onnxModel, tokenizerJson, 1);
    }

    public static SentenceEmbeddingRunner open(Path onnxModel, Path tokenizerJson, int intraOpThreads) {
        return openClosingOnFailure(onnxModel, tokenizerJson, intraOpThreads, new Device.Cpu());
    }

    /** Opens a model with one intra-op thread on {@code device}. */
    public static SentenceEmbeddingRunner open(Path onnxModel, Path tokenizerJson, Device device) {
        return openClosingOnFailure(onnxModel, tokenizerJson, 1, device);
    }

    private static SentenceEmbeddingRunner openClosingOnFailure(Path onnxModel, Path tokenizerJson, int intraOpThreads,
                                                                Device device) {
        SentenceTokenizer tokenizer = SentenceTokenizer.load(tokenizerJson, MAX_TOKENS);
        try {
            return new SentenceEmbeddingRunner(onnxModel, tokenizer, intraOpThreads, device);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * Once constructed, the runner owns the tokenizer and closes it with itself.
     *
     * @throws InvalidModelException if ONNX Runtime cannot load the model or its inputs/outputs are not those of a
     *                               BERT-style encoder
     */
    public SentenceEmbeddingRunner(Path onnxModel, SentenceTokenizer tokenizer, int intraOpThreads) {
        this(onnxModel, tokenizer, intraOpThreads, new Device.Cpu());
    }

    public SentenceEmbeddingRunner(Path onnxModel, SentenceTokenizer tokenizer, int intraOpThreads, Device device) {
        Objects.requireNonNull(onnxModel, "onnxModel");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1, got " + intraOpThreads);
        }
        this.env = OrtEnvironment.getEnvironment();
        OrtSession s = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            device.configure(options);
            s = env.createSession(onnxModel.toString(), options);
            this.inputNames = List.copyOf(s.getInputNames());
            for (String name : inputNames) {
                if (!name.equals(INPUT_IDS) && !name.equals(ATTENTION_MASK) && !name.equals(TOKEN_TYPE_IDS)) {
                    throw new InvalidModelException("model " + onnxModel.getFileName() + " has input '" + name
                            + "'; a sentence embedding model takes only " + INPUT_IDS + ", " + ATTENTION_MASK
                            + " and " + TOKEN_TYPE_IDS);
                }
            }
            if (!inputNames.contains(INPUT_IDS)) {
                throw new InvalidModelException("model " + onnxModel.getFileName() + " has no " + INPUT_IDS
                        + " input (inputs: " + inputNames + ")");
            }
            this.dimension = hiddenSize(s, onnxModel);
            this.session = s;
            s = null;
        } catch (OrtException e) {
            throw new InvalidModelException("ONNX Runtime cannot load " + onnxModel + ": " + e.getMessage(), e);
        } finally {
            closeQuietly(s);
        }
    }

    /** The size of the first output's last axis, which must be [batch, sequence, hidden]. */
    private static int hiddenSize(OrtSession session, Path model) throws OrtException {
        Map.Entry<String, NodeInfo> first = session.getOutputInfo().entrySet().iterator().next();
        if (!(first.getValue().getInfo() instanceof TensorInfo info)
                || info.type != OnnxJavaType.FLOAT || info.getShape().length != 3
                || info.getShape()[2] <= 0) {
            throw new InvalidModelException("model " + model.getFileName() + " output '" + first.getKey()
                    + "' is " + first.getValue().getInfo() + "; expected float [batch, sequence, hidden]");
        }
        return Math.toIntExact(info.getShape()[2]);
    }

    /** The length of the embedding vectors (384 for MiniLM). */
    public int dimension() {
        return dimension;
    }

    public SentenceTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * The service entry point: UTF-8 text in, the L2-normalized embedding out as little-endian float32 bytes.
     *
     * @throws IllegalArgumentException if the input is not well-formed UTF-8
     */
    public byte[] run(byte[] utf8Input) {
        Objects.requireNonNull(utf8Input, "utf8Input");
        float[] embedding = embed(decodeUtf8(utf8Input));
        ByteBuffer out = ByteBuffer.allocate(embedding.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        out.asFloatBuffer().put(embedding);
        return out.array();
    }

    /** The inverse of the byte encoding of {@link #run}. */
    public static float[] decodeEmbedding(byte[] littleEndianFloat32) {
        Objects.requireNonNull(littleEndianFloat32, "littleEndianFloat32");
        if (littleEndianFloat32.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("embedding byte length " + littleEndianFloat32.length
                    + " is not a multiple of 4");
        }
        float[] result = new float[littleEndianFloat32.length / Float.BYTES];
        ByteBuffer.wrap(littleEndianFloat32).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(result);
        return result;
    }

    /** The L2-normalized mean-pooled embedding of the first {@value #MAX_TOKENS} tokens of the text. */
    public float[] embed(String text) {
        Objects.requireNonNull(text, "text");
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the embedding runner is closed");
            }
            return infer(tokenizer.encode(text));
        } catch (OrtException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private float[] infer(SentenceTokenizer.Encoding encoding) throws OrtException {
        long[] shape = {1, encoding.length()};
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (String name : inputNames) {
                long[] values = switch (name) {
                    case INPUT_IDS -> encoding.inputIds();
                    case ATTENTION_MASK -> encoding.attentionMask();
                    default -> encoding.tokenTypeIds();
                };
                feeds.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                OnnxValue first = result.get(0);
                if (!(first instanceof OnnxTensor hidden)) {
                    throw new IllegalStateException("model output is not a tensor");
                }
                return meanPoolAndNormalize(hidden.getFloatBuffer(), encoding.attentionMask());
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    /** Mean over the unmasked token vectors, then L2 normalization, accumulating in double for stability. */
    private float[] meanPoolAndNormalize(FloatBuffer hidden, long[] mask) {
        int tokens = mask.length;
        if (hidden.remaining() != tokens * dimension) {
            throw new IllegalStateException("model output has " + hidden.remaining() + " values, expected "
                    + tokens + " x " + dimension);
        }
        double[] sum = new double[dimension];
        double count = 0;
        for (int t = 0; t < tokens; t++) {
            if (mask[t] == 0) {
                continue;
            }
            count++;
            int base = t * dimension;
            for (int d = 0; d < dimension; d++) {
                sum[d] += hidden.get(base + d);
            }
        }
        count = Math.max(count, 1e-9);
        double norm = 0;
        for (int d = 0; d < dimension; d++) {
            sum[d] /= count;
            norm += sum[d] * sum[d];
        }
        norm = Math.max(Math.sqrt(norm), 1e-12);
        float[] embedding = new float[dimension];
        for (int d = 0; d < dimension; d++) {
            embedding[d] = (float) (sum[d] / norm);
        }
        return embedding;
    }

    private static String decodeUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            CharBuffer chars = decoder.decode(in);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("input is not valid UTF-8 (malformed sequence at or after byte "
                    + in.position() + ")", e);
        }
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                closeQuietly(session);
                tokenizer.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // nothing useful to do: the native session is gone either way
            }
        }
    }
}
