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
    /**
     * No validator of a client with several URLs ({@link VerityClient#failover}) answered, and they failed in different
     * ways; the message names each URL and why. (When they all failed alike, that failure's code is kept.)
     */
    public static final String UNAVAILABLE = "UNAVAILABLE";
    /** The code the API answers a halted node's requests with (HTTP 503): its storage failed, ask another validator. */
    public static final String NODE_HALTED = "NODE_HALTED";

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

    /**
     * True when the error says the node is unavailable rather than that the request was wrong: it could not be reached
     * or the connection broke ({@link #UNREACHABLE}, {@link #TIMEOUT}, {@link #IO_ERROR}), or it answered HTTP 502, 503
     * (e.g. {@code NODE_HALTED}, {@code MEMPOOL_FULL}) or 504. A client with several URLs makes the same call on the next.
     */
    public boolean unavailable() {
        return switch (code) {
            // UNAVAILABLE: every validator of a failover client was unavailable, each in its own way.
            case UNREACHABLE, TIMEOUT, IO_ERROR, UNAVAILABLE -> true;
            default -> httpStatus == 502 || httpStatus == 503 || httpStatus == 504;
        };
    }

    /**
     * True when the node refused a transaction because it already holds it (in its mempool or a block): the API answers
     * 400 {@code BAD_NONCE} "transaction HASH was already submitted". The chain takes a transaction once by its hash, so
     * submitting it twice is harmless.
     */
    public boolean alreadySubmitted() {
        return httpStatus == 400 && "BAD_NONCE".equals(code) && getMessage() != null && getMessage().contains("already submitted");
    }

    @Override
    public String toString() {
        return "VerityApiException[" + code + (httpStatus != 0 ? ", HTTP " + httpStatus : "") + "]: " + getMessage();
    }
}
