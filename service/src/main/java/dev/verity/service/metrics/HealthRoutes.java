package dev.verity.service.metrics;

import io.javalin.Javalin;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /healthz} (the process answers: 200 {@code {"status":"ok"}}), {@code GET /readyz} (200
 * {@code {"status":"ready"}} when every readiness check holds, else 503 {@code {"status":"not ready","reasons":[...]}})
 * and {@code GET /metrics} (the registry in the Prometheus text format), for the validator's API and for
 * {@link MetricsServer}.
 */
public final class HealthRoutes {
    private HealthRoutes() {}

    public static void install(Javalin a, PrometheusMeterRegistry registry, Supplier<List<ReadinessCheck>> checks) {
        a.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
        a.get("/readyz", ctx -> {
            List<String> reasons = problems(checks.get());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", reasons.isEmpty() ? "ready" : "not ready");
            if (!reasons.isEmpty()) {
                body.put("reasons", reasons);
            }
            ctx.status(reasons.isEmpty() ? 200 : 503).json(body);
        });
        a.get("/metrics", ctx -> ctx.contentType(Registries.PROMETHEUS_TEXT).result(registry.scrape()));
    }

    /** What the checks report, in order; a check that throws reports that it failed. */
    public static List<String> problems(List<ReadinessCheck> checks) {
        List<String> out = new ArrayList<>();
        for (ReadinessCheck c : checks) {
            try {
                Optional<String> p = c.problem();
                p.ifPresent(out::add);
            } catch (RuntimeException e) {
                out.add("a readiness check failed: " + e);
            }
        }
        return out;
    }
}
