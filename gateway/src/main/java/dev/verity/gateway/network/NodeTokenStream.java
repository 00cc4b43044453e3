package dev.verity.gateway.network;

import dev.verity.core.Hash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a node's token stream ({@code GET <endpoint>/v1/jobs/<id>/tokens}, server-sent events) and passes each token
 * id on in order. What a node streams is a preview: a stream that fails, stops or lies only costs the preview, since
 * the answer the client gets is checked against the result settled on chain.
 */
final class NodeTokenStream {
    private static final Pattern TOKEN = Pattern.compile("\\{\"index\":(\\d+),\"id\":(\\d+)}");

    /** How the stream ended. */
    enum End { DONE, ERROR, CUT }

    private final HttpClient http;

    NodeTokenStream(HttpClient http) {
        this.http = http;
    }

    /** Reads the stream of {@code job} at {@code endpoint} until it ends, passing each token to {@code onToken}. */
    End read(String endpoint, Hash job, IntConsumer onToken) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.replaceAll("/+$", "") + "/v1/jobs/" + job.hex() + "/tokens"))
                .header("Accept", "text/event-stream").timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return End.CUT;
        }
        if (response.statusCode() != 200) {
            closeQuietly(response.body());
            return End.ERROR;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = "message";
            int expected = 0;
            for (String line; (line = in.readLine()) != null; ) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    String data = line.substring(5).strip();
                    switch (event) {
                        case "token" -> {
                            Matcher m = TOKEN.matcher(data);
                            if (!m.matches() || Integer.parseInt(m.group(1)) != expected) {
                                return End.ERROR; // out of order or malformed: stop trusting this preview
                            }
                            expected++;
                            onToken.accept(Integer.parseInt(m.group(2)));
                        }
                        case "done" -> {
                            return End.DONE;
                        }
                        default -> {
                            return End.ERROR;
                        }
                    }
                } else if (line.isEmpty()) {
                    event = "message";
                }
            }
            return End.CUT;
        } catch (IOException | NumberFormatException e) {
            return End.CUT;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing to release beyond the connection
        }
    }
}
