package dev.verity.validator.metrics;

import static dev.verity.testkit.PrometheusText.value;
import static dev.verity.validator.api.ApiFixture.ALICE;
import static dev.verity.validator.api.ApiFixture.BOB;
import static dev.verity.validator.api.ApiFixture.NODE;
import static dev.verity.validator.api.ApiFixture.VRT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.ledger.state.JobRecord;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Hardware;
import dev.verity.sdk.VerityApiException;
import dev.verity.service.metrics.ReadinessCheck;
import dev.verity.service.metrics.Registries;
import dev.verity.testkit.PrometheusText;
import dev.verity.validator.api.ApiFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The validator API's /healthz, /readyz and /metrics over real HTTP, on a real chain. */
class ValidatorMetricsTest {
    @TempDir
    Path dir;
    ApiFixture f;

    @BeforeEach
    void start() {
        f = new ApiFixture(dir);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private List<PrometheusText.Sample> scrape() throws Exception {
        HttpResponse<String> r = f.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain").contains("version=0.0.4");
        return PrometheusText.parse(r.body());
    }

    @Test
    void healthzAnswersWhileTheProcessIsUp() throws Exception {
        HttpResponse<String> r = f.get("/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(f.json(r.body()).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void readyzIsReadyWhileBlocksComeAndNotReadyWhenTheyStop() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000);
        ValidatorMetrics m = ValidatorMetrics.of(f.chain);
        m.clock(now::get);
        long interval = f.chain.config().blockIntervalMillis();
        f.produce();
        now.addAndGet(5 * interval);
        HttpResponse<String> ready = f.get("/readyz");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(f.json(ready.body()).get("status").asText()).isEqualTo("ready");

        now.addAndGet(6 * interval); // 11 intervals since the last block
        HttpResponse<String> stale = f.get("/readyz");
        assertThat(stale.statusCode()).isEqualTo(503);
        JsonNode body = f.json(stale.body());
        assertThat(body.get("status").asText()).isEqualTo("not ready");
        assertThat(body.get("reasons").get(0).asText()).startsWith("no block for " + 11 * interval + " ms");

        f.produce(); // blocks again: ready again
        assertThat(f.get("/readyz").statusCode()).isEqualTo(200);

        // A fail-stop signal (storage failed) makes it not ready at once, with its reason.
        boolean[] failed = {false};
        m.addReadinessCheck(ReadinessCheck.unless(() -> failed[0], "storage failed: block commit failed (test)"));
        assertThat(f.get("/readyz").statusCode()).isEqualTo(200);
        failed[0] = true;
        HttpResponse<String> down = f.get("/readyz");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(f.json(down.body()).get("reasons").toString()).contains("storage failed: block commit failed (test)");
    }

    @Test
    void metricsFollowTheChainAJobAndTheRequests() throws Exception {
        List<PrometheusText.Sample> before = scrape();
        assertThat(value(before, "verity_chain_height")).isZero();
        assertThat(value(before, "verity_blocks_produced_total")).isZero();
        assertThat(value(before, "verity_jobs", "status", "SETTLED", "mode", "NONE")).isZero();
        assertThat(PrometheusText.find(before, "jvm_memory_used_bytes", "area", "heap").stream()
                .mapToDouble(PrometheusText.Sample::value).sum()).isPositive();
        assertThat(PrometheusText.find(before, "jvm_threads_live_threads")).hasSize(1);

        Hash model = Sha256.digest(Bytes.utf8("metrics test model"));
        // Two accounts register the same model in one block: the second is refused in the block.
        Hash first = f.wallet(ALICE).registerModel(model, "echo", "text", "text", 1_000);
        Hash second = f.wallet(BOB).registerModel(model, "echo", "text", "text", 1_000);
        f.produce();
        assertThat(f.client.receipt(first).status()).isEqualTo("INCLUDED");
        assertThat(f.client.receipt(second).status()).isEqualTo("REFUSED");
        f.wallet(NODE).registerNode(2_000 * VRT, List.of(model), List.of(VerificationMode.NONE), Hardware.cpuOnly("test CPU", 4), 4);
        f.produce();
        // A third registration is refused at admission.
        assertThatThrownBy(() -> f.wallet(BOB).registerModel(model, "echo", "text", "text", 1_000))
                .isInstanceOfSatisfying(VerityApiException.class, e -> assertThat(e.code()).isEqualTo("MODEL_EXISTS"));

        Hash job = f.wallet(ALICE).submitJob(model, Bytes.utf8("hello"), VerificationMode.NONE, List.of(), VRT, 50);
        Hash queued = f.wallet(ALICE).submitJob(model, Bytes.utf8("waits"), VerificationMode.NONE, List.of(), VRT, 50);
        f.produce();
        List<PrometheusText.Sample> assigned = scrape();
        assertThat(value(assigned, "verity_jobs", "status", "ASSIGNED", "mode", "NONE")).isEqualTo(2);
        assertThat(value(assigned, "verity_jobs_queued")).isZero();
        f.wallet(NODE).submitResult(job, Bytes.utf8("world"), new byte[0]);
        assertThat(value(scrape(), "verity_mempool_size")).isEqualTo(1);
        f.produce();

        List<PrometheusText.Sample> after = scrape();
        assertThat(value(after, "verity_chain_height")).isEqualTo(4);
        assertThat(value(after, "verity_blocks_produced_total")).isEqualTo(4);
        assertThat(value(after, "verity_mempool_size")).isZero();
        assertThat(value(after, "verity_jobs", "status", "SETTLED", "mode", "NONE")).isEqualTo(1);
        assertThat(value(after, "verity_jobs", "status", "ASSIGNED", "mode", "NONE")).isEqualTo(1);
        assertThat(value(after, "verity_jobs", "status", "QUEUED", "mode", "NONE")).isZero();
        assertThat(value(after, "verity_base_price")).isPositive();
        assertThat(value(after, "verity_history_lowest_height")).as("an archive keeps every height").isZero();
        assertThat(value(after, "verity_transactions_admitted_total")).isEqualTo(6);
        assertThat(value(after, "verity_transactions_refused_total", "code", "MODEL_EXISTS", "stage", "block")).isEqualTo(1);
        assertThat(value(after, "verity_transactions_refused_total", "code", "MODEL_EXISTS", "stage", "admission")).isEqualTo(1);
        assertThat(value(after, "verity_api_requests_total", "route", "/v1/transactions", "method", "POST", "status", "202"))
                .isEqualTo(6);
        assertThat(value(after, "verity_api_errors_total", "route", "/v1/transactions", "status", "400", "code", "MODEL_EXISTS"))
                .isEqualTo(1);
        assertThat(value(after, "verity_api_requests_total", "route", "/metrics", "method", "GET", "status", "200"))
                .isGreaterThanOrEqualTo(3);

        // Errors by route: a malformed id and a path no route serves.
        assertThat(f.get("/v1/jobs/nothex").statusCode()).isEqualTo(400);
        assertThat(f.get("/v1/nowhere").statusCode()).isEqualTo(404);
        List<PrometheusText.Sample> errors = scrape();
        assertThat(value(errors, "verity_api_errors_total", "route", "/v1/jobs/{id}", "status", "400", "code", "BAD_REQUEST"))
                .isEqualTo(1);
        assertThat(value(errors, "verity_api_errors_total", "route", "unmatched", "status", "404", "code", "NOT_FOUND"))
                .as("%s", PrometheusText.find(errors, "verity_api_errors_total")).isEqualTo(1);

        // The counts kept from block events agree with a scan of every job.
        assertJobCountsMatchTheLedger(errors, true);
        assertThat(queued).isNotNull();
    }

    @Test
    void jobCountsAtStartCoverJobsAlreadyOnTheChain() throws Exception {
        Hash model = Sha256.digest(Bytes.utf8("metrics restart model"));
        f.wallet(ALICE).registerModel(model, "echo", "text", "text", 1_000);
        f.produce();
        f.wallet(ALICE).submitJob(model, Bytes.utf8("a"), VerificationMode.NONE, List.of(), VRT, 50);
        f.produce();
        // A fresh ValidatorMetrics in its own registry counts the live jobs it finds (finished ones are archived).
        ValidatorMetrics other = ValidatorMetrics.create(f.chain, Registries.prometheus());
        List<PrometheusText.Sample> s = PrometheusText.parse(other.registry().scrape());
        assertThat(value(s, "verity_jobs", "status", "QUEUED", "mode", "NONE")).isEqualTo(1);
        assertJobCountsMatchTheLedger(s, false);
    }

    /**
     * The gauges count live jobs, and the jobs that finished while these metrics watched: with {@code finishedToo} the
     * archive's jobs are counted as well (metrics that watched from genesis), without it live jobs only (metrics made
     * over a chain whose finished jobs were already archived).
     */
    private void assertJobCountsMatchTheLedger(List<PrometheusText.Sample> samples, boolean finishedToo) {
        Map<String, Long> scanned = f.chain.read(st -> {
            Map<String, Long> out = new HashMap<>();
            for (JobRecord j : st.jobs.values()) {
                out.merge(j.status() + "/" + j.mode(), 1L, Long::sum);
            }
            return out;
        });
        if (finishedToo) {
            f.chain.forEachArchivedJob(Long.MAX_VALUE >>> 1, 10_000, r -> {
                scanned.merge(r.job().status() + "/" + r.job().mode(), 1L, Long::sum);
                return true;
            });
        }
        Map<String, Long> gauges = new HashMap<>();
        for (PrometheusText.Sample x : PrometheusText.find(samples, "verity_jobs")) {
            if (x.value() != 0) {
                gauges.put(x.labels().get("status") + "/" + x.labels().get("mode"), (long) x.value());
            }
        }
        assertThat(gauges).isEqualTo(scanned);
    }
}
