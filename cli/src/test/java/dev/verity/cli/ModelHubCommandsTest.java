package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.modelhub.train.Dataset;
import dev.verity.modelhub.train.Digits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verity model import|show|run|conformance|train}: the local model hub commands, no node needed. */
class ModelHubCommandsTest {
    /** Nothing listens here: a local package's on-chain lookup fails fast, whatever runs on this machine. */
    static final String NO_NODE = "http://127.0.0.1:1";
    static final Path RELU_TEST = Path.of("/usr/share/libonnx-testdata/data/node/test_relu");
    static final Path ACOS_TEST = Path.of("/usr/share/libonnx-testdata/data/node/test_acos");

    @TempDir
    static Path dir;

    static Path store;
    static Path onnx;
    static JsonNode imported;
    static String id;
    static Path digitCsv;
    static int digitLabel;

    @BeforeAll
    static void importTheShippedDigitsMlp() throws IOException {
        store = dir.resolve("store");
        onnx = dir.resolve("digits-mlp.onnx");
        try (InputStream in = ModelHubCommandsTest.class.getResourceAsStream("/models/digits-mlp.onnx")) {
            assertThat(in).as("the shipped digits MLP on the classpath").isNotNull();
            Files.write(onnx, in.readAllBytes());
        }
        CliRun.Result r = CliRun.run("model", "import", onnx.toString(), "--calibration", "digits:train", "--evaluation",
                "digits:test", "--store", store.toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        imported = r.json();
        id = imported.get("id").asText();

        Dataset test = Digits.split().test();
        digitCsv = dir.resolve("digit.csv");
        Files.writeString(digitCsv, csv(test.inputs()[0]) + "\n", StandardCharsets.UTF_8);
        digitLabel = test.labels()[0];
    }

    static String csv(float[] values) {
        return IntStream.range(0, values.length).mapToObj(i -> Float.toString(values[i])).collect(Collectors.joining(","));
    }

    static List<Path> filesIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.toList();
        }
    }

    static void assertOneErrorLine(CliRun.Result r) {
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").doesNotContain("\tat ");
        assertThat(r.err().strip()).doesNotContain("\n");
    }

    @Test
    void importStoresThePackageWithFloatAndIntegerAccuracyWithinOnePoint() throws IOException {
        assertThat(id).matches("[0-9a-f]{64}");
        Path file = store.resolve(id + ".vpkg");
        assertThat(file).isRegularFile();
        assertThat(imported.get("path").asText()).isEqualTo(file.toString());
        assertThat(dev.verity.service.model.ModelStore.sha256(file)).isEqualTo(id);
        assertThat(imported.get("name").asText()).isEqualTo("digits-mlp");
        assertThat(imported.get("operators").toString()).isEqualTo("[\"Gemm\",\"Relu\"]");
        assertThat(imported.get("computeUnits").asLong()).isPositive();
        assertThat(imported.get("inputs").get(0).get("name").asText()).isEqualTo("input");
        assertThat(imported.get("outputs").get(0).get("shape").toString()).isEqualTo("[-1,10]");
        assertThat(imported.get("evaluationExamples").asInt()).isEqualTo(Digits.TEST_SIZE);
        double floatAccuracy = imported.get("floatAccuracy").asDouble();
        double integerAccuracy = imported.get("integerAccuracy").asDouble();
        assertThat(floatAccuracy).isGreaterThan(95.0);
        assertThat(Math.abs(floatAccuracy - integerAccuracy)).as("float %s vs integer %s", floatAccuracy, integerAccuracy)
                .isLessThanOrEqualTo(1.0);

        // The same inputs give the same package; the human output says so too.
        CliRun.Result again = CliRun.run("model", "import", onnx.toString(), "--calibration", "digits:train", "--evaluation",
                "digits:test", "--store", store.toString());
        assertThat(again.exitCode()).as("%s", again).isZero();
        assertThat(again.out()).contains(id).contains("float accuracy:").contains("integer accuracy:").contains("Gemm, Relu")
                .contains(file.toString());
        assertThat(filesIn(store)).containsExactly(file);
    }

    @Test
    void showPrintsTheLocalPackagesMetadata() {
        CliRun.Result r = CliRun.run("model", "show", id, "--store", store.toString(), "--api", NO_NODE);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.out()).contains("name:").contains("digits-mlp").contains(id)
                .contains("onnx hash:").contains(imported.get("onnxHash").asText())
                .contains("input FLOAT[?, 64]").contains("logits FLOAT[?, 10]").contains("Gemm, Relu")
                .contains(String.format(java.util.Locale.ROOT, "%.2f%%", imported.get("floatAccuracy").asDouble()))
                .contains(String.format(java.util.Locale.ROOT, "%.2f%%", imported.get("integerAccuracy").asDouble()))
                .contains("2 integer ops").contains("on chain:");

        CliRun.Result json = CliRun.run("model", "show", id, "--store", store.toString(), "--api", NO_NODE, "--json");
        assertThat(json.exitCode()).as("%s", json).isZero();
        JsonNode doc = json.json();
        assertThat(doc.get("id").asText()).isEqualTo(id);
        assertThat(doc.get("programOps").asInt()).isEqualTo(2);
        assertThat(doc.get("floatAccuracy").asDouble()).isEqualTo(imported.get("floatAccuracy").asDouble());
        assertThat(doc.get("onChainStatus").asText()).isEqualTo("unknown");
        assertThat(doc.get("onChain").isNull()).isTrue();

        // A .vpkg file works as well as an id.
        CliRun.Result byFile = CliRun.run("model", "show", store.resolve(id + ".vpkg").toString(), "--api", NO_NODE, "--json");
        assertThat(byFile.exitCode()).as("%s", byFile).isZero();
        assertThat(byFile.json().get("id").asText()).isEqualTo(id);
    }

    @Test
    void showOfAnIdNotInTheStoreAsksTheNodeAsBefore() {
        String other = "ab".repeat(32);
        CliRun.Result r = CliRun.run("model", "show", other, "--store", store.toString(), "--api", NO_NODE);
        assertOneErrorLine(r);
        assertThat(r.err()).contains("cannot reach");

        CliRun.Result bad = CliRun.run("model", "show", "not-an-id", "--store", store.toString(), "--api", NO_NODE);
        assertThat(bad.exitCode()).as("%s", bad).isEqualTo(2);
        assertThat(bad.err()).contains("neither a model id");
    }

    private static JsonNode run(String engine, String... extra) {
        String[] base = {"model", "run", id, "--input", digitCsv.toString(), "--engine", engine, "--store", store.toString(), "--json"};
        String[] args = Stream.concat(Arrays.stream(base), Arrays.stream(extra)).toArray(String[]::new);
        CliRun.Result r = CliRun.run(args);
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r.json();
    }

    @Test
    void runGivesTheSameArgmaxOnEveryEngineAndTheIntegerEngineIsBitExact() throws IOException {
        JsonNode integer = run("integer");
        JsonNode floats = run("float");
        JsonNode ort = run("onnxruntime");
        int argmax = integer.get("result").get("argmax").asInt();
        assertThat(argmax).isEqualTo(digitLabel);
        assertThat(floats.get("result").get("argmax").asInt()).isEqualTo(argmax);
        assertThat(ort.get("result").get("argmax").asInt()).isEqualTo(argmax);
        assertThat(integer.get("result").get("size").asInt()).isEqualTo(10);
        assertThat(integer.get("result").get("values")).hasSize(10);
        assertThat(integer.get("steps").asInt()).isPositive();
        assertThat(integer.get("finalStepHash").asText()).matches("[0-9a-f]{64}");
        assertThat(floats.has("steps")).isFalse();

        String hash = integer.get("result").get("sha256").asText();
        JsonNode again = run("integer");
        JsonNode threaded = run("integer", "--threads", "2");
        assertThat(again.get("result").get("sha256").asText()).isEqualTo(hash);
        assertThat(threaded.get("result").get("sha256").asText()).isEqualTo(hash);
        assertThat(threaded.get("finalStepHash").asText()).isEqualTo(integer.get("finalStepHash").asText());
        assertThat(threaded.get("threads").asInt()).isEqualTo(2);

        // The same input as raw float32 little-endian bytes (what a job sends) gives the same output.
        Path raw = dir.resolve("digit.f32");
        Files.write(raw, PackageRunner.encode(Digits.split().test().inputs()[0]));
        CliRun.Result r = CliRun.run("model", "run", id, "--input", raw.toString(), "--store", store.toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.json().get("input").get("format").asText()).contains("float32");
        assertThat(r.json().get("result").get("sha256").asText()).isEqualTo(hash);

        CliRun.Result human = CliRun.run("model", "run", id, "--input", digitCsv.toString(), "--store", store.toString());
        assertThat(human.exitCode()).as("%s", human).isZero();
        assertThat(human.out()).contains("argmax:").contains("output sha256:").contains(hash).contains("steps:")
                .contains("final step hash:").contains("time:");
    }

    @Test
    void runRefusesAnInputOfTheWrongSize() throws IOException {
        Path shortCsv = dir.resolve("short.csv");
        Files.writeString(shortCsv, "1,2,3\n", StandardCharsets.UTF_8);
        CliRun.Result r = CliRun.run("model", "run", id, "--input", shortCsv.toString(), "--store", store.toString());
        assertOneErrorLine(r);
        assertThat(r.err()).contains("takes 64 values").contains("got 3 values");

        Path shortRaw = dir.resolve("short.f32");
        Files.write(shortRaw, PackageRunner.encode(new float[] {0.5f, 0.25f, 0.125f}));
        CliRun.Result raw = CliRun.run("model", "run", id, "--input", shortRaw.toString(), "--store", store.toString());
        assertOneErrorLine(raw);
        assertThat(raw.err()).contains("takes 64 values").contains("256 bytes").contains("got 12 bytes");

        CliRun.Result missing = CliRun.run("model", "run", "cd".repeat(32), "--input", digitCsv.toString(), "--store",
                store.toString());
        assertOneErrorLine(missing);
        assertThat(missing.err()).contains("not in the local store");
    }

    @Test
    void importOfABrokenFileFailsAndStoresNothing() throws IOException {
        Path empty = dir.resolve("empty-store");
        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "this is not an ONNX model, just some text\n", StandardCharsets.UTF_8);
        CliRun.Result r = CliRun.run("model", "import", text.toString(), "--calibration", "digits:train", "--store", empty.toString());
        assertOneErrorLine(r);
        assertThat(r.err()).contains("not a valid ONNX model");

        byte[] bytes = Files.readAllBytes(onnx);
        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        CliRun.Result t = CliRun.run("model", "import", truncated.toString(), "--calibration", "digits:train", "--store",
                empty.toString());
        assertOneErrorLine(t);
        assertThat(t.err()).contains("truncated");

        CliRun.Result json = CliRun.run("model", "import", truncated.toString(), "--calibration", "digits:train", "--store",
                empty.toString(), "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(json.json().get("code").asText()).isEqualTo("INVALID_MODEL");

        assertThat(filesIn(empty)).isEmpty();
    }

    @Test
    void modelsBeyondTheLimitsAreRefusedAndNothingIsStored() throws IOException {
        Path empty = dir.resolve("empty-store-limits");
        CliRun.Result nodes = CliRun.run("model", "import", onnx.toString(), "--calibration", "digits:train", "--store",
                empty.toString(), "--max-nodes", "1");
        assertOneErrorLine(nodes);
        assertThat(nodes.err()).contains("nodes");
        CliRun.Result tensor = CliRun.run("model", "import", onnx.toString(), "--calibration", "digits:train", "--store",
                empty.toString(), "--max-tensor-elements", "100");
        assertOneErrorLine(tensor);
        assertThat(tensor.err()).contains("100");
        CliRun.Result size = CliRun.run("model", "import", onnx.toString(), "--calibration", "digits:train", "--store",
                empty.toString(), "--max-model-bytes", "1000");
        assertOneErrorLine(size);
        assertThat(size.err()).contains("over the limit of 1000 bytes");
        assertThat(filesIn(empty)).isEmpty();
    }

    @Test
    void calibrationRowsOfTheWrongSizeAreRefusedNamingTheSizes() throws IOException {
        Path empty = dir.resolve("empty-store-2");
        Path cal = dir.resolve("cal.csv");
        Files.writeString(cal, "0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0\n", StandardCharsets.UTF_8);
        CliRun.Result r = CliRun.run("model", "import", onnx.toString(), "--calibration", cal.toString(), "--store", empty.toString());
        assertOneErrorLine(r);
        assertThat(r.err()).contains("--calibration").contains("10 values").contains("needs 64");
        assertThat(filesIn(empty)).isEmpty();
    }

    @Test
    void importOfAnUnsupportedOperatorNamesItAndItsNode() throws IOException {
        assertThat(ACOS_TEST).as("ONNX's backend test data: install it with `apt-get install libonnx-testdata` (./verity test does)").isDirectory();
        Path empty = dir.resolve("empty-store-3");
        CliRun.Result r = CliRun.run("model", "import", ACOS_TEST.resolve("model.onnx").toString(), "--calibration",
                "digits:train", "--store", empty.toString());
        assertOneErrorLine(r);
        assertThat(r.err()).contains("operator Acos").contains("node 'y'");
        assertThat(filesIn(empty)).isEmpty();
    }

    @Test
    void conformanceOnOneCopiedTestFolderPasses() throws IOException {
        assertThat(RELU_TEST).as("ONNX's backend test data: install it with `apt-get install libonnx-testdata` (./verity test does)").isDirectory();
        Path tests = dir.resolve("conformance");
        copyTree(RELU_TEST, tests.resolve("test_relu"));
        CliRun.Result r = CliRun.run("model", "conformance", tests.toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("passed").asInt()).isEqualTo(1);
        assertThat(doc.get("failed").asInt()).isZero();
        assertThat(doc.get("unsupported").asInt()).isZero();
        JsonNode test = doc.get("tests").get(0);
        assertThat(test.get("name").asText()).isEqualTo("test_relu");
        assertThat(test.get("status").asText()).isEqualTo("pass");
        assertThat(test.get("maxError").isNumber()).isTrue();
        assertThat(test.has("integerMaxError")).isTrue();
        assertThat(test.get("unsupportedOps").isArray()).isTrue();

        CliRun.Result human = CliRun.run("model", "conformance", tests.toString());
        assertThat(human.exitCode()).as("%s", human).isZero();
        assertThat(human.out()).contains("passed").contains("failed").contains("unsupported");
    }

    @Test
    void trainWritesTheOnnxFile() throws IOException {
        Path out = dir.resolve("trained");
        CliRun.Result r = CliRun.run("model", "train", "--dataset", "digits", "--arch", "mlp", "--epochs", "2", "--out",
                out.toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        Path file = out.resolve("digits-mlp.onnx");
        assertThat(file).isRegularFile();
        assertThat(r.json().get("file").asText()).isEqualTo(file.toString());
        assertThat(r.json().get("testAccuracy").asDouble()).isGreaterThan(50.0);
        assertThat(r.err()).contains("epoch 2/2");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
