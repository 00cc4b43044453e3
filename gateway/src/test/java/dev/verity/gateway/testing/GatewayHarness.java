package dev.verity.gateway.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.gateway.GatewayConfig;
import dev.verity.gateway.GatewayServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** A gateway on a free loopback port in front of a {@link TestChatBackend}, and an HTTP client for it. */
public final class GatewayHarness implements AutoCloseable {
    public static final long CREATED = 1_750_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestChatBackend backend;
    private final GatewayServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayHarness(TestChatBackend backend, GatewayServer server) {
        this.backend = backend;
        this.server = server;
    }

    public static GatewayHarness start(TestChatBackend backend) {
        return start(backend, GatewayConfig.loopback(0));
    }

    public static GatewayHarness start(TestChatBackend backend, GatewayConfig config) {
        GatewayServer server = new GatewayServer(backend, config, InstantSource.fixed(Instant.ofEpochSecond(CREATED)));
        return new GatewayHarness(backend, server.start());
    }

    public TestChatBackend backend() {
        return backend;
    }

    public GatewayServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Reply post(String path, String json) {
        return post(path, json.getBytes(StandardCharsets.UTF_8));
    }

    public Reply post(String path, byte[] body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create(server.url() + path);
    }

    @Override
    public void close() {
        server.close();
        http.close();
    }

    /** An HTTP answer. */
    public record Reply(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The {@code data:} payloads of a server-sent event stream, in order ({@code [DONE]} included). */
        public List<String> events() {
            List<String> data = new ArrayList<>();
            for (String event : body.split("\n\n")) {
                for (String line : event.split("\n")) {
                    if (line.startsWith("data: ")) {
                        data.add(line.substring("data: ".length()));
                    }
                }
            }
            return data;
        }

        /** The JSON events of a stream, {@code [DONE]} left out. */
        public List<JsonNode> jsonEvents() {
            List<JsonNode> out = new ArrayList<>();
            for (String e : events()) {
                if (!e.equals("[DONE]")) {
                    try {
                        out.add(JSON.readTree(e));
                    } catch (IOException x) {
                        throw new AssertionError("event is not JSON: " + e, x);
                    }
                }
            }
            return out;
        }
    }
}
