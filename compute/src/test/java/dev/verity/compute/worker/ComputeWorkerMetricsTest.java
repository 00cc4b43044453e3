package dev.verity.compute.worker;

import static dev.verity.validator.api.ApiFixture.ALICE;
import static dev.verity.validator.api.ApiFixture.NODE;
import static dev.verity.validator.api.ApiFixture.VRT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.compute.metrics.WorkerMetrics;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Hardware;
import dev.verity.sdk.Wallet;
import dev.verity.service.metrics.MetricsServer;
import dev.verity.service.metrics.Registries;
import dev.verity.service.model.ModelStore;
import dev.verity.testkit.PrometheusText;
import dev.verity.validator.api.ApiFixture;
import dev.verity.validator.consensus.SingleValidatorConsensus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker's metrics after its jobs settle on a real chain, served by a {@link MetricsServer} as a compute node
 * program would: results and failures by mode and reason, the inference latency histogram, the device, fees earned.
 */
class ComputeWorkerMetricsTest {
    @TempDir
    Path dir;

    @Test
    void countersAndLatencyAfterJobsSettle() throws Exception {
        Hash model = Sha256.digest(Bytes.utf8("worker metrics model"));
        PrometheusMeterRegistry registry = Registries.prometheus();
        try (ApiFixture f = new ApiFixture(dir);
             ModelRunners runners = new ModelRunners(new ModelStore(dir.resolve("models"))).with(model, new EchoRunner());
             MetricsServer server = new MetricsServer(registry, "127.0.0.1", 0)) {
            f.wallet(ALICE).registerModel(model, "echo", "text", "the text echoed", 1_000);
            f.produce();
            f.wallet(NODE).registerNode(2_000 * VRT, List.of(model), List.of(VerificationMode.NONE),
                    Hardware.cpuOnly("test CPU", 4), 4);
            f.produce();
            Hash fine = f.wallet(ALICE).submitJob(model, Bytes.utf8("fine"), VerificationMode.NONE, List.of(), VRT, 100);
            Hash poison = f.wallet(ALICE).submitJob(model, Bytes.utf8("poison"), VerificationMode.NONE, List.of(), VRT, 100);
            f.produce();

            SingleValidatorConsensus blocks = new SingleValidatorConsensus(f.chain, 40);
            ComputeWorker w = new ComputeWorker(f.client, new Wallet(f.client, NODE), runners, null,
                    new ComputeWorker.Config(Duration.ofMillis(20), 4)).metrics(new WorkerMetrics(registry));
            server.start();
            try {
                blocks.start();
                w.start();
                await(() -> Set.of("SETTLED").contains(f.client.job(fine).status())
                        && Set.of("FAILED").contains(f.client.job(poison).status()));
                await(() -> w.completed() == 1 && w.failuresPosted().values().stream().mapToLong(Long::longValue).sum() == 1);
                w.readNodeView();
            } finally {
                w.close();
                blocks.close();
            }

            String node = NODE.publicKey().hex().substring(0, 16);
            String m = model.hex().substring(0, 16);
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            var samples = PrometheusText.parse(r.body());
            assertThat(value(samples, "verity_worker_results_total", "node", node, "mode", "NONE")).isEqualTo(1);
            assertThat(value(samples, "verity_worker_failures_total", "node", node, "mode", "NONE", "reason", "INPUT_REJECTED"))
                    .isEqualTo(1);
            assertThat(value(samples, "verity_worker_inference_seconds_count", "node", node, "model", m, "mode", "NONE"))
                    .isEqualTo(2);
            assertThat(value(samples, "verity_worker_inference_seconds_bucket", "node", node, "model", m, "mode", "NONE",
                    "le", "+Inf")).isEqualTo(2);
            assertThat(value(samples, "verity_worker_device", "node", node, "device", "cpu")).isEqualTo(1);
            assertThat(value(samples, "verity_worker_jobs_in_flight", "node", node)).isZero();
            assertThat(value(samples, "verity_worker_jobs_queued", "node", node)).isZero();
            long earned = f.client.node(NODE.publicKey()).earned();
            assertThat(earned).isPositive();
            assertThat(value(samples, "verity_worker_fees_earned_base_units", "node", node)).isEqualTo(earned);
            assertThat(value(samples, "verity_worker_penalties_base_units", "node", node)).isZero();
            assertThat(value(samples, "verity_worker_jobs_completed_onchain", "node", node)).isEqualTo(2);
        }
    }

    private static double value(List<PrometheusText.Sample> samples, String name, String... labels) {
        return PrometheusText.value(samples, name, labels);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s").isLessThan(end);
            Thread.sleep(20);
        }
    }
}
