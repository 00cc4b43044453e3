package dev.verity.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.gateway.backend.GenerationOutcome;
import dev.verity.gateway.generation.AnswerText;
import dev.verity.gateway.openai.OpenAiException;
import dev.verity.gateway.openai.VerityInfo;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A streamed answer as server-sent events, the way OpenAI streams: the opening chunk, a chunk per piece of text as
 * the node streams it, a chunk with the finish reason and the {@code verity} object, the usage chunk when asked for,
 * then {@code data: [DONE]}. A failure after the first event is an {@code error} event before {@code [DONE]}.
 *
 * <p>It runs on the answer's own virtual thread: a client that reads slowly blocks only that thread (and a write
 * blocked past the idle timeout fails), and a client that goes away cancels the wait for the job.
 */
final class StreamedAnswer {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final GenerationJob job;
    private final PreparedAnswer answer;
    private final HttpServletResponse response;
    private final ObjectMapper json;
    private final Duration keepAlive;
    private final TokenLog streamed = new TokenLog();
    private final AnswerText text;
    private ServletOutputStream out;

    private StreamedAnswer(GenerationJob job, PreparedAnswer answer, HttpServletResponse response, ObjectMapper json,
                           Duration keepAlive) {
        this.job = job;
        this.answer = answer;
        this.response = response;
        this.json = json;
        this.keepAlive = keepAlive;
        this.text = answer.plan().newAnswerText();
    }

    /**
     * Streams {@code job}'s answer. Returns the error to answer as a plain JSON response when the job failed before the
     * stream started (so the client gets the HTTP status), null when the stream was written (or its client left).
     */
    static OpenAiException run(GenerationJob job, PreparedAnswer answer, HttpServletResponse response, ObjectMapper json,
                               Duration keepAlive) throws InterruptedException {
        return new StreamedAnswer(job, answer, response, json, keepAlive).run();
    }

    private OpenAiException run() throws InterruptedException {
        // Wait for the job to start before answering, so that a refusal still gets its HTTP status and the headers
        // name the job.
        GenerationJob.Event event = job.next();
        if (event instanceof GenerationJob.Failed f) {
            return BackendErrors.toOpenAi(f.cause());
        }
        try {
            open(event);
            while (true) {
                if (event == null) {
                    out.write(KEEP_ALIVE);
                } else if (handle(event)) {
                    out.flush();
                    return null;
                }
                out.flush();
                event = job.next(keepAlive);
            }
        } catch (IOException gone) {
            job.cancel(); // the client closed the connection or stopped reading past the idle timeout
            return null;
        }
    }

    private void open(GenerationJob.Event first) throws IOException {
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no"); // proxies must not buffer the events
        switch (first) {
            case GenerationJob.Started s -> PreparedAnswer.headers(response, s.job());
            case GenerationJob.Done d -> PreparedAnswer.headers(response, d.outcome());
            default -> {
            }
        }
        out = response.getOutputStream();
        for (Object chunk : answer.format().opening(answer.who())) {
            send(chunk);
        }
    }

    /** Writes what {@code event} adds to the stream; true when the stream has ended. */
    private boolean handle(GenerationJob.Event event) throws IOException {
        switch (event) {
            case GenerationJob.Started ignored -> {
                return false;
            }
            case GenerationJob.Token t -> {
                streamed.add(t.id());
                sendText(text.accept(t.id()));
                return false;
            }
            case GenerationJob.Failed f -> {
                sendError(BackendErrors.toOpenAi(f.cause()));
                return true;
            }
            case GenerationJob.Done d -> {
                finish(d.outcome());
                return true;
            }
        }
    }

    private void finish(GenerationOutcome outcome) throws IOException {
        OpenAiException mismatch = ResultCheck.mismatch(streamed.ids(), streamed.size(), outcome);
        if (mismatch != null) {
            sendError(mismatch);
            return;
        }
        int[] settled = outcome.result().tokens();
        for (int i = streamed.size(); i < settled.length; i++) {
            sendText(text.accept(settled[i])); // the part of the result the node did not stream
        }
        sendText(text.finish());
        VerityInfo verity = VerityInfo.of(outcome);
        send(answer.format().finish(answer.who(), PreparedAnswer.finishReason(text, outcome), verity));
        if (answer.streaming().includeUsage()) {
            send(answer.format().usage(answer.who(), answer.usage(outcome), verity));
        }
        out.write(DONE);
    }

    private void sendText(String piece) throws IOException {
        if (!piece.isEmpty()) {
            send(answer.format().piece(answer.who(), piece));
        }
    }

    private void sendError(OpenAiException error) throws IOException {
        send(error.body());
        out.write(DONE);
    }

    private void send(Object event) throws IOException {
        out.write("data: ".getBytes(StandardCharsets.US_ASCII));
        out.write(json.writeValueAsBytes(event));
        out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
    }
}
