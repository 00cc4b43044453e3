package dev.verity.gateway.backend;

import dev.verity.core.Hash;
import java.time.Duration;
import java.util.Optional;

/**
 * A failure of the network or of a job, typed by what the gateway tells its client: each subclass maps to one HTTP
 * status. The message is shown to the client as it is, so it says what happened in words a user can act on.
 */
public abstract sealed class BackendException extends RuntimeException {

    private BackendException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Nothing was submitted, or what was cannot run now: no node serves the model in an accepted mode, the validators
     * cannot be reached, the mempool is full. Answered 503; the client may retry after {@code retryAfter}.
     */
    public static final class Unavailable extends BackendException {
        private final Duration retryAfter;

        public Unavailable(String message, Duration retryAfter, Throwable cause) {
            super(message, cause);
            this.retryAfter = retryAfter;
        }

        public Unavailable(String message) {
            this(message, Duration.ofSeconds(1), null);
        }

        public Duration retryAfter() {
            return retryAfter;
        }
    }

    /** The job reached its deadline with no result (its escrow is refunded). Answered 504; a retry is a new job. */
    public static final class Expired extends BackendException {
        private final Hash job;

        public Expired(Hash job, String message) {
            super(message, null);
            this.job = job;
        }

        public Hash job() {
            return job;
        }
    }

    /**
     * The job ended without a usable answer: the ledger refused the submission, the node reported a failure result,
     * the job was cancelled, or the result was refused. Answered 502 and marked not to be retried blindly.
     */
    public static final class JobFailed extends BackendException {
        private final Hash job;

        public JobFailed(Hash job, String message, Throwable cause) {
            super(message, cause);
            this.job = job;
        }

        /** The job, when one was submitted. */
        public Optional<Hash> job() {
            return Optional.ofNullable(job);
        }
    }

    /** The gateway's account cannot pay for the job (its balance is below the fee to escrow). Answered 402. */
    public static final class InsufficientFunds extends BackendException {
        public InsufficientFunds(String message) {
            super(message, null);
        }
    }
}
