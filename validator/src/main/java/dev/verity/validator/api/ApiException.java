package dev.verity.validator.api;

/** An error the API answers with: HTTP status, a stable code and a message a user can act on. */
final class ApiException extends RuntimeException {
    static final String BAD_REQUEST = "BAD_REQUEST";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
    static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
    static final String MEMPOOL_FULL = "MEMPOOL_FULL";
    static final String TOO_MANY_STREAMS = "TOO_MANY_STREAMS";
    static final String INTERNAL = "INTERNAL";
    static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    static final String REQUEST_TIMEOUT = "REQUEST_TIMEOUT";
    static final String URI_TOO_LONG = "URI_TOO_LONG";
    static final String HEADERS_TOO_LARGE = "HEADERS_TOO_LARGE";
    static final String RATE_LIMITED = "RATE_LIMITED";
    static final String SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";

    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    ApiException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    private ApiException(int status, String code, String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429 RATE_LIMITED: the client is over one of its limits; it may retry after {@code retryAfterSeconds}. */
    static ApiException rateLimited(long retryAfterSeconds, String message) {
        return new ApiException(429, RATE_LIMITED, message, Math.max(1, retryAfterSeconds));
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, BAD_REQUEST, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, NOT_FOUND, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    /** Seconds for a Retry-After header; 0 for none. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
