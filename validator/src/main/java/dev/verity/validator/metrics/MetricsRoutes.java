package dev.verity.validator.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.service.metrics.HealthRoutes;
import dev.verity.validator.chain.ChainNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.micrometer.core.instrument.Counter;

/**
 * The validator API's health and metrics: {@code /healthz}, {@code /readyz} and {@code /metrics}
 * ({@link HealthRoutes}) over the chain's {@link ValidatorMetrics}, and a count of every request by route, method and
 * status ({@code verity_api_requests_total}), of every error by route, status and error code
 * ({@code verity_api_errors_total}), and of the transactions admitted and refused at submission.
 */
public final class MetricsRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRANSACTIONS = "/v1/transactions";

    private MetricsRoutes() {}

    /** Adds the routes and the request counting to {@code a} (before it starts). */
    public static void install(Javalin a, ChainNode chain) {
        ValidatorMetrics m = ValidatorMetrics.of(chain);
        HealthRoutes.install(a, m.registry(), m::readinessChecks);
        a.after(ctx -> count(m, ctx));
    }

    private static void count(ValidatorMetrics m, Context ctx) {
        String route = route(ctx);
        int status = ctx.statusCode();
        String method = ctx.method().name();
        Counter.builder("verity.api.requests").description("API requests answered, by route, method and status")
                .tags("route", route, "method", method, "status", Integer.toString(status)).register(m.registry()).increment();
        String code = status >= 400 ? errorCode(ctx) : null;
        if (status >= 400) {
            Counter.builder("verity.api.errors").description("API error answers, by route, status and error code")
                    .tags("route", route, "status", Integer.toString(status), "code", code == null ? "NONE" : code)
                    .register(m.registry()).increment();
        }
        if (ctx.method() == HandlerType.POST && TRANSACTIONS.equals(route)) {
            if (status == 202) {
                m.admitted();
            } else if (ValidatorMetrics.isRejectCode(code)) {
                m.refused(code, "admission");
            }
        }
    }

    /** The matched route's pattern ({@code /v1/jobs/{id}}); {@code unmatched} for a path no route serves. */
    private static String route(Context ctx) {
        String path;
        try {
            path = ctx.endpointHandlerPath();
        } catch (RuntimeException e) {
            path = null;
        }
        // Javalin names a request no route matched with a sentence, not a path.
        return path == null || !path.startsWith("/") ? "unmatched" : path;
    }

    /** The {@code code} of an error body ({@code {"code","message"}}), or null. */
    private static String errorCode(Context ctx) {
        Object set = ctx.attribute(dev.verity.validator.api.ApiServer.ERROR_CODE_ATTRIBUTE);
        if (set instanceof String code) {
            return code; // an asynchronous answer's body is not readable back here
        }
        try {
            String body = ctx.result();
            if (body == null || body.isEmpty() || body.charAt(0) != '{') {
                return null;
            }
            JsonNode code = JSON.readTree(body).get("code");
            return code != null && code.isTextual() ? code.asText() : null;
        } catch (Exception e) {
            return null;
        }
    }
}
