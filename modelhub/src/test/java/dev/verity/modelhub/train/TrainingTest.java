package dev.verity.modelhub.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrainingTest {
    private static Split digits;

    @BeforeAll
    static void load() {
        digits = Digits.split();
    }

    /** Two epochs already classify most held-out digits, and the same seed gives the same weights, bit for bit. */
    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn"})
    void shortRunIsSaneAndDeterministic(String architecture) {
        TrainingOptions options = TrainingOptions.defaults("digits", architecture).withEpochs(2);
        TrainedModel first = ModelTraining.train("digits", architecture, digits, options, stats -> {});
        TrainedModel second = ModelTraining.train("digits", architecture, digits, options, stats -> {});
        TrainedModel otherSeed = ModelTraining.train("digits", architecture, digits, options.withSeed(43), stats -> {});

        assertThat(first.testAccuracy()).isGreaterThan(0.80);
        assertThat(first.trainAccuracy()).isGreaterThan(0.80);
        assertThat(first.history()).hasSize(2);
        assertThat(first.history().get(1).meanLoss()).isLessThan(first.history().get(0).meanLoss());
        assertThat(first.testSet().size()).isEqualTo(Digits.TEST_SIZE);
        assertThat(first.graph().name()).isEqualTo("digits-" + architecture);

        assertThat(second.network().parameters()).isEqualTo(first.network().parameters());
        assertThat(second.onnx()).isEqualTo(first.onnx());
        assertThat(second.testAccuracy()).isEqualTo(first.testAccuracy());
        assertThat(otherSeed.network().parameters()).isNotEqualTo(first.network().parameters());
    }

    @Test
    void exportedGraphsHaveTheDocumentedShape() {
        assertThat(Mlp.forDigits(1).toGraph("m", false).operators()).containsExactly("Gemm", "Relu");
        var cnn = Cnn.forDigits(1).toGraph("c", true);
        assertThat(cnn.operators()).containsExactly("Conv", "Flatten", "Gemm", "MaxPool", "Relu", "Softmax");
        assertThat(cnn.inputs().get(0).dims()).containsExactly(-1L, 1L, 8L, 8L);
        assertThat(cnn.outputs()).extracting(v -> v.name()).containsExactly("logits", "probabilities");
        assertThat(Cnn.forFashion(1).toGraph("f", false).inputs().get(0).dims()).containsExactly(-1L, 1L, 28L, 28L);
        assertThat(Mlp.forFashion(1).toGraph("f", false).inputs().get(0).dims()).containsExactly(-1L, 784L);
        assertThat(Cnn.forFashion(1).toGraph("f", false).initializers().get("fc.weight").dims()).containsExactly(10, 784);
        assertThat(Mlp.forDigits(1).parameterCount()).isEqualTo(64 * 32 + 32 + 32 * 10 + 10);
        assertThat(Cnn.forDigits(1).parameterCount()).isEqualTo(8 * 9 + 8 + 128 * 10 + 10);
    }

    /** The written-out backward passes agree with central differences of the loss. */
    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn"})
    void gradientsMatchFiniteDifferences(String architecture) {
        Network network = architecture.equals("mlp")
                ? new Mlp(12, 7, 4, 5)
                : new Cnn(2, 6, 6, List.of(new Cnn.ConvBlock(3, 3), new Cnn.ConvBlock(2, 3)), 4, 5);
        Random random = new Random(9);
        float[] x = new float[network.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextFloat();
        }
        int label = 2;
        for (Param p : network.params()) {
            java.util.Arrays.fill(p.grad, 0f);
        }
        network.backward(network.logits(x), label, 1f);
        int checked = 0;
        for (Param p : network.params()) {
            for (int i = 0; i < p.value.length; i += Math.max(1, p.value.length / 9)) {
                float saved = p.value[i];
                float h = 1e-3f; // small enough not to cross a ReLU or max-pool kink here
                p.value[i] = saved + h;
                double up = loss(network, x, label);
                p.value[i] = saved - h;
                double down = loss(network, x, label);
                p.value[i] = saved;
                double numeric = (up - down) / (2 * h);
                assertThat((double) p.grad[i]).as("%s[%d]", p.name, i)
                        .isCloseTo(numeric, within(2e-3 + 2e-2 * Math.abs(numeric)));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    private static double loss(Network network, float[] x, int label) {
        float[] p = Network.softmax(network.logits(x));
        return -Math.log(p[label]);
    }

    @Test
    void commandLineWritesTheModelAndPrintsAccuracies(@TempDir Path out) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status = ModelTraining.run(new String[] {"digits", "mlp", "--epochs", "1", "--out", out.toString()},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String printed = stdout.toString(StandardCharsets.UTF_8);
        assertThat(status).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(printed).contains("MLP 64→32→10", "1438 training, 359 test images", "epoch 1/1", "test accuracy",
                "digits-mlp.onnx");
        byte[] written = Files.readAllBytes(out.resolve("digits-mlp.onnx"));
        assertThat(written).isEqualTo(ModelTraining.train("digits", "mlp", TrainingOptions.defaults("digits", "mlp").withEpochs(1)).onnx());
    }

    @Test
    void commandLineRejectsBadUsageAndMissingData(@TempDir Path empty) {
        List<Integer> statuses = new ArrayList<>();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        statuses.add(ModelTraining.run(new String[] {"mnist", "mlp"}, out, err));
        statuses.add(ModelTraining.run(new String[] {"digits", "mlp", "--epochs"}, out, err));
        statuses.add(ModelTraining.run(new String[] {"digits", "mlp", "--epochs", "0"}, out, err));
        statuses.add(ModelTraining.run(new String[] {"digits", "mlp", "--frobnicate", "1"}, out, err));
        assertThat(statuses).containsOnly(2);
        assertThat(ModelTraining.run(new String[] {"fashion", "mlp", "--data-dir", empty.toString()}, out, err)).isEqualTo(1);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("usage:", "apt-get install dataset-fashion-mnist");
        assertThatThrownBy(() -> ModelTraining.train("digits", "rnn", TrainingOptions.defaults("digits", "mlp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rnn");
    }
}
