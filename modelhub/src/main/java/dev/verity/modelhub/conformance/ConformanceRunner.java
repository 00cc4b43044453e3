package dev.verity.modelhub.conformance;

import dev.verity.modelhub.floatengine.FloatEngine;
import dev.verity.modelhub.floatengine.FloatTensor;
import dev.verity.modelhub.floatengine.UnsupportedOperatorException;
import dev.verity.modelhub.graph.DataType;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.TensorData;
import dev.verity.modelhub.graph.ValueInfo;
import dev.verity.modelhub.onnx.OnnxFormatException;
import dev.verity.modelhub.onnx.OnnxParser;
import dev.verity.modelhub.onnx.UnsupportedModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.quantize.Calibrator;
import dev.verity.modelhub.quantize.QuantizedModel;
import dev.verity.modelhub.quantize.Quantizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Runs ONNX backend conformance tests on the float engine. A test is a folder holding {@code model.onnx} and one or
 * more {@code test_data_set_N} folders of {@code input_K.pb} / {@code output_K.pb} TensorProto files, as in ONNX's
 * {@code onnx/backend/test/data} (Debian/Ubuntu package {@code libonnx-testdata}, under
 * {@code /usr/share/libonnx-testdata/data}).
 *
 * <p>Each test is parsed, run on every data set, and its outputs compared with the expected ones as ONNX's backend
 * test runner does: the element types and shapes must match, integer and boolean values must be equal, and float
 * values must satisfy {@code numpy.testing.assert_allclose} with ONNX's defaults {@link #RTOL} and {@link #ATOL},
 * i.e. {@code |actual - expected| <= ATOL + RTOL * |expected|}, NaN matching NaN and infinities matching exactly.
 *
 * <p>Outcomes: PASS; FAIL with the largest absolute error (or the exception's message; no exception escapes from a
 * test); UNSUPPORTED when the model uses operators the engine does not implement (they are listed), element types
 * other than FLOAT, INT64 and BOOL, or other unsupported features (the message says which).
 */
public final class ConformanceRunner {
    /** numpy.testing.assert_allclose's relative tolerance in ONNX's backend tests. */
    public static final double RTOL = 1e-3;
    /** numpy.testing.assert_allclose's absolute tolerance in ONNX's backend tests. */
    public static final double ATOL = 1e-7;

    private static final int MAX_DEPTH = 6;

    private final OnnxParser parser;

    public ConformanceRunner() {
        this(new OnnxParser());
    }

