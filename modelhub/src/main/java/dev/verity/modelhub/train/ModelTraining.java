package dev.verity.modelhub.train;

import dev.verity.modelhub.export.OnnxWriter;
import dev.verity.modelhub.graph.Graph;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Trains a classifier on a bundled or installed data set and exports it as ONNX.
 *
 * <pre>
 * java -cp ... dev.verity.modelhub.train.ModelTraining digits mlp --out models
 * </pre>
 *
 * Data sets: {@code digits} (the bundled scikit-learn digits, fixed 1,438/359 split, see
 * {@link Digits}) and {@code fashion} (Fashion-MNIST from {@link FashionMnist#DEFAULT_DIR}, the
 * official 60,000/10,000 split). Architectures: {@code mlp} ({@link Mlp}) and {@code cnn}
 * ({@link Cnn}).
 */
public final class ModelTraining {
    public static final List<String> DATASETS = List.of("digits", "fashion");
    public static final List<String> ARCHITECTURES = List.of("mlp", "cnn");

    private ModelTraining() {}

    /** Trains with Fashion-MNIST (if asked for) from its default directory, silently. */
    public static TrainedModel train(String dataset, String architecture, TrainingOptions options) {
        return train(dataset, architecture, options, FashionMnist.DEFAULT_DIR, stats -> {});
    }

    /** Trains, reading Fashion-MNIST (if asked for) from {@code fashionDir}, reporting each epoch. */
    public static TrainedModel train(String dataset, String architecture, TrainingOptions options, Path fashionDir,
                                     Consumer<EpochStats> onEpoch) {
        checkNames(dataset, architecture);
        return train(dataset, architecture, loadData(dataset, fashionDir), options, onEpoch);
    }

    /** Trains on data already loaded (the split must be that of {@code dataset}, for the names to be true). */
    public static TrainedModel train(String dataset, String architecture, Split data, TrainingOptions options,
                                     Consumer<EpochStats> onEpoch) {
        checkNames(dataset, architecture);
        Network network = newNetwork(dataset, architecture, options.seed());
        long start = System.nanoTime();
        List<EpochStats> history = network.fit(data.train(), options, onEpoch);
        long millis = (System.nanoTime() - start) / 1_000_000;
        Graph graph = network.toGraph(dataset + "-" + architecture, false);
        byte[] onnx = OnnxWriter.toBytes(graph);
        return new TrainedModel(dataset, architecture, options, network, graph, onnx, network.accuracy(data.train()),
                network.accuracy(data.test()), data.test(), history, millis);
    }

    /** The data set's fixed split. */
    public static Split loadData(String dataset, Path fashionDir) {
        return switch (dataset) {
            case "digits" -> Digits.split();
            case "fashion" -> FashionMnist.load(fashionDir);
            default -> throw new IllegalArgumentException("unknown data set '" + dataset + "'; expected one of " + DATASETS);
        };
    }

    /** A fresh, untrained network of the architecture sized for the data set. */
    public static Network newNetwork(String dataset, String architecture, long seed) {
        checkNames(dataset, architecture);
        boolean digits = dataset.equals("digits");
        return architecture.equals("mlp")
                ? (digits ? Mlp.forDigits(seed) : Mlp.forFashion(seed))
                : (digits ? Cnn.forDigits(seed) : Cnn.forFashion(seed));
    }

    static void checkNames(String dataset, String architecture) {
        if (!DATASETS.contains(dataset)) {
            throw new IllegalArgumentException("unknown data set '" + dataset + "'; expected one of " + DATASETS);
        }
        if (!ARCHITECTURES.contains(architecture)) {
            throw new IllegalArgumentException("unknown architecture '" + architecture + "'; expected one of " + ARCHITECTURES);
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static final String USAGE = """
            usage: ModelTraining <digits|fashion> <mlp|cnn> [--out DIR] [--epochs N] [--seed N]
                                 [--learning-rate X] [--batch-size N] [--data-dir DIR] [--softmax]
              --out DIR          where <dataset>-<arch>.onnx is written (default: the current directory)
              --data-dir DIR     the Fashion-MNIST IDX files (default: /usr/share/datasets/fashion-mnist)
              --softmax          add a Softmax node and a second output, "probabilities"
            Defaults: seed 42; digits 30 epochs, learning rate 0.01, batch 32;
                      fashion mlp 10 epochs, 0.001, batch 64; fashion cnn 5 epochs, 0.002, batch 64.""";

    /** The command line; returns the exit status: 0 done, 1 failed, 2 bad usage. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || !DATASETS.contains(args[0]) || !ARCHITECTURES.contains(args[1])) {
            err.println(USAGE);
            return 2;
        }
        String dataset = args[0];
        String architecture = args[1];
        TrainingOptions options = TrainingOptions.defaults(dataset, architecture);
        Path outDir = Path.of(".");
        Path dataDir = FashionMnist.DEFAULT_DIR;
        boolean softmax = false;
        try {
            for (int i = 2; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--softmax")) {
                    softmax = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[++i];
                switch (flag) {
                    case "--out" -> outDir = Path.of(value);
                    case "--data-dir" -> dataDir = Path.of(value);
                    case "--epochs" -> options = options.withEpochs(Integer.parseInt(value));
                    case "--seed" -> options = options.withSeed(Long.parseLong(value));
                    case "--learning-rate" -> options = options.withLearningRate(Double.parseDouble(value));
                    case "--batch-size" -> options = options.withBatchSize(Integer.parseInt(value));
                    default -> throw new IllegalArgumentException("unknown option " + flag);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        try {
            Split data = loadData(dataset, dataDir);
            Network untrained = newNetwork(dataset, architecture, options.seed());
            out.printf(Locale.ROOT, "%s-%s: %s%n", dataset, architecture, untrained.describe());
            out.printf(Locale.ROOT, "data: %d training, %d test images; %d epochs, seed %d, Adam learning rate %s, batch %d%n",
                    data.train().size(), data.test().size(), options.epochs(), options.seed(), options.learningRate(),
                    options.batchSize());
            TrainedModel model = train(dataset, architecture, data, options, out::println);
            Graph graph = softmax ? model.network().toGraph(model.name(), true) : model.graph();
            byte[] onnx = softmax ? OnnxWriter.toBytes(graph) : model.onnx();
            Path file = outDir.resolve(model.name() + ".onnx");
            Files.createDirectories(outDir);
            Files.write(file, onnx);
            out.printf(Locale.ROOT, "train accuracy %.2f%%, test accuracy %.2f%% (%d test images), trained in %.1f s%n",
                    100 * model.trainAccuracy(), 100 * model.testAccuracy(), model.testSet().size(),
                    model.trainingMillis() / 1000.0);
            out.printf(Locale.ROOT, "wrote %s (%,d bytes, sha256 %s)%n", file, onnx.length, sha256(onnx));
            return 0;
        } catch (IllegalStateException | IOException | java.io.UncheckedIOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
