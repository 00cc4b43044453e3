package dev.verity.gateway.openai;

import java.time.Duration;

/**
 * An error the gateway answers with, in OpenAI's shape {@code {"error": {"message", "type", "param", "code"}}}: the
 * HTTP status picks the error class of OpenAI's client libraries (400 BadRequestError, 404 NotFoundError, ...).
 *
 * @see ErrorBody
 */
public final class OpenAiException extends RuntimeException {
    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String SERVER_ERROR = "server_error";

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final Duration retryAfter;
    private final boolean retryable;

    private OpenAiException(int status, String type, String param, String code, String message, Duration retryAfter,
                            boolean retryable) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfter = retryAfter;
        this.retryable = retryable;
    }

    public OpenAiException(int status, String type, String param, String code, String message) {
        this(status, type, param, code, message, null, true);
    }

    /** 400: a parameter is missing, of the wrong type or out of range ({@code param} names it). */
    public static OpenAiException invalid(String param, String code, String message) {
        return new OpenAiException(400, INVALID_REQUEST, param, code, message);
    }

    /** 404 {@code model_not_found}, worded as OpenAI words it. */
    public static OpenAiException modelNotFound(String model) {
        return new OpenAiException(404, INVALID_REQUEST, null, "model_not_found", "The model `" + model
                + "` does not exist or you do not have access to it. GET /v1/models lists the models this gateway serves.");
    }

    /** A server-side failure ({@code server_error}); {@code retryable} false tells OpenAI's clients not to retry it. */
    public static OpenAiException server(int status, String code, String message, Duration retryAfter, boolean retryable) {
        return new OpenAiException(status, SERVER_ERROR, null, code, message, retryAfter, retryable);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }

    /** For a Retry-After header; null for none. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** False when a retry would only repeat a paid failure: sent as {@code x-should-retry: false}. */
    public boolean retryable() {
        return retryable;
    }

    /** The JSON body of this error. */
    public ErrorBody body() {
        return new ErrorBody(new ErrorBody.Detail(getMessage(), type, param, code));
    }
}
