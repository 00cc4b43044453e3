package dev.verity.cli;

import dev.verity.compute.model.OnnxRuntimeRunner;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.pkg.IoInfo;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.modelhub.conformance.ConformanceReport;
import dev.verity.modelhub.conformance.ConformanceRunner;
import dev.verity.modelhub.conformance.TestResult;
import dev.verity.modelhub.floatengine.UnsupportedOperatorException;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.hub.ExampleFiles;
import dev.verity.modelhub.hub.Examples;
import dev.verity.modelhub.hub.ModelImporter;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.modelhub.onnx.OnnxFormatException;
import dev.verity.modelhub.onnx.OnnxLimits;
import dev.verity.modelhub.onnx.OnnxParser;
import dev.verity.modelhub.onnx.UnsupportedModelException;
import dev.verity.modelhub.quantize.QuantizedModel;
import dev.verity.modelhub.train.FashionMnist;
import dev.verity.modelhub.train.ModelTraining;
import dev.verity.modelhub.train.TrainedModel;
import dev.verity.modelhub.train.TrainingOptions;
import dev.verity.service.model.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verity model import|run|conformance|train}: the model hub on this machine, no node needed. */
final class ModelHubCommands {
    private ModelHubCommands() {}

    // ------------------------------------------------------------------ import

