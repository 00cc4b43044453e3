package dev.verity.compute.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.verity.service.model.ModelStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled MiniLM on the real ONNX Runtime; the session is loaded once for the class. */
class SentenceEmbeddingRunnerTest {
    @TempDir
    static Path storeDir;

    private static BundledModels.BundledModel model;
    private static SentenceEmbeddingRunner runner;

    @BeforeAll
    static void open() {
        model = BundledModels.installMiniLm(new ModelStore(storeDir));
        runner = SentenceEmbeddingRunner.open(model.modelPath(), model.tokenizerPath());
    }

    @AfterAll
    static void close() {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void bundledModelIsInstalledAndDescribed() {
        assertThat(model.name()).isEqualTo("all-MiniLM-L6-v2-q");
        assertThat(model.sha256Hex()).matches("[0-9a-f]{64}");
        assertThat(model.modelPath()).isEqualTo(storeDir.resolve(model.sha256Hex() + ".onnx"));
        assertThat(model.tokenizerPath()).isEqualTo(storeDir.resolve(model.sha256Hex() + ".tokenizer.json"));
        assertThat(model.inputDescription()).isEqualTo("UTF-8 text, up to 256 WordPiece tokens");
        assertThat(model.outputDescription()).isEqualTo("384 float32 little-endian, L2-normalized sentence embedding");
        assertThat(model.info().operators()).isNotEmpty();
        assertThat(model.info().computeUnits()).isPositive();
        assertThat(runner.dimension()).isEqualTo(384);

        // Installing again changes nothing.
        BundledModels.BundledModel again = BundledModels.installMiniLm(new ModelStore(storeDir));
        assertThat(again).isEqualTo(model);
    }

    @Test
    void similarSentencesAreCloser() {
        float[] cat = runner.embed("The cat sits on the mat");
        float[] cat2 = runner.embed("A cat is sitting on a mat");
        float[] stocks = runner.embed("Stock markets fell sharply today");
        assertThat(cosine(cat, cat2)).isGreaterThan(cosine(cat, stocks) + 0.3);
    }

    @Test
    void outputIs384NormalizedFloats() {
        byte[] out = runner.run("The cat sits on the mat".getBytes(StandardCharsets.UTF_8));
        assertThat(out).hasSize(384 * 4);
        float[] v = SentenceEmbeddingRunner.decodeEmbedding(out);
        assertThat(v).hasSize(384);
        assertThat(Math.sqrt(dot(v, v))).isCloseTo(1.0, within(1e-5));
        assertThat(v).isEqualTo(runner.embed("The cat sits on the mat"));
    }

    @Test
    void sameInputGivesIdenticalBytes() {
        byte[] input = "Verifiable inference needs reproducible outputs.".getBytes(StandardCharsets.UTF_8);
        assertThat(runner.run(input)).isEqualTo(runner.run(input));
    }

    @Test
    void concurrentRunsAgreeWithSequentialRuns() throws Exception {
        List<String> texts = List.of("first sentence", "a second, longer sentence about cats", "third", "");
        List<byte[]> expected = texts.stream().map(t -> runner.run(t.getBytes(StandardCharsets.UTF_8))).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> futures = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (String t : texts) {
                    futures.add(pool.submit(() -> runner.run(t.getBytes(StandardCharsets.UTF_8))));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(expected.get(i % texts.size()));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void embeddingsAreThoseOfTheFormerHandWrittenTokenizer() {
        // Recorded with the project's former WordPiece tokenizer before the move to the Hugging Face library.
        assertThat(runner.embed("The cat sits on the mat"))
                .startsWith(new float[] {0.12573113f, -0.023508407f, -0.026567612f}, within(1e-5f));
        assertThat(runner.embed("Café NAÏVE déjà vu — Ångström")[383]).isCloseTo(-0.057919253f, within(1e-5f));
        assertThat(runner.embed("[SEP] [CLS] [MASK] injection"))
                .startsWith(new float[] {-0.0025671716f, 0.036631003f, -0.035149343f}, within(1e-5f));
        assertThat(runner.embed("")).startsWith(new float[] {-0.09368995f, 0.037654385f, 0.005246423f}, within(1e-5f));
    }

    @Test
    void longInputIsTruncatedNotRejected() {
        String longText = "The quick brown fox jumps over the lazy dog. ".repeat(400);
        float[] v = runner.embed(longText);
        assertThat(v).hasSize(384);
        // Only the first 256 tokens count, so appending text past them changes nothing.
        assertThat(runner.embed(longText + " Stock markets fell sharply today")).isEqualTo(v);
    }

    @Test
    void malformedUtf8IsRejected() {
        byte[] bad = {'h', 'i', (byte) 0xC3, (byte) 0x28};
        assertThatThrownBy(() -> runner.run(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid UTF-8")
                .hasMessageContaining("byte 2");
        assertThatThrownBy(() -> SentenceEmbeddingRunner.decodeEmbedding(new byte[5]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonModelFileIsRejectedByTheRuntime() throws Exception {
        Path junk = Files.writeString(storeDir.resolve("junk.onnx"), "not a model");
        assertThatThrownBy(() -> SentenceEmbeddingRunner.open(junk, model.tokenizerPath()))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("ONNX Runtime cannot load");
    }

    @Test
    void closedRunnerRefusesWork() {
        SentenceEmbeddingRunner second = SentenceEmbeddingRunner.open(model.modelPath(), model.tokenizerPath(), 2);
        assertThat(second.embed("hello")).isEqualTo(runner.embed("hello"));
        second.close();
        second.close(); // idempotent
        assertThatThrownBy(() -> second.embed("hello"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double cosine(float[] a, float[] b) {
        return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
    }
}
