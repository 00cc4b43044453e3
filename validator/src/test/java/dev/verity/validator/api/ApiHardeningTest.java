package dev.verity.validator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API as a public server, over real HTTP: errors Jetty raises itself come back as the JSON error,
 * slow request bodies are cut off without starving other clients, and a client over its limits gets
 * 429 RATE_LIMITED with Retry-After.
 */
class ApiHardeningTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode jsonError(RawHttp.Response res, int status, String code) throws IOException {
        assertThat(res.status()).as("status of %s", res.head() + res.body()).isEqualTo(status);
        assertThat(res.header("Content-Type")).startsWith("application/json");
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(res.body()).doesNotContain("\tat ", "Exception", "<html", "org.eclipse");
        return body;
    }

    private static JsonNode jsonError(HttpResponse<String> res, int status, String code) throws IOException {
        assertThat(res.statusCode()).as("status of %s", res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = JSON.readTree(res.body());
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
        return body;
    }

    private static RawHttp.Response exchange(ApiFixture f, String request) throws IOException {
        try (RawHttp http = new RawHttp(f.server.port(), 10_000)) {
            http.send(request);
            return http.read();
        }
    }

    @Test
    void aWrongMethodOnAKnownPathIs405AndAnUnknownPathIs404() throws Exception {
        try (ApiFixture f = new ApiFixture(dir)) {
            JsonNode wrong = jsonError(f.request("DELETE", "/v1/status", null, null), 405, "METHOD_NOT_ALLOWED");
            assertThat(wrong.get("message").asText()).contains("DELETE", "/v1/status", "GET");
            var getOnPost = f.get("/v1/transactions");
            assertThat(jsonError(getOnPost, 405, "METHOD_NOT_ALLOWED").get("message").asText()).contains("POST");
            assertThat(getOnPost.headers().firstValue("Allow")).hasValueSatisfying(a -> assertThat(a).contains("POST"));
            jsonError(f.request("PUT", "/v1/jobs/" + "ab".repeat(32), "application/json", new byte[] {'{', '}'}), 405,
                    "METHOD_NOT_ALLOWED");
            assertThat(jsonError(f.request("POST", "/v1/nowhere", "application/json", new byte[] {'{', '}'}), 404, "NOT_FOUND")
                    .get("message").asText()).contains("/v1/nowhere");
            jsonError(f.get("/nothing"), 404, "NOT_FOUND");
        }
    }

    @Test
    void oversizedUrlsAndHeadersAndMalformedHeadersAreJsonErrors() throws Exception {
        try (ApiFixture f = new ApiFixture(dir)) {
            String longUrl = "/v1/status?pad=" + "x".repeat(20_000);
            JsonNode url = jsonError(exchange(f, "GET " + longUrl + " HTTP/1.1\r\nHost: localhost\r\n\r\n"), 414, "URI_TOO_LONG");
            assertThat(url.get("message").asText()).contains("8192");
            jsonError(exchange(f, "GET /v1/status HTTP/1.1\r\nHost: localhost\r\nX-Pad: " + "y".repeat(20_000) + "\r\n\r\n"),
                    431, "HEADERS_TOO_LARGE");
            jsonError(exchange(f, "GET /v1/status HTTP/1.1\r\nHost: localhost\r\nBad Header: z\r\n\r\n"), 400, "BAD_REQUEST");
            jsonError(exchange(f, "GET /v1/status HTTP/1.1\r\nHost: localhost\r\nContent-Length: nope\r\n\r\n"), 400,
                    "BAD_REQUEST");
            // The server answers normally afterwards.
            assertThat(exchange(f, "GET /v1/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").status())
                    .isEqualTo(200);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void slowBodiesAreCutOffAndDoNotStopOtherClients() throws Exception {
        int slowClients = 120;
        int threads = 24; // far fewer threads than slow clients: without the data rate they would all be held
        ApiServerConfig config = ApiServerConfig.loopback(0).withTimeouts(Duration.ofSeconds(4), 256)
                .withCapacity(threads, 512, 1024, 16);
        try (ApiFixture f = new ApiFixture(dir, config)) {
            List<RawHttp> slow = new ArrayList<>();
            AtomicBoolean dribbling = new AtomicBoolean(true);
            List<Long> answers = new CopyOnWriteArrayList<>();
            try {
                for (int i = 0; i < slowClients; i++) {
                    RawHttp c = new RawHttp(f.server.port(), 15_000);
                    c.send("POST /v1/transactions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                            + "Content-Length: 100000\r\n\r\nA");
                    slow.add(c);
                }
                Thread dribbler = Thread.ofPlatform().daemon().start(() -> {
                    while (dribbling.get()) {
                        for (RawHttp c : slow) {
                            try {
                                c.send("A");
                            } catch (IOException e) {
                                // cut off by the server: expected
                            }
                        }
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                // Another client keeps getting prompt answers while the slow ones dribble.
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    var res = f.get("/v1/status");
                    assertThat(res.statusCode()).isEqualTo(200);
                    answers.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                    Thread.sleep(200);
                }
                assertThat(answers).as("answer times (ms) of /v1/status during the slow-body flood").hasSizeGreaterThan(10)
                        .allSatisfy(ms -> assertThat(ms).isLessThan(2_000));
                // Every slow client has been cut off (408 JSON, or the connection closed) within the timeout.
                int answered408 = 0;
                for (RawHttp c : slow) {
                    try {
                        RawHttp.Response r = c.read();
                        assertThat(r.status()).isEqualTo(408);
                        jsonError(r, 408, "REQUEST_TIMEOUT");
                        answered408++;
                    } catch (IOException closed) {
                        // closed without an answer also frees the server
                    }
                    assertThat(c.closedByServer()).as("a slow client's connection is closed").isTrue();
                }
                assertThat(answered408).as("slow clients told 408").isPositive();
                dribbling.set(false);
                dribbler.join(5_000);
            } finally {
                dribbling.set(false);
                slow.forEach(RawHttp::close);
            }
        }
    }

    @Test
    void aClientOverItsRequestRateGets429WithRetryAfter() throws Exception {
        ApiServerConfig config = ApiServerConfig.loopback(0).withClientLimits(64, 1, 5, 8, true);
        try (ApiFixture f = new ApiFixture(dir, config)) {
            int ok = 0;
            HttpResponse<String> limited = null;
            for (int i = 0; i < 30 && limited == null; i++) {
                var res = f.get("/v1/status");
                if (res.statusCode() == 200) {
                    ok++;
                } else {
                    limited = res;
                }
            }
            assertThat(ok).as("the burst is served").isGreaterThanOrEqualTo(5);
            assertThat(limited).as("a 429 after the burst").isNotNull();
            JsonNode body = jsonError(limited, 429, "RATE_LIMITED");
            assertThat(body.get("message").asText()).contains("1 per second", "bursts of 5");
            assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v ->
                    assertThat(Long.parseLong(v)).isBetween(1L, 2L));
            // Unknown paths count too, and are refused the same way.
            jsonError(f.get("/v1/nowhere"), 429, "RATE_LIMITED");
            Thread.sleep(1_300);
            assertThat(f.get("/v1/status").statusCode()).as("tokens refill").isEqualTo(200);
        }
    }

    @Test
    void loopbackClientsAreExemptUnlessConfigured() throws Exception {
        ApiServerConfig config = ApiServerConfig.loopback(0).withClientLimits(1, 1, 1, 1, false);
        try (ApiFixture f = new ApiFixture(dir, config)) {
            for (int i = 0; i < 20; i++) {
                assertThat(f.get("/v1/status").statusCode()).isEqualTo(200);
            }
        }
    }

    @Test
    void aClientOverItsConnectionLimitGets429AndTheConnectionCloses() throws Exception {
        ApiServerConfig config = ApiServerConfig.loopback(0).withClientLimits(2, 1000, 1000, 8, true);
        try (ApiFixture f = new ApiFixture(dir, config)) {
            List<RawHttp> conns = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    conns.add(new RawHttp(f.server.port(), 10_000));
                }
                int ok = 0;
                int refused = 0;
                for (RawHttp c : conns) {
                    c.send("GET /v1/status HTTP/1.1\r\nHost: localhost\r\n\r\n");
                    RawHttp.Response r = c.read();
                    if (r.status() == 200) {
                        ok++;
                    } else {
                        assertThat(jsonError(r, 429, "RATE_LIMITED").get("message").asText()).contains("2 connections");
                        assertThat(r.header("Retry-After")).isEqualTo("1");
                        assertThat(c.closedByServer()).isTrue();
                        refused++;
                    }
                }
                assertThat(ok).isEqualTo(2);
                assertThat(refused).isEqualTo(1);
            } finally {
                conns.forEach(RawHttp::close);
            }
            // Once the others close, a new connection is served.
            int status = 0;
            for (long end = System.currentTimeMillis() + 5_000; status != 200 && System.currentTimeMillis() < end; ) {
                Thread.sleep(100);
                RawHttp.Response r = exchange(f, "GET /v1/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                status = r.status();
            }
            assertThat(status).isEqualTo(200);
        }
    }

    @Test
    void aClientOverItsStreamLimitGets429() throws Exception {
        ApiServerConfig config = ApiServerConfig.loopback(0).withKeepAlive(Duration.ofMillis(200))
                .withClientLimits(64, 1000, 1000, 1, true);
        try (ApiFixture f = new ApiFixture(dir, config)) {
            try (RawHttp first = new RawHttp(f.server.port(), 10_000)) {
                first.send("GET /v1/events/stream HTTP/1.1\r\nHost: localhost\r\n\r\n");
                RawHttp.Response open = readHead(first);
                assertThat(open.status()).isEqualTo(200);
                JsonNode second = jsonError(f.get("/v1/events/stream"), 429, "RATE_LIMITED");
                assertThat(second.get("message").asText()).contains("1 event streams");
            }
            // The stream's slot is given back when it ends (a keep-alive finds the client gone).
            long deadline = System.currentTimeMillis() + 10_000;
            while (f.server.activeStreams() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            try (RawHttp again = new RawHttp(f.server.port(), 10_000)) {
                again.send("GET /v1/events/stream HTTP/1.1\r\nHost: localhost\r\n\r\n");
                RawHttp.Response r = readHead(again);
                assertThat(r.status()).as(r.head()).isEqualTo(200);
            }
        }
    }

    private static RawHttp.Response readHead(RawHttp http) throws IOException {
        StringBuilder head = new StringBuilder();
        var in = http.socket.getInputStream();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        String h = head.toString();
        return new RawHttp.Response(Integer.parseInt(h.substring(9, 12)), h, "");
    }
}
