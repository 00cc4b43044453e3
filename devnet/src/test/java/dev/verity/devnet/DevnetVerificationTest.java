package dev.verity.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.trace.TraceValues;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.modelhub.train.Digits;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.sdk.ClaimQuery;
import dev.verity.sdk.DisputeQuery;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.NodeView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole devnet on loopback where the fourth compute node cheats on its OPTIMISTIC results: another
 * node's watcher catches each cheat, the bisection game runs through the API, and the chain settles the
 * job with the right output; SAMPLED jobs are audited by another node, which is paid.
 */
class DevnetVerificationTest {
    @TempDir
    static Path dir;

    static Devnet net;
    static VerityClient client;

    @BeforeAll
    static void start() {
        net = Devnet.start(new Devnet.Options(dir.resolve("devnet"), 0, 100, 5).withCheat(CheatMode.WRONG_OUTPUT));
        client = net.client();
    }

    @AfterAll
    static void stop() {
        if (net != null) {
            net.close();
        }
    }

    private static byte[] digit(int i) {
        return PackageRunner.encode(Digits.split().test().inputs()[i]);
    }

    private static JobView awaitFinal(Hash job, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        JobView v = null;
        while (System.nanoTime() < end) {
            v = jobOrNull(job);
            if (v != null && Set.of("SETTLED", "EXPIRED", "CANCELLED").contains(v.status())) {
                return v;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("job " + job.hex() + " did not end within " + timeout + "; last seen " + v);
    }

    /** The job, or null while it is not yet in a block. */
    private static JobView jobOrNull(Hash job) {
        try {
            return client.job(job);
        } catch (VerityApiException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static List<String> types(Hash job) {
        return client.events(EventQuery.forJob(job)).stream().map(EventView::type).toList();
    }

    private static EventView event(Hash job, String type) {
        return client.events(EventQuery.forJob(job)).stream().filter(e -> e.type().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("job " + job.hex() + " has no " + type + " event: " + types(job)));
    }

    @Test
    void aCheatOnAnOptimisticJobIsChallengedProvenWrongAndSlashed() throws Exception {
        Devnet.ComputeNode cheater = net.cheatingNode().orElseThrow();
        assertThat(cheater.plan().modes()).containsExactly(VerificationMode.OPTIMISTIC);
        NodeView before = client.node(cheater.key().publicKey());
        assertThat(before.penalized()).isZero();
        assertThat(client.model(net.integerModel()).program()).isNotNull();

        Set<String> phasesSeen = new CopyOnWriteArraySet<>();
        byte[] input = digit(3);
        Hash job = net.clientWallet().submitJob(net.integerModel(), input, VerificationMode.OPTIMISTIC, List.of(),
                Params.BASE_UNITS_PER_TOKEN, 20);
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            List<String> disputes = client.disputes(DisputeQuery.withParty(cheater.key().publicKey())).stream()
                    .filter(d -> d.job().equals(job.hex())).map(d -> d.phase() + "@" + d.round()).toList();
            phasesSeen.addAll(disputes);
            JobView v = jobOrNull(job);
            if (v != null && v.dispute() != null) {
                phasesSeen.add("job:" + v.status());
            }
            if (v != null && "SETTLED".equals(v.status())) {
                break;
            }
            Thread.sleep(20);
        }
        JobView settled = awaitFinal(job, Duration.ofSeconds(5));

        TraceValues honest = net.integerProgram().trace(input);
        assertThat(settled.status()).isEqualTo("SETTLED");
        assertThat(Base64.getDecoder().decode(settled.output())).as("the honest output, not the cheat's").isEqualTo(honest.output());
        assertThat(settled.outputHash()).isEqualTo(Sha256.digest(honest.output()).hex());
        assertThat(settled.verification()).isNull();
        assertThat(settled.dispute()).isNull();
        assertThat(phasesSeen).as("the game was visible through the API while it ran").contains("job:DISPUTED");

        assertThat(types(job)).containsSubsequence("JOB_ASSIGNED", "RESULT_POSTED", "RESULT_PENDING", "JOB_DISPUTED",
                "DISPUTE_MOVE", "NODE_SLASHED", "DISPUTE_RESOLVED", "JOB_SETTLED");
        EventView resolved = event(job, "DISPUTE_RESOLVED");
        assertThat(resolved.reason()).startsWith("the challenger won").contains("(dequantizing the output)");
        EventView slashed = event(job, "NODE_SLASHED");
        assertThat(slashed.node()).isEqualTo(cheater.key().publicKey().hex());
        assertThat(slashed.reason()).contains("lost the dispute over its result");
        EventView disputed = event(job, "JOB_DISPUTED");
        String challenger = event(job, "JOB_SETTLED").node();
        assertThat(challenger).as("the watcher that won is paid the job").isNotEqualTo(cheater.key().publicKey().hex());
        assertThat(disputed.reason()).contains("challenger " + challenger);

        NodeView after = client.node(cheater.key().publicKey());
        assertThat(after.penalized()).isEqualTo(slashed.amount()).isPositive();
        assertThat(after.stake()).isEqualTo(before.stake() - slashed.amount());
        Devnet.ComputeNode watcher = net.nodes().stream().filter(n -> n.key().publicKey().hex().equals(challenger))
                .findFirst().orElseThrow();
        assertThat(watcher.roles().challenges()).isPositive();
        assertThat(watcher.roles().stepProofs()).isPositive();
        assertThat(cheater.roles().stepProofs()).as("a cheat never proves a step").isZero();
        assertThat(client.disputes(DisputeQuery.withParty(cheater.key().publicKey()))).isEmpty();
    }

    @Test
    void aSampledJobIsAuditedByAnotherNodeWhichIsPaid() throws Exception {
        byte[] input = digit(5);
        Hash job = net.clientWallet().submitJob(net.integerModel(), input, VerificationMode.SAMPLED, List.of(),
                Params.BASE_UNITS_PER_TOKEN, 20);
        boolean sawAudit = false;
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end && !sawAudit) {
            sawAudit = client.claims(ClaimQuery.all().withPhase("AUDITING")).stream().anyMatch(c -> c.job().equals(job.hex()))
                    || types(job).contains("AUDIT_PASSED");
            Thread.sleep(20);
        }
        JobView settled = awaitFinal(job, Duration.ofSeconds(30));
        assertThat(settled.status()).isEqualTo("SETTLED");
        assertThat(Base64.getDecoder().decode(settled.output())).isEqualTo(net.integerProgram().trace(input).output());
        assertThat(types(job)).containsSubsequence("RESULT_PENDING", "AUDIT_ASSIGNED", "AUDIT_PASSED", "AUDITOR_PAID",
                "JOB_SETTLED");
        EventView paid = event(job, "AUDITOR_PAID");
        assertThat(paid.amount()).isPositive();
        assertThat(paid.node()).isNotEqualTo(settled.assignedNode());
        NodeView auditor = client.node(dev.verity.core.PublicKey.fromHex(paid.node()));
        assertThat(auditor.modes()).contains("SAMPLED");
        assertThat(auditor.earned()).isGreaterThanOrEqualTo(paid.amount());
        assertThat(auditor.penalized()).isZero();
    }

    @Test
    void theApisMetricsShowTheChainAndTheComputeWorkersOfTheDevnet() throws Exception {
        Hash job = net.clientWallet().submitJob(net.integerModel(), digit(7), VerificationMode.SAMPLED, List.of(),
                Params.BASE_UNITS_PER_TOKEN, 20);
        JobView settled = awaitFinal(job, Duration.ofSeconds(30));
        assertThat(settled.status()).isEqualTo("SETTLED");
        String node = settled.assignedNode().substring(0, 16);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        List<dev.verity.testkit.PrometheusText.Sample> samples = null;
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            String body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(net.apiUrl() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            samples = dev.verity.testkit.PrometheusText.parse(body);
        } while (dev.verity.testkit.PrometheusText.value(samples, "verity_worker_results_total", "node", node, "mode",
                "SAMPLED") < 1 && System.nanoTime() < end && sleep20());
        assertThat(dev.verity.testkit.PrometheusText.value(samples, "verity_worker_results_total", "node", node, "mode",
                "SAMPLED")).isGreaterThanOrEqualTo(1);
        assertThat(dev.verity.testkit.PrometheusText.value(samples, "verity_jobs", "status", "SETTLED", "mode", "SAMPLED"))
                .isGreaterThanOrEqualTo(1);
        assertThat(dev.verity.testkit.PrometheusText.find(samples, "verity_worker_inference_seconds_count", "node", node,
                "mode", "SAMPLED")).isNotEmpty();
        assertThat(dev.verity.testkit.PrometheusText.value(samples, "verity_chain_height")).isPositive();
        java.net.http.HttpResponse<String> ready = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(net.apiUrl() + "/readyz")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    }

    private static boolean sleep20() throws InterruptedException {
        Thread.sleep(20);
        return true;
    }
}
