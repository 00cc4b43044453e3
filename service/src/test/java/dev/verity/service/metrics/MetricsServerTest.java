package dev.verity.service.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.testkit.PrometheusText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The standalone health and metrics server a compute node program starts, over real HTTP. */
class MetricsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(MetricsServer s, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(s.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesHealthReadinessAndTheRegistry() throws Exception {
        PrometheusMeterRegistry registry = Registries.prometheus();
        Counter.builder("verity.test.things").tag("kind", "a").register(registry).increment(3);
        AtomicBoolean draining = new AtomicBoolean();
        try (MetricsServer s = new MetricsServer(registry, "127.0.0.1", 0)
                .addReadinessCheck(ReadinessCheck.unless(draining::get, "stopping: finishing the jobs in flight"))
                .start()) {
            assertThat(s.port()).isPositive();
            HttpResponse<String> health = get(s, "/healthz");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
            assertThat(get(s, "/readyz").statusCode()).isEqualTo(200);
            draining.set(true);
            HttpResponse<String> notReady = get(s, "/readyz");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("not ready", "stopping: finishing the jobs in flight");

            HttpResponse<String> metrics = get(s, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            List<PrometheusText.Sample> samples = PrometheusText.parse(metrics.body());
            assertThat(PrometheusText.value(samples, "verity_test_things_total", "kind", "a")).isEqualTo(3);
            assertThat(PrometheusText.find(samples, "jvm_threads_live_threads")).hasSize(1);
        }
    }

    @Test
    void aCheckThatThrowsMakesTheProcessNotReady() {
        List<String> problems = HealthRoutes.problems(List.of(() -> {
            throw new IllegalStateException("boom");
        }));
        assertThat(problems).singleElement().asString().contains("a readiness check failed", "boom");
    }
}
