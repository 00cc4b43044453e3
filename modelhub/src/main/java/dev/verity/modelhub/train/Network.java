package dev.verity.modelhub.train;

import dev.verity.modelhub.graph.Attribute;
import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.ValueInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A feed-forward classifier: a chain of layers ending in one logit per class, trained with softmax
 * cross-entropy and Adam on mini-batches. Examples go through one at a time (the per-example
 * gradients of a batch are summed, then averaged). Not thread-safe: layers remember the last example.
 */
public abstract sealed class Network permits Mlp, Cnn {
    public static final String INPUT = "input";
    public static final String LOGITS = "logits";
    public static final String PROBABILITIES = "probabilities";

    private final List<Layer> layers;
    private final List<Param> params;
    private final List<Long> inputDims;
    private final int inputSize;
    private final int classes;

    /** {@code inputDims}: the model's input shape without the batch dimension. */
    Network(List<Layer> layers, List<Long> inputDims, int classes) {
        this.layers = List.copyOf(layers);
        this.params = this.layers.stream().flatMap(l -> l.params().stream()).toList();
        this.inputDims = List.copyOf(inputDims);
        this.inputSize = (int) inputDims.stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
        this.classes = classes;
    }

    /** One line, e.g. "MLP 64→32→10". */
    public abstract String describe();

    /** Number of values per example. */
    public int inputSize() {
        return inputSize;
    }

    public int classes() {
        return classes;
    }

    /** Number of trainable values. */
    public int parameterCount() {
        return params.stream().mapToInt(p -> p.value.length).sum();
    }

    /** A copy of all trainable values, layer by layer (weights, then biases). */
    public float[] parameters() {
        float[] all = new float[parameterCount()];
        int at = 0;
        for (Param p : params) {
            System.arraycopy(p.value, 0, all, at, p.value.length);
            at += p.value.length;
        }
        return all;
    }

    /** The logits for one example of {@link #inputSize()} values. */
    public float[] logits(float[] input) {
        if (input.length != inputSize) {
            throw new IllegalArgumentException("expected " + inputSize + " input values, got " + input.length);
        }
        float[] x = input;
        for (Layer layer : layers) {
            x = layer.forward(x);
        }
        return x;
    }

    /** The predicted class: the index of the largest logit (the first, on a tie). */
    public int predict(float[] input) {
        return argmax(logits(input));
    }

    /** The fraction of the data set's examples predicted correctly. */
    public double accuracy(Dataset data) {
        checkCompatible(data);
        int correct = 0;
        for (int i = 0; i < data.size(); i++) {
            if (predict(data.inputs()[i]) == data.labels()[i]) {
                correct++;
            }
        }
        return data.size() == 0 ? 0 : (double) correct / data.size();
    }

    /**
     * Trains for {@code options.epochs()} epochs with Adam at {@code options.learningRate()}. Before
     * each epoch the examples are shuffled (Fisher–Yates) with one {@code Random(options.seed() + 1)}
     * made for the whole run, then taken in mini-batches of {@code options.batchSize()} (the last one
     * may be smaller).
     */
    public List<EpochStats> fit(Dataset train, TrainingOptions options, Consumer<EpochStats> onEpoch) {
        checkCompatible(train);
        Adam adam = new Adam(params, options.learningRate());
        Random shuffle = new Random(options.seed() + 1);
        int n = train.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        List<EpochStats> history = new ArrayList<>();
        long start = System.nanoTime();
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = shuffle.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double lossSum = 0;
            int correct = 0;
            for (int from = 0; from < n; from += options.batchSize()) {
                int to = Math.min(n, from + options.batchSize());
                for (Param p : params) {
                    Arrays.fill(p.grad, 0f);
                }
                float scale = 1f / (to - from);
                for (int k = from; k < to; k++) {
                    int row = order[k];
                    int label = train.labels()[row];
                    float[] logits = logits(train.inputs()[row]);
                    if (argmax(logits) == label) {
                        correct++;
                    }
                    lossSum += backward(logits, label, scale);
                }
                adam.step();
            }
            EpochStats stats = new EpochStats(epoch, options.epochs(), lossSum / n, (double) correct / n,
                    (System.nanoTime() - start) / 1_000_000);
            history.add(stats);
            onEpoch.accept(stats);
        }
        return history;
    }

    /**
     * For the example whose {@code logits} were just computed, adds {@code scale} × the gradient of its
     * cross-entropy loss to every parameter's {@link Param#grad}; returns the (unscaled) loss.
     */
    double backward(float[] logits, int label, float scale) {
        float[] probabilities = softmax(logits);
        // d(cross-entropy)/d(logits) = softmax − one-hot.
        float[] g = new float[classes];
        for (int c = 0; c < classes; c++) {
            g[c] = (probabilities[c] - (c == label ? 1f : 0f)) * scale;
        }
        for (int i = layers.size() - 1; i >= 0; i--) {
            g = layers.get(i).backward(g, i > 0);
        }
        return -StrictMath.log(Math.max(probabilities[label], 1e-30f));
    }

    List<Param> params() {
        return params;
    }

    /**
     * The network as an ONNX graph (opset 13, IR version 8): input {@value #INPUT} of shape
     * [N, ...input dims] (N = -1, any batch size), output {@value #LOGITS} of shape [N, classes], and
     * with {@code withSoftmax} a second output {@value #PROBABILITIES} = Softmax(logits, axis 1).
     * Initializers are named "layer.weight" and "layer.bias".
     */
    public Graph toGraph(String name, boolean withSoftmax) {
        GraphBuilder builder = new GraphBuilder();
        String current = INPUT;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String output = i == layers.size() - 1 ? LOGITS : layer.name;
            layer.export(builder, current, output);
            current = output;
        }
        List<ValueInfo> outputs = new ArrayList<>();
        outputs.add(new ValueInfo(LOGITS, DataType.FLOAT, List.of(-1L, (long) classes)));
        if (withSoftmax) {
            builder.node("softmax", "Softmax", List.of(LOGITS), PROBABILITIES, Map.of("axis", new Attribute.Int(1)));
            outputs.add(new ValueInfo(PROBABILITIES, DataType.FLOAT, List.of(-1L, (long) classes)));
        }
        List<Long> dims = new ArrayList<>();
        dims.add(-1L);
        dims.addAll(inputDims);
        return new Graph(name, 8, 13, List.of(new ValueInfo(INPUT, DataType.FLOAT, dims)), outputs, builder.nodes,
                builder.initializers);
    }

    private void checkCompatible(Dataset data) {
        if (data.features() != inputSize || data.classes() != classes) {
            throw new IllegalArgumentException(describe() + " takes " + inputSize + " values and " + classes
                    + " classes; " + data + " does not fit");
        }
    }

    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Numerically stable softmax (the largest logit is subtracted first). */
    static float[] softmax(float[] logits) {
        float max = logits[argmax(logits)];
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = StrictMath.exp(logits[i] - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }
}
