package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.compute.ComputeNodeProgram;
import dev.verity.compute.model.Device;
import dev.verity.compute.worker.EnginePolicy;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.devnet.Devnet;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Hardware;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.service.model.ModelStore;
import dev.verity.testkit.PrometheusText;
import java.io.PrintWriter;
import java.io.StringWriter;
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
import picocli.CommandLine;

/**
 * {@code verity node run --metrics}: the node's own server over a running node program, as the command starts it,
 * over real HTTP: the worker's series with the device, /healthz, and /readyz failing once the validator is gone.
 */
class NodeRunMetricsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theNodesOwnServerShowsItsWorkerAndWhetherItIsReady() throws Exception {
        Devnet net = Devnet.start(new Devnet.Options(dir.resolve("devnet"), 0, 100, 1));
        boolean closed = false;
        try {
            VerityClient client = net.client();
            PrivateKey operator = KeyFiles.generate();
            Wallet bank = net.clientWallet();
            assertThat(client.awaitReceipt(bank.transfer(operator.publicKey(), 40_000 * Params.BASE_UNITS_PER_TOKEN),
                    Duration.ofSeconds(30)).status()).isEqualTo("INCLUDED");
            assertThat(client.awaitReceipt(new Wallet(client, operator).registerNode(30_000 * Params.BASE_UNITS_PER_TOKEN,
                    List.of(net.model()), List.of(VerificationMode.NONE), Hardware.cpuOnly("operator CPU", 2), 2),
                    Duration.ofSeconds(30)).status()).isEqualTo("INCLUDED");

            StringWriter out = new StringWriter();
            NodeRunOptions options = parsed("node", "run", "--metrics", "0").nodeRun;
            assertThat(options.metrics).isEqualTo(new NodeRunOptions.MetricsAddress("127.0.0.1", 0));
            List<String> urls = List.of(net.apiUrl());
            try (ComputeNodeProgram program = ComputeNodeProgram.start(new ComputeNodeProgram.Options(urls, operator,
                    new ModelStore(dir.resolve("devnet/models")), 0, EnginePolicy.FAST_WHERE_TRUSTED, Duration.ofSeconds(5)));
                 AutoCloseable monitor = options.startMonitor(program, urls, new Device.Cpu(),
                         new Output(new PrintWriter(out), new PrintWriter(out, true), false))) {
                String url = out.toString().replaceAll("(?s).*metrics: (http://[^/]+)/metrics.*", "$1");
                assertThat(url).startsWith("http://127.0.0.1:");
                assertThat(get(url + "/healthz").statusCode()).isEqualTo(200);
                await(() -> get(url + "/readyz").statusCode() == 200);

                for (int i = 0; i < 6; i++) {
                    net.clientWallet().submitJob(net.model(), Bytes.utf8("metrics job " + i), VerificationMode.NONE, List.of(),
                            Params.BASE_UNITS_PER_TOKEN, 50);
                }
                await(() -> program.worker().completed() > 0);
                String node = operator.publicKey().hex().substring(0, 16);
                await(() -> sample(url, "verity_worker_jobs_total", "node", node, "status", "result", "mode", "NONE") > 0);
                List<PrometheusText.Sample> s = PrometheusText.parse(get(url + "/metrics").body());
                assertThat(PrometheusText.value(s, "verity_worker_device", "node", node, "device", "cpu")).isEqualTo(1);
                assertThat(PrometheusText.find(s, "verity_worker_inference_seconds_count", "node", node)).isNotEmpty();
                assertThat(PrometheusText.value(s, "verity_node_validator_reachable")).isEqualTo(1);

                String api = net.apiUrl();
                net.close(); // the validator is gone
                closed = true;
                await(() -> get(url + "/readyz").statusCode() == 503);
                assertThat(get(url + "/readyz").body()).contains("cannot reach a validator", api);
                assertThat(get(url + "/healthz").statusCode()).isEqualTo(200);
            }
        } finally {
            if (!closed) {
                net.close();
            }
        }
    }

    private static NodeRunCommand parsed(String... args) {
        StringWriter sink = new StringWriter();
        CommandLine.ParseResult r = VerityCli.commandLine(new PrintWriter(sink), new PrintWriter(sink)).parseArgs(args);
        return (NodeRunCommand) r.subcommand().subcommand().commandSpec().userObject();
    }

    private static double sample(String url, String name, String... labels) {
        return PrometheusText.value(PrometheusText.parse(get(url + "/metrics").body()), name, labels);
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s").isLessThan(end);
            Thread.sleep(50);
        }
    }
}
