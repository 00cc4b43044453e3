package dev.verity.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.gateway.openai.OpenAiException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Errors Jetty answers itself before a request reaches the routes (malformed HTTP, headers over the limit, a body too
 * slow): OpenAI's error object like every other error.
 */
final class OpenAiErrorHandler extends ErrorHandler {
    private final ObjectMapper json;

    OpenAiErrorHandler(ObjectMapper json) {
        this.json = json;
    }

    /** The error for an HTTP-level failure of status {@code status}. */
    static OpenAiException forStatus(int status, String reason) {
        String message = switch (status) {
            case 408 -> "The request was not received in time: its body arrived too slowly or paused too long.";
            case 413 -> "The request body is too large.";
            case 414 -> "The request URL is too long.";
            case 431 -> "The request headers are too large.";
            default -> "The request is not valid HTTP" + (reason == null || reason.isBlank() ? "." : ": " + reason + ".");
        };
        String type = status >= 500 ? OpenAiException.SERVER_ERROR : OpenAiException.INVALID_REQUEST;
        return new OpenAiException(status, type, null, null, message);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(HttpHeader.CONNECTION, "close");
        return ByteBuffer.wrap(body(status, reason));
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        response.getOutputStream().write(body(code, message));
    }

    @Override
    protected Writer getAcceptableWriter(Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setContentType("application/json");
        return response.getWriter();
    }

    private byte[] body(int status, String reason) {
        try {
            return json.writeValueAsBytes(forStatus(status, reason).body());
        } catch (IOException e) {
            return ("{\"error\":{\"message\":\"HTTP " + status + "\",\"type\":\"invalid_request_error\",\"param\":null,"
                    + "\"code\":null}}").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }
}
