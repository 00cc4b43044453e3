package dev.verity.node.api;

/** An error the API answers with: HTTP status, a stable code and a message a user can act on. */
final class ApiException extends RuntimeException {
    static final String BAD_REQUEST = "BAD_REQUEST";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";
    static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
    static final String MEMPOOL_FULL = "MEMPOOL_FULL";
    static final String TOO_MANY_STREAMS = "TOO_MANY_STREAMS";
    static final String INTERNAL = "INTERNAL";

    private final int status;
    private final String code;

    ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
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
}
