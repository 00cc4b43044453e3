package dev.verity.sdk;

import dev.verity.sdk.api.ApiError;

/**
 * A request to a Verity node that did not succeed: either the node answered with an error
 * ({@link #code()} is the API error code, e.g. a ledger reject code such as {@code BAD_NONCE},
 * or {@code NOT_FOUND}, {@code BAD_REQUEST}; {@link #httpStatus()} is the HTTP status), or the node
 * could not be reached or did not answer ({@link #httpStatus()} is 0 and the code one of
 * {@link #UNREACHABLE}, {@link #TIMEOUT}, {@link #IO_ERROR}, {@link #INTERRUPTED}).
 */
public final class VerityApiException extends RuntimeException {
    /** The node could not be reached (connection refused, unknown host, connect timeout). */
    public static final String UNREACHABLE = "UNREACHABLE";
    /** The node accepted the connection but did not answer in time. */
    public static final String TIMEOUT = "TIMEOUT";
    /** The connection failed while the request was under way. */
    public static final String IO_ERROR = "IO_ERROR";
    /** The calling thread was interrupted while waiting for the node. */
    public static final String INTERRUPTED = "INTERRUPTED";
    /** The node closed an event stream (or it broke); reconnect from the last height seen. */
    public static final String STREAM_CLOSED = "STREAM_CLOSED";

    private final String code;
    private final int httpStatus;

    public VerityApiException(String code, String message, int httpStatus) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public VerityApiException(String code, String message, int httpStatus, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The API error code: a ledger reject code name, or NOT_FOUND, BAD_REQUEST, ..., or one of the constants here. */
    public String code() {
        return code;
    }

    /** The HTTP status of the node's answer (400, 404, 503, ...); 0 when there was no answer. */
    public int status() {
        return httpStatus;
    }

    /** The same as {@link #status()}. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The error as the API sends it. */
    public ApiError apiError() {
        return new ApiError(code, getMessage());
    }

    /** True when the node answered (the request reached it and was refused or failed there). */
    public boolean answered() {
        return httpStatus != 0;
    }

    @Override
    public String toString() {
        return "VerityApiException[" + code + (httpStatus != 0 ? ", HTTP " + httpStatus : "") + "]: " + getMessage();
    }
}
