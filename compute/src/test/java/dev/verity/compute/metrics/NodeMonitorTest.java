package dev.verity.compute.metrics;

import static dev.verity.validator.api.ApiFixture.ALICE;
import static dev.verity.validator.api.ApiFixture.NODE;
import static dev.verity.validator.api.ApiFixture.VRT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.compute.worker.ComputeWorker;
import dev.verity.compute.worker.EchoRunner;
import dev.verity.compute.worker.ModelRunners;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Hardware;
import dev.verity.sdk.Wallet;
import dev.verity.service.model.ModelStore;
import dev.verity.testkit.PrometheusText;
import dev.verity.validator.api.ApiFixture;
import dev.verity.validator.consensus.SingleValidatorConsensus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running worker's own health and metrics server, as {@code verity node run --metrics} starts it once the node's
 * program runs, over real HTTP: the worker's series after jobs settle on a real chain, /healthz, and /readyz that
 * fails while the worker is paused and once the validator is gone.
 */
class NodeMonitorTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void servesTheWorkersSeriesAndIsReadyOnlyWhileAValidatorAnswersAndTheWorkerTakesJobs() throws Exception {
        Hash model = Sha256.digest(Bytes.utf8("node monitor model"));
        try (ApiFixture f = new ApiFixture(dir);
             ModelRunners runners = new ModelRunners(new ModelStore(dir.resolve("models"))).with(model, new EchoRunner())) {
            String api = f.server.url();
            f.wallet(ALICE).registerModel(model, "echo", "text", "the text echoed", 1_000);
            f.produce();
            f.wallet(NODE).registerNode(2_000 * VRT, List.of(model), List.of(VerificationMode.NONE),
                    Hardware.cpuOnly("test CPU", 4), 4);
            f.produce();
            SingleValidatorConsensus blocks = new SingleValidatorConsensus(f.chain, 40);
            ComputeWorker worker = new ComputeWorker(f.client, new Wallet(f.client, NODE), runners, null,
                    new ComputeWorker.Config(Duration.ofMillis(20), 4));
            try {
                blocks.start();
                worker.start(); // as the node's program does, before the monitor is started on it
                try (NodeMonitor monitor = NodeMonitor.start(worker, List.of(api), "cpu", "127.0.0.1", 0)) {
                    assertThat(get(monitor, "/healthz").statusCode()).isEqualTo(200);
                    await(() -> get(monitor, "/readyz").statusCode() == 200);

                    Hash fine = f.wallet(ALICE).submitJob(model, Bytes.utf8("fine"), VerificationMode.NONE, List.of(), VRT, 100);
                    Hash poison = f.wallet(ALICE).submitJob(model, Bytes.utf8("poison"), VerificationMode.NONE, List.of(), VRT, 100);
                    // a job is there once its submission is in a block
                    assertThat(f.client.awaitReceipt(fine, Duration.ofSeconds(30)).status()).isEqualTo("INCLUDED");
                    assertThat(f.client.awaitReceipt(poison, Duration.ofSeconds(30)).status()).isEqualTo("INCLUDED");
                    await(() -> f.client.job(fine).status().equals("SETTLED") && f.client.job(poison).status().equals("FAILED"));
                    await(() -> worker.completed() == 1);
                    long earned = f.client.node(NODE.publicKey()).earned();
                    assertThat(earned).isPositive();
                    String node = NODE.publicKey().hex().substring(0, 16);
                    // The worker reads its node's earnings every 5 s from its start on.
                    await(() -> value(monitor, "verity_worker_fees_earned_base_units", "node", node) == earned);

                    List<PrometheusText.Sample> s = PrometheusText.parse(get(monitor, "/metrics").body());
                    String m = model.hex().substring(0, 16);
                    assertThat(PrometheusText.value(s, "verity_worker_jobs_total", "node", node, "status", "result", "mode", "NONE"))
                            .isEqualTo(1);
                    assertThat(PrometheusText.value(s, "verity_worker_jobs_total", "node", node, "status", "failure", "mode", "NONE"))
                            .isEqualTo(1);
                    assertThat(PrometheusText.value(s, "verity_worker_failures_total", "node", node, "mode", "NONE", "reason",
                            "INPUT_REJECTED")).isEqualTo(1);
                    assertThat(PrometheusText.value(s, "verity_worker_inference_seconds_count", "node", node, "model", m, "mode",
                            "NONE")).isEqualTo(2);
                    assertThat(PrometheusText.value(s, "verity_worker_inference_seconds_bucket", "node", node, "model", m, "mode",
                            "NONE", "le", "+Inf")).isEqualTo(2);
                    assertThat(PrometheusText.value(s, "verity_worker_device", "node", node, "device", "cpu")).isEqualTo(1);
                    assertThat(PrometheusText.value(s, "verity_worker_jobs_queued", "node", node)).isZero();
                    assertThat(PrometheusText.value(s, "verity_worker_jobs_assigned_onchain", "node", node)).isZero();
                    assertThat(PrometheusText.value(s, "verity_worker_penalties_base_units", "node", node)).isZero();
                    assertThat(PrometheusText.value(s, "verity_node_validator_reachable")).isEqualTo(1);
                    assertThat(PrometheusText.find(s, "jvm_memory_used_bytes")).isNotEmpty();

                    worker.pause();
                    HttpResponse<String> paused = get(monitor, "/readyz");
                    assertThat(paused.statusCode()).isEqualTo(503);
                    assertThat(reasons(paused)).containsExactly(NodeMonitor.WORKER_PAUSED);
                    worker.resume();
                    assertThat(get(monitor, "/readyz").statusCode()).isEqualTo(200);

                    blocks.close();
                    f.server.close(); // the validator is gone
                    await(() -> get(monitor, "/readyz").statusCode() == 503);
                    HttpResponse<String> gone = get(monitor, "/readyz");
                    assertThat(reasons(gone)).singleElement().asString().startsWith("cannot reach a validator").contains(api);
                    assertThat(value(monitor, "verity_node_validator_reachable")).isZero();
                    assertThat(get(monitor, "/healthz").statusCode()).as("the process still answers").isEqualTo(200);
                }
            } finally {
                worker.close();
                blocks.close();
            }
        }
    }

    private static List<String> reasons(HttpResponse<String> readyz) throws Exception {
        JsonNode body = JSON.readTree(readyz.body());
        List<String> out = new java.util.ArrayList<>();
        body.path("reasons").forEach(r -> out.add(r.asText()));
        return out;
    }

    private static double value(NodeMonitor monitor, String name, String... labels) {
        return PrometheusText.value(PrometheusText.parse(get(monitor, "/metrics").body()), name, labels);
    }

    private static HttpResponse<String> get(NodeMonitor monitor, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(monitor.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(end);
            Thread.sleep(50);
        }
    }
}