    public ConformanceRunner(OnnxParser parser) {
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    /**
     * Runs every test folder (a folder with a {@code model.onnx}) found under {@code directory}, in name order. Test
     * names are paths relative to {@code directory}.
     *
     * @throws UncheckedIOException if the directory cannot be listed
     */
    public ConformanceReport run(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("not a directory: " + directory);
        }
        List<Path> folders;
        try (Stream<Path> walk = Files.walk(directory, MAX_DEPTH)) {
            folders = walk.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        List<TestResult> results = new ArrayList<>();
        for (Path folder : folders) {
            String name = folder.equals(directory) ? String.valueOf(folder.getFileName())
                    : directory.relativize(folder).toString();
            results.add(runTest(folder, name));
        }
        return ConformanceReport.of(results);
    }

    /** Runs one test folder; never throws. */
    public TestResult runTest(Path folder, String name) {
        try {
            return execute(folder, name);
        } catch (UnsupportedModelException e) {
            return unsupported(name, e.opType() == null ? List.of() : List.of(e.opType()), e.getMessage());
        } catch (UnsupportedOperatorException e) {
            return unsupported(name, List.of(e.opType()), e.getMessage());
        } catch (OnnxFormatException e) {
            return fail(name, null, "cannot parse: " + e.getMessage());
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            return fail(name, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private TestResult execute(Path folder, String name) throws IOException {
        Graph graph = parser.parse(folder.resolve("model.onnx"));
        List<String> missing = FloatEngine.unsupportedOperators(graph);
        if (!missing.isEmpty()) {
            return unsupported(name, missing, "unsupported operators " + missing);
        }
        String typeProblem = unsupportedTypes(graph);
        if (typeProblem != null) {
            return unsupported(name, List.of(), typeProblem);
        }
        FloatEngine engine = new FloatEngine(graph);
        List<Path> dataSets;
        try (Stream<Path> list = Files.list(folder)) {
            dataSets = list.filter(p -> p.getFileName().toString().startsWith("test_data_set_")
                    && Files.isDirectory(p)).sorted().toList();
        }
        if (dataSets.isEmpty()) {
            return fail(name, null, "no test_data_set_* folder");
        }
        double maxError = 0;
        List<Map<String, FloatTensor>> allInputs = new ArrayList<>();
        List<Map<String, TensorData>> allExpected = new ArrayList<>();
        for (Path dataSet : dataSets) {
            Map<String, FloatTensor> inputs = new HashMap<>();
            Map<String, TensorData> expectedOutputs = new HashMap<>();
            allInputs.add(inputs);
            allExpected.add(expectedOutputs);
            int inputCount = countFiles(dataSet, "input_");
            if (inputCount != graph.inputs().size()) {
                return fail(name, null, dataSet.getFileName() + " has " + inputCount + " input files for "
                        + graph.inputs().size() + " graph inputs");
            }
            for (int i = 0; i < inputCount; i++) {
                TensorData t = parser.parseTensor(dataSet.resolve("input_" + i + ".pb"));
                inputs.put(graph.inputs().get(i).name(), toTensor(t, "input_" + i + ".pb"));
            }
            int outputCount = countFiles(dataSet, "output_");
            if (outputCount != graph.outputs().size()) {
                return fail(name, null, dataSet.getFileName() + " has " + outputCount + " output files for "
                        + graph.outputs().size() + " graph outputs");
            }
            Map<String, FloatTensor> actual = engine.run(inputs);
            for (int i = 0; i < outputCount; i++) {
                String output = graph.outputs().get(i).name();
                TensorData expected = parser.parseTensor(dataSet.resolve("output_" + i + ".pb"));
                expectedOutputs.put(output, expected);
                Comparison c = compare(expected, actual.get(output));
                maxError = Math.max(maxError, c.maxError);
                if (c.problem != null) {
                    return fail(name, c.maxError, dataSet.getFileName() + ", output '" + output + "': " + c.problem);
                }
            }
        }
        return new TestResult(name, TestResult.PASS, maxError, integerMaxError(graph, allInputs, allExpected), List.of(), "");
    }

    /**
     * The integer engine's largest absolute error against the expected outputs, after calibrating
     * on the test's own inputs and quantizing; null when the quantizer does not take the model
     * (an operator, a non-float input, or a shape it does not handle).
     */
    static Double integerMaxError(Graph graph, List<Map<String, FloatTensor>> inputs, List<Map<String, TensorData>> expected) {
        for (Node n : graph.nodes()) {
            if (!Quantizer.supportedOperators().contains(n.opType())) {
                return null;
            }
        }
        try {
            for (Map<String, FloatTensor> in : inputs) {
                for (FloatTensor t : in.values()) {
                    if (!t.isFloat()) {
                        return null;
                    }
                }
            }
            QuantizedModel q = new Quantizer().quantize(graph, Calibrator.calibrate(graph, inputs));
            IntegerEngine engine = new IntegerEngine(q.program(), EngineOptions.VECTORIZED);
            double max = 0;
            for (int s = 0; s < inputs.size(); s++) {
                Map<String, FloatTensor> out = q.dequantizeOutputs(engine.run(q.quantizeInputs(inputs.get(s))).outputs());
                for (Map.Entry<String, TensorData> e : expected.get(s).entrySet()) {
                    FloatTensor actual = out.get(e.getKey());
                    float[] want = e.getValue().floats();
                    if (actual == null || !actual.isFloat() || want.length != actual.size()) {
                        return null;
                    }
                    float[] got = actual.data();
                    for (int i = 0; i < want.length; i++) {
                        max = Math.max(max, Math.abs((double) got[i] - want[i]));
                    }
                }
            }
            return max;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Describes the first graph input, output or initializer whose element type the engine cannot compute with. */
    private static String unsupportedTypes(Graph graph) {
        for (ValueInfo v : graph.inputs()) {
            if (!FloatEngine.supportsType(v.type())) {
                return "input '" + v.name() + "' is " + v.type() + "; the float engine computes with FLOAT, INT64 and"
                        + " BOOL only";
            }
        }
        for (ValueInfo v : graph.outputs()) {
            if (!FloatEngine.supportsType(v.type())) {
                return "output '" + v.name() + "' is " + v.type() + "; the float engine computes with FLOAT, INT64"
                        + " and BOOL only";
            }
        }
        for (TensorData t : graph.initializers().values()) {
            if (!FloatEngine.supportsType(t.type())) {
                return "initializer '" + t.name() + "' is " + t.type() + "; the float engine computes with FLOAT,"
                        + " INT64 and BOOL only";
            }
        }
        return null;
    }

    private static FloatTensor toTensor(TensorData t, String file) {
        if (!FloatEngine.supportsType(t.type())) {
            throw new UnsupportedModelException(file + " holds a " + t.type() + " tensor");
        }
        return FloatTensor.fromTensorData(t);
    }

    private static int countFiles(Path dataSet, String prefix) throws IOException {
        try (Stream<Path> list = Files.list(dataSet)) {
            return (int) list.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(prefix) && n.endsWith(".pb")).count();
        }
    }

    /** The outcome of comparing one output: its largest absolute error, and what is wrong (null if it matches). */
    record Comparison(double maxError, String problem) {}

    /** Compares as numpy.testing.assert_allclose(actual, expected, RTOL, ATOL) after checking type and shape. */
    static Comparison compare(TensorData expected, FloatTensor actual) {
        if (actual == null) {
            return new Comparison(Double.POSITIVE_INFINITY, "not computed");
        }
        if (expected.type() != actual.type()) {
            return new Comparison(Double.POSITIVE_INFINITY, "expected element type " + expected.type() + ", got "
                    + actual.type());
        }
        long[] dims = expected.dims();
        int[] shape = actual.shape();
        boolean sameShape = dims.length == shape.length;
        for (int i = 0; sameShape && i < dims.length; i++) {
            sameShape = dims[i] == shape[i];
        }
        if (!sameShape) {
            return new Comparison(Double.POSITIVE_INFINITY, "expected shape " + Arrays.toString(dims) + ", got "
                    + Arrays.toString(shape));
        }
        double maxError = 0;
        int mismatches = 0;
        int worst = -1;
        double worstExcess = 0;
        if (expected.type() == DataType.FLOAT) {
            float[] e = expected.floats();
            float[] a = actual.data();
            for (int i = 0; i < e.length; i++) {
                double error;
                boolean ok;
                if (Float.isNaN(e[i]) || Float.isNaN(a[i])) {
                    ok = Float.isNaN(e[i]) && Float.isNaN(a[i]);
                    error = ok ? 0 : Double.POSITIVE_INFINITY;
                } else if (Float.isInfinite(e[i]) || Float.isInfinite(a[i])) {
                    ok = e[i] == a[i];
                    error = ok ? 0 : Double.POSITIVE_INFINITY;
                } else {
                    error = Math.abs((double) a[i] - e[i]);
                    ok = error <= ATOL + RTOL * Math.abs((double) e[i]);
                }
                maxError = Math.max(maxError, error);
                if (!ok) {
                    mismatches++;
                    double excess = error - (ATOL + RTOL * Math.abs((double) e[i]));
                    if (worst < 0 || excess > worstExcess || Double.isNaN(excess)) {
                        worst = i;
                        worstExcess = excess;
                    }
                }
            }
            if (mismatches > 0) {
                return new Comparison(maxError, mismatches + " of " + e.length + " values differ beyond atol "
                        + ATOL + " + rtol " + RTOL + " * |expected|; max abs error " + maxError + "; worst at index "
                        + worst + ": expected " + e[worst] + ", got " + a[worst]);
            }
        } else {
            long[] e = expected.longs();
            long[] a = actual.longs();
            for (int i = 0; i < e.length; i++) {
                if (e[i] != a[i]) {
                    maxError = Math.max(maxError, Math.abs((double) a[i] - e[i]));
                    if (worst < 0) {
                        worst = i;
                    }
                    mismatches++;
                }
            }
            if (mismatches > 0) {
                return new Comparison(maxError, mismatches + " of " + e.length + " values differ; first at index "
                        + worst + ": expected " + e[worst] + ", got " + a[worst]);
            }
        }
        return new Comparison(maxError, null);
    }

    private static TestResult unsupported(String name, List<String> ops, String message) {
        return new TestResult(name, TestResult.UNSUPPORTED, null, null, ops, message);
    }

    private static TestResult fail(String name, Double maxError, String message) {
        return new TestResult(name, TestResult.FAIL, maxError, null, List.of(), message);
    }

    /** Command line: runs the test folders under each argument and prints a summary, failures and unsupported ops. */
    public static void main(String[] args) {
        ConformanceRunner runner = new ConformanceRunner();
        for (String arg : args) {
            ConformanceReport report = runner.run(Path.of(arg));
            System.out.println(arg + ": " + report.summary());
            for (TestResult t : report.failures()) {
                System.out.println("  " + t);
            }
            System.out.println("  unsupported operators (tests): " + report.unsupportedOperatorCounts());
            if (Boolean.getBoolean("conformance.verbose")) {
                report.tests().forEach(t -> System.out.println("    " + t));
            }
        }
    }
}
