package dev.verity.gateway;

import dev.verity.gateway.backend.BackendException;
import dev.verity.gateway.openai.OpenAiException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a client is told when the network fails an answer: one HTTP status per kind of {@link BackendException}. */
final class BackendErrors {
    private static final Logger LOG = LoggerFactory.getLogger(BackendErrors.class);

    private BackendErrors() {
    }

    static OpenAiException toOpenAi(Throwable failure) {
        return switch (failure) {
            case OpenAiException e -> e;
            case BackendException.Unavailable e ->
                    OpenAiException.server(503, "backend_unavailable", e.getMessage(), e.retryAfter(), true);
            case BackendException.Expired e -> OpenAiException.server(504, "job_expired", e.getMessage(), null, true);
            case BackendException.JobFailed e -> OpenAiException.server(502, "job_failed", e.getMessage(), null, false);
            case BackendException.InsufficientFunds e ->
                    new OpenAiException(402, "insufficient_quota", null, "insufficient_quota", e.getMessage());
            case InterruptedException e -> shuttingDown();
            default -> {
                LOG.error("the network backend failed unexpectedly", failure);
                yield OpenAiException.server(502, "backend_error", "The gateway's network backend failed unexpectedly ("
                        + failure.getClass().getSimpleName() + "); the gateway's log has the details.", null, true);
            }
        };
    }

    static OpenAiException shuttingDown() {
        return OpenAiException.server(503, "shutting_down", "The gateway is shutting down; retry on another gateway or "
                + "after it restarts.", Duration.ofSeconds(1), true);
    }
}