    @Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Build a model package from an ONNX file and put it in the local model store.", "",
                "The model is parsed and checked (well-formed, supported operators, consistent shapes, finite weights, "
                        + "within the size limits), its activation ranges are calibrated on the calibration data with the "
                        + "float reference engine, and it is quantized to an integer program. With labeled evaluation data "
                        + "the float model's and the integer program's accuracy are measured and recorded in the package. "
                        + "The package is stored as <id>.vpkg, its id being the SHA-256 of its bytes; the same inputs "
                        + "always give the same package. On any error nothing is stored.", "",
                "DATA is a CSV file (one example per line: the input's values in row-major order, optionally followed by "
                        + "an integer class label) or the bundled digits data set: digits:train or digits:test."},
            footer = {"", "Example:", "  verity model import digits-mlp.onnx --calibration digits:train \\",
                "      --evaluation digits:test"})
    static final class Import extends BaseCommand {
        @Parameters(paramLabel = "FILE", description = "The .onnx file.")
        Path file;

        @Option(names = "--calibration", paramLabel = "DATA", required = true,
                description = "Examples to calibrate the quantization with (at most the first 512 are used).")
        String calibration;

        @Option(names = "--evaluation", paramLabel = "DATA",
                description = "Labeled examples to measure float and integer accuracy on (default: none, not measured).")
        String evaluation;

        @Option(names = "--name", paramLabel = "NAME", description = "Package name (default: the file name without .onnx).")
        String name;

        @Option(names = "--max-model-bytes", paramLabel = "N", description = "Largest ONNX file accepted (default: 268435456).")
        long maxModelBytes = OnnxLimits.DEFAULTS.maxModelBytes();

        @Option(names = "--max-tensor-elements", paramLabel = "N", description = "Largest tensor accepted, in elements (default: 67108864).")
        long maxTensorElements = OnnxLimits.DEFAULTS.maxTensorElements();

        @Option(names = "--max-nodes", paramLabel = "N", description = "Most operator nodes accepted (default: 100000).")
        int maxNodes = OnnxLimits.DEFAULTS.maxNodes();

        @Mixin
        LocalModels.StoreOption store;

        @Override
        protected int execute() throws IOException {
            if (maxModelBytes < 1 || maxTensorElements < 1 || maxNodes < 1) {
                throw usage("--max-model-bytes, --max-tensor-elements and --max-nodes must be at least 1");
            }
            if (!Files.isRegularFile(file)) {
                throw new CliException("NO_SUCH_FILE", Files.exists(file) ? file + " is not a file" : "no such file: " + file);
            }
            String packageName = name != null ? name : ModelCommand.Register.defaultName(file);
            if (packageName.isBlank() || packageName.length() > ModelCommand.MAX_NAME) {
                throw usage("the package name must be 1 to " + ModelCommand.MAX_NAME + " characters, got '" + packageName + "'");
            }
            OnnxLimits limits = new OnnxLimits(maxModelBytes, maxTensorElements, maxNodes);
            long size = Files.size(file);
            if (size > limits.maxModelBytes()) {
                throw new CliException("INVALID_MODEL", file + " is " + size + " bytes, over the limit of "
                        + limits.maxModelBytes() + " bytes");
            }
            byte[] onnx = Files.readAllBytes(file);
            long start = System.nanoTime();
            Graph graph = parse(onnx, limits);
            Examples calibrationExamples = examples(calibration, graph, "--calibration");
            if (calibrationExamples.size() == 0) {
                throw new CliException("BAD_DATA", "--calibration " + calibration + " holds no examples");
            }
            Examples evaluationExamples = evaluation == null ? Examples.none() : examples(evaluation, graph, "--evaluation");
            ModelImporter.Options options = new ModelImporter.Options(packageName, limits, 512);
            ModelImporter.Imported imported;
            try {
                imported = ModelImporter.importModel(onnx, calibrationExamples, evaluationExamples, options);
            } catch (UnsupportedOperatorException | UnsupportedModelException e) {
                throw new CliException("UNSUPPORTED_MODEL", file + ": " + Errors.message(e));
            } catch (OnnxFormatException e) {
                throw new CliException("INVALID_MODEL", file + ": " + Errors.message(e));
            } catch (RuntimeException e) {
                throw new CliException("IMPORT_FAILED", "cannot import " + file + ": " + Errors.message(e), null, e);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            ModelPackage pkg = imported.modelPackage();
            byte[] bytes = pkg.encode();
            // Only now, with a complete package in hand, is anything written.
            ModelStore modelStore = store.open();
            String hex = modelStore.put(bytes, LocalModels.PACKAGE_SUFFIX);
            if (!hex.equals(pkg.id().hex())) {
                throw new IllegalStateException("stored package hash " + hex + " differs from its id " + pkg.id().hex());
            }
            Path stored = modelStore.dir().resolve(hex + LocalModels.PACKAGE_SUFFIX);
            ModelImporter.Accuracy accuracy = imported.accuracy();
            if (out().json()) {
                Map<String, Object> doc = LocalModels.json(pkg, pkg.id());
                doc.put("evaluationExamples", accuracy.examples());
                doc.put("calibrationExamples", Math.min(calibrationExamples.size(), options.maxCalibrationExamples()));
                doc.put("path", stored.toString());
                doc.put("bytes", bytes.length);
                doc.put("millis", millis);
                out().printJson(doc);
                return 0;
            }
            out().line("imported " + file + " as package " + pkg.metadata().name() + " in "
                    + String.format(Locale.ROOT, "%.1f s", millis / 1000.0));
            Map<String, Object> f = LocalModels.fields(pkg, pkg.id());
            int calibrated = Math.min(calibrationExamples.size(), options.maxCalibrationExamples());
            f.put("calibrated on", calibrated + (calibrated == 1 ? " example (" : " examples (") + calibration + ")");
            if (accuracy.examples() > 0) {
                f.put("evaluated on", accuracy.examples() + " labeled examples (" + evaluation + ")");
            } else if (evaluation != null) {
                f.put("evaluated on", "nothing: " + evaluation + " has no labels");
            }
            f.put("stored at", stored + String.format(Locale.ROOT, " (%,d bytes)", bytes.length));
            out().fields(f);
            return 0;
        }

        private Graph parse(byte[] onnx, OnnxLimits limits) {
            Graph graph;
            try {
                graph = new OnnxParser(limits).parse(onnx);
            } catch (UnsupportedModelException e) {
                throw new CliException("UNSUPPORTED_MODEL", file + ": " + Errors.message(e));
            } catch (OnnxFormatException e) {
                throw new CliException("INVALID_MODEL", file + ": " + Errors.message(e));
            }
            // Before any data is read: every node must run on both engines.
            try {
                ModelImporter.refuseUnsupported(graph);
            } catch (UnsupportedOperatorException e) {
                throw new CliException("UNSUPPORTED_MODEL", file + ": " + Errors.message(e));
            }
            return graph;
        }

        private static Examples examples(String source, Graph graph, String option) {
            try {
                return ExampleFiles.read(source, graph);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw new CliException("BAD_DATA", option + ": " + Errors.message(e));
            }
        }
    }

    // ------------------------------------------------------------------ run

    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Run a model package on this machine, on one input.", "",
                "The input FILE is either raw float32 little-endian values (the bytes a job sends) or text: the values "
                        + "as numbers separated by commas or white space (one CSV line; a trailing integer class label, as in "
                        + "the import CSV files, is allowed). The output is the model's first output as float32 values; "
                        + "its SHA-256 is that of those values' little-endian bytes, the job output a worker returns.", "",
                "Engines: integer (the bit-exact quantized program every worker runs for provable jobs; prints its "
                        + "step count and final state hash), float (the float reference engine on the ONNX graph), "
                        + "onnxruntime (ONNX Runtime on the ONNX graph, what workers run for trusted jobs)."},
            footer = {"", "Example:", "  verity model run 3f2a...c9 --input digit.csv --engine integer --threads 2"})
    static final class Run extends BaseCommand {
        private static final Pattern NUMERIC = Pattern.compile("[0-9+\\-.eE,\\s]*");
        private static final Pattern PRINTABLE = Pattern.compile("[\\p{Print}\\s]*");

        @Parameters(paramLabel = "ID|FILE", description = "A package id in the local store, or a .vpkg file.")
        String model;

        @Option(names = "--input", paramLabel = "FILE", required = true,
                description = "The input: raw float32 little-endian bytes, or numbers separated by commas or white space.")
        Path input;

        @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "integer",
                description = "integer, float or onnxruntime (default: ${DEFAULT-VALUE}).")
        String engine;

        @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
                description = "Threads for the integer engine (default: ${DEFAULT-VALUE}); the result is the same for any N.")
        int threads;

        @Mixin
        LocalModels.StoreOption store;

        @Override
        protected int execute() throws IOException {
            String eng = engine.strip().toLowerCase(Locale.ROOT);
            if (!List.of("integer", "float", "onnxruntime").contains(eng)) {
                throw usage("unknown engine '" + engine + "'; use integer, float or onnxruntime");
            }
            if (threads < 1 || threads > 256) {
                throw usage("--threads must be between 1 and 256, got " + threads);
            }
            LocalModels.Found found = LocalModels.find(model, store.dir()).orElseThrow(() -> new CliException("NOT_IN_STORE",
                    "model " + model + " is not in the local store " + store.dir() + " (import it with 'verity model import',"
                            + " or give the .vpkg file)"));
            if (!Files.isRegularFile(input)) {
                throw new CliException("NO_SUCH_FILE", Files.exists(input) ? input + " is not a file" : "no such file: " + input);
            }
            ModelPackage pkg = found.pkg();
            String modelName = pkg.metadata().name();
            long loadStart = System.nanoTime();
            PackageRunner runner;
            try {
                runner = new PackageRunner(pkg, EngineOptions.VECTORIZED, eng.equals("integer") ? threads : 1);
            } catch (RuntimeException e) {
                throw new CliException("CANNOT_RUN", "cannot run model " + modelName + ": " + Errors.message(e), null, e);
            }
            try (runner) {
                IoInfo in = pkg.metadata().inputs().get(0);
                String outputName = pkg.metadata().outputs().get(0).name();
                Input parsed = readInput(input, runner.inputSize(), modelName, in);
                int[] shape = runner.decodeInput(parsed.bytes()).shape();
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("model", found.id().hex());
                doc.put("name", modelName);
                doc.put("engine", eng);
                byte[] output;
                long runNanos;
                switch (eng) {
                    case "integer" -> {
                        long t0 = System.nanoTime();
                        RunResult r = runner.runIntegerTrace(parsed.bytes());
                        QuantizedModel q = new QuantizedModel(pkg.program(), List.of());
                        output = PackageRunner.encode(q.dequantizeOutputs(r.outputs()).get(outputName).data());
                        runNanos = System.nanoTime() - t0;
                        doc.put("threads", threads);
                        doc.put("steps", r.stepHashes().size());
                        doc.put("inputHash", r.inputHash().hex());
                        doc.put("finalStepHash", r.finalHash().hex());
                    }
                    case "float" -> {
                        long t0 = System.nanoTime();
                        output = runner.runFloat(parsed.bytes());
                        runNanos = System.nanoTime() - t0;
                    }
                    default -> {
                        OnnxRuntimeRunner ort;
                        try {
                            ort = new OnnxRuntimeRunner(pkg.onnx(), in.name(), shape);
                        } catch (RuntimeException e) {
                            throw new CliException("CANNOT_RUN", "ONNX Runtime cannot load model " + modelName + ": "
                                    + Errors.message(e), null, e);
                        }
                        try (ort) {
                            long t0 = System.nanoTime();
                            output = PackageRunner.encode(ort.run(runner.decodeInput(parsed.bytes()).data()));
                            runNanos = System.nanoTime() - t0;
                        }
                    }
                }
                long totalMillis = (System.nanoTime() - loadStart) / 1_000_000;
                float[] values = floats(output);
                int argmax = argmax(values);
                List<Float> first = new ArrayList<>();
                for (int i = 0; i < Math.min(20, values.length); i++) {
                    first.add(values[i]);
                }
                String outHash = Sha256.digest(output).hex();
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("output", outputName);
                result.put("size", values.length);
                result.put("values", first);
                result.put("truncated", values.length > first.size());
                result.put("argmax", argmax);
                result.put("sha256", outHash);
                doc.put("input", Output.object("file", input.toString(), "format", parsed.format(), "values", runner.inputSize(),
                        "label", parsed.label()));
                doc.put("result", result);
                doc.put("runMillis", runNanos / 1e6);
                doc.put("totalMillis", totalMillis);
                if (out().json()) {
                    out().printJson(doc);
                    return 0;
                }
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("model", modelName + " (" + found.id().hex() + ")");
                f.put("engine", eng + (eng.equals("integer") ? ", " + threads + " thread" + (threads == 1 ? "" : "s") : ""));
                f.put("input", input + " (" + parsed.format() + ", " + runner.inputSize() + " values"
                        + (parsed.label() == null ? "" : ", label " + parsed.label()) + ")");
                f.put("output", outputName + ", " + values.length + " values" + (values.length > 20 ? " (first 20 shown)" : ""));
                f.put("values", format(first));
                f.put("argmax", argmax + (parsed.label() == null ? "" : parsed.label() == argmax ? " (matches the label)"
                        : " (the label is " + parsed.label() + ")"));
                f.put("output sha256", outHash);
                if (eng.equals("integer")) {
                    f.put("steps", doc.get("steps"));
                    f.put("final step hash", doc.get("finalStepHash"));
                }
                f.put("time", String.format(Locale.ROOT, "%.3f ms (%d ms with loading)", runNanos / 1e6, totalMillis));
                out().fields(f);
                return 0;
            }
        }

        /** The input as job bytes, how it was read, and the trailing label of a CSV line (or null). */
        record Input(byte[] bytes, String format, Integer label) {}

        static Input readInput(Path file, int size, String modelName, IoInfo in) throws IOException {
            byte[] raw = Files.readAllBytes(file);
            String expected = "model " + modelName + " takes " + size + " values for input '" + in.name() + "' "
                    + LocalModels.shape(in.shape());
            String text = asText(raw, 4 * size);
            if (text == null) {
                if (raw.length != 4 * size) {
                    throw new CliException("BAD_INPUT", expected + " (" + 4 * size + " bytes of float32), got " + raw.length
                            + " bytes in " + file + (raw.length % 4 == 0 ? " (" + raw.length / 4 + " float32 values)" : ""));
                }
                float[] values = floats(raw);
                for (int i = 0; i < values.length; i++) {
                    if (!Float.isFinite(values[i])) {
                        throw new CliException("BAD_INPUT", file + ": input value " + i + " is not a finite number");
                    }
                }
                return new Input(raw, "float32 little-endian", null);
            }
            List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            String joined = String.join("\n", lines);
            if (lines.size() > 1 && joined.indexOf(',') >= 0) {
                throw new CliException("BAD_INPUT", file + " holds " + lines.size() + " lines of numbers; give one example"
                        + " (one line)");
            }
            String[] cells = joined.strip().split("[\\s,]+");
            Integer label = null;
            int count = cells.length;
            if (count == size + 1 && cells[size].matches("\\d+")) {
                label = Integer.valueOf(cells[size]);
                count = size;
            }
            if (count != size) {
                throw new CliException("BAD_INPUT", expected + ", got " + cells.length + " values in " + file);
            }
            float[] values = new float[size];
            for (int i = 0; i < size; i++) {
                try {
                    values[i] = Float.parseFloat(cells[i]);
                } catch (NumberFormatException e) {
                    values[i] = Float.NaN;
                }
                if (!Float.isFinite(values[i])) {
                    throw new CliException("BAD_INPUT", file + ": value " + (i + 1) + " '" + cells[i] + "' is not a finite number");
                }
            }
            return new Input(PackageRunner.encode(values), "text", label);
        }

        /**
         * The file as text, or null when it is raw float32 bytes: text is valid UTF-8 that holds only numbers,
         * separators and comment lines, or (when it is not exactly {@code rawSize} bytes long) any printable text, whose
         * parse then says what is wrong.
         */
        static String asText(byte[] raw, int rawSize) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(raw)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
            String body = String.join("\n", text.lines().filter(l -> !l.strip().startsWith("#")).toList());
            if (!body.chars().anyMatch(Character::isDigit)) {
                return null;
            }
            if (NUMERIC.matcher(body).matches()) {
                return text;
            }
            return raw.length != rawSize && PRINTABLE.matcher(body).matches() ? text : null;
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

        private static String format(List<Float> values) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < values.size(); i++) {
                sb.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.6g", values.get(i)));
            }
            return sb.toString();
        }
    }

    // ------------------------------------------------------------------ conformance

    @Command(name = "conformance", mixinStandardHelpOptions = true,
            description = {"Run ONNX backend conformance tests on the float reference engine.", "",
                "DIR holds test folders (each with a model.onnx and test_data_set_N folders of input_K.pb/output_K.pb), "
                        + "like ONNX's onnx/backend/test/data (Debian/Ubuntu: libonnx-testdata, under "
                        + "/usr/share/libonnx-testdata/data). Outputs are compared as ONNX's own backend tests do "
                        + "(|actual - expected| <= 1e-7 + 1e-3 * |expected|). A test is pass, fail or unsupported (it uses "
                        + "operators or element types the engine lacks). Exit code 0 when no test failed, 1 otherwise."},
            footer = {"", "Example:", "  verity model conformance /usr/share/libonnx-testdata/data/node"})
    static final class Conformance extends BaseCommand {
        @Parameters(paramLabel = "DIR", description = "The folder to search for test folders.")
        Path dir;

        @Override
        protected int execute() {
            if (!Files.isDirectory(dir)) {
                throw new CliException("NO_SUCH_DIRECTORY", Files.exists(dir) ? dir + " is not a directory" : "no such directory: " + dir);
            }
            ConformanceReport report = new ConformanceRunner().run(dir);
            if (out().json()) {
                List<Map<String, Object>> tests = new ArrayList<>();
                for (TestResult t : report.tests()) {
                    tests.add(Output.object("name", t.name(), "status", t.status().toLowerCase(Locale.ROOT),
                            "maxError", finite(t.maxError()), "integerMaxError", finite(t.integerMaxError()),
                            "unsupportedOps", t.unsupportedOps()));
                }
                out().printJson(Output.object("passed", report.passed(), "failed", report.failed(),
                        "unsupported", report.unsupported(), "tests", tests));
            } else {
                int total = report.tests().size();
                out().line(String.format(Locale.ROOT, "passed       %5d of %d", report.passed(), total));
                out().line(String.format(Locale.ROOT, "failed       %5d of %d", report.failed(), total));
                out().line(String.format(Locale.ROOT, "unsupported  %5d of %d", report.unsupported(), total));
                if (total == 0) {
                    out().line("no test folders (with a model.onnx) under " + dir);
                }
                if (!report.failures().isEmpty()) {
                    out().line();
                    out().line("failures:");
                    for (TestResult t : report.failures()) {
                        out().line("  " + t.name() + (t.maxError() == null ? "" : " (max error " + t.maxError() + ")") + ": "
                                + t.message());
                    }
                }
                if (!report.unsupportedOperatorCounts().isEmpty()) {
                    StringBuilder sb = new StringBuilder();
                    report.unsupportedOperatorCounts().forEach((op, n) -> sb.append(sb.isEmpty() ? "" : ", ").append(op)
                            .append(' ').append(n));
                    out().line();
                    out().line("unsupported operators (tests): " + sb);
                }
                if (verbose) {
                    out().line();
                    report.tests().forEach(t -> out().line("  " + t));
                }
            }
            return report.failed() == 0 ? 0 : 1;
        }

        /** JSON has no infinity or NaN: those (and "nothing compared") are null. */
        private static Double finite(Double d) {
            return d == null || !Double.isFinite(d) ? null : d;
        }
    }

    // ------------------------------------------------------------------ train

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Train a classifier in Java and export it as ONNX (<out>/<dataset>-<arch>.onnx).", "",
                "Data sets: digits (the bundled scikit-learn digits, 8x8, fixed 1,438/359 split) and fashion "
                        + "(Fashion-MNIST, 28x28, 60,000/10,000, read from --data-dir). Architectures: mlp and cnn. "
                        + "Training is deterministic for a given seed. Progress goes to stderr."},
            footer = {"", "Example:", "  verity model train --dataset digits --arch mlp --out models",
                "  verity model import models/digits-mlp.onnx --calibration digits:train \\",
                "      --evaluation digits:test"})
    static final class Train extends BaseCommand {
        @Option(names = "--dataset", paramLabel = "NAME", required = true, description = "digits or fashion.")
        String dataset;

        @Option(names = "--arch", paramLabel = "ARCH", required = true, description = "mlp or cnn.")
        String arch;

        @Option(names = "--epochs", paramLabel = "N",
                description = "Training epochs (default: digits 30; fashion mlp 10, cnn 5).")
        Integer epochs;

        @Option(names = "--seed", paramLabel = "S", description = "Seed of the initial weights and batch order (default: 42).")
        Long seed;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
                description = "Where to write the .onnx file (default: the current directory).")
        Path outDir;

        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "The Fashion-MNIST IDX .gz files (default: " + "/usr/share/datasets/fashion-mnist" + ").")
        Path dataDir;

        @Override
        protected int execute() throws IOException {
            String ds = dataset.strip().toLowerCase(Locale.ROOT);
            String ar = arch.strip().toLowerCase(Locale.ROOT);
            if (!ModelTraining.DATASETS.contains(ds)) {
                throw usage("unknown data set '" + dataset + "'; use one of " + String.join(", ", ModelTraining.DATASETS));
            }
            if (!ModelTraining.ARCHITECTURES.contains(ar)) {
                throw usage("unknown architecture '" + arch + "'; use one of " + String.join(", ", ModelTraining.ARCHITECTURES));
            }
            if (epochs != null && epochs < 1) {
                throw usage("--epochs must be at least 1, got " + epochs);
            }
            TrainingOptions options = TrainingOptions.defaults(ds, ar);
            if (epochs != null) {
                options = options.withEpochs(epochs);
            }
            if (seed != null) {
                options = options.withSeed(seed);
            }
            Path fashion = dataDir != null ? dataDir : FashionMnist.DEFAULT_DIR;
            if (ds.equals("fashion") && !FashionMnist.isInstalled(fashion)) {
                throw new CliException("NO_DATA", "Fashion-MNIST is not in " + fashion + " (the four IDX .gz files); install it"
                        + " with 'apt-get install dataset-fashion-mnist' or give --data-dir DIR");
            }
            out().note(String.format(Locale.ROOT, "training %s-%s: %d epochs, seed %d, learning rate %s, batch %d",
                    ds, ar, options.epochs(), options.seed(), options.learningRate(), options.batchSize()));
            TrainedModel model;
            try {
                model = ModelTraining.train(ds, ar, options, fashion, stats -> out().note(stats.toString()));
            } catch (IllegalStateException | UncheckedIOException e) {
                throw new CliException("TRAINING_FAILED", Errors.message(e), null, e);
            }
            byte[] onnx = model.onnx();
            Files.createDirectories(outDir);
            Path file = outDir.resolve(model.name() + ".onnx");
            Files.write(file, onnx);
            String sha = Sha256.digest(onnx).hex();
            double seconds = model.trainingMillis() / 1000.0;
            if (out().json()) {
                out().printJson(Output.object("dataset", ds, "arch", ar, "epochs", options.epochs(), "seed", options.seed(),
                        "trainAccuracy", round(100 * model.trainAccuracy()), "testAccuracy", round(100 * model.testAccuracy()),
                        "testExamples", model.testSet().size(), "seconds", seconds, "file", file.toString(),
                        "bytes", onnx.length, "sha256", sha));
                return 0;
            }
            out().fields(Output.object(
                    "model", model.name() + " (" + model.network().describe() + ")",
                    "train accuracy", String.format(Locale.ROOT, "%.2f%%", 100 * model.trainAccuracy()),
                    "test accuracy", String.format(Locale.ROOT, "%.2f%% (%d test examples)", 100 * model.testAccuracy(),
                            model.testSet().size()),
                    "time", String.format(Locale.ROOT, "%.1f s (%d epochs)", seconds, options.epochs()),
                    "wrote", file + String.format(Locale.ROOT, " (%,d bytes)", onnx.length),
                    "sha256", sha));
            out().line();
            out().line("next: verity model import " + file + " --calibration " + (ds.equals("digits") ? "digits:train"
                    : "DATA.csv") + (ds.equals("digits") ? " --evaluation digits:test" : ""));
            return 0;
        }

        private static double round(double percent) {
            return Math.round(percent * 100) / 100.0;
        }
    }

    /** Float32 little-endian bytes to values (an empty tail is ignored). */
    static float[] floats(byte[] bytes) {
        float[] v = new float[bytes.length / 4];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
