package dev.verity.compute.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.protocol.generation.FinishReason;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The node's token stream over real HTTP: late subscribers get every token, live ones follow, the end is told. */
class TokenStreamServerTest {
    final TokenStreams streams = new TokenStreams(2);
    final TokenStreamServer server = new TokenStreamServer(streams, "127.0.0.1", 0, Duration.ofSeconds(2), 2);
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        server.close();
    }

    static Hash job(String name) {
        return Sha256.digest(name.getBytes(StandardCharsets.UTF_8));
    }

    /** The events of one stream, as "event data" lines, until it ends. */
    List<String> read(Hash job) throws Exception {
        HttpResponse<java.io.InputStream> res = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/v1/jobs/" + job.hex() + "/tokens")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<String> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            String event = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    events.add(event + " " + line.substring(5).strip());
                }
            }
        }
        return events;
    }

    @Test
    void aLateSubscriberGetsEveryTokenFromTheFirstThenTheEnd() throws Exception {
        Hash job = job("late");
        TokenListener p = streams.publisher(job);
        p.token(0, 17);
        p.token(1, 4);
        p.finished(FinishReason.END_OF_TEXT);
        assertThat(read(job)).containsExactly("token {\"index\":0,\"id\":17}", "token {\"index\":1,\"id\":4}",
                "done {\"finishReason\":\"END_OF_TEXT\"}");
    }

    @Test
    void tokensMadeAfterTheSubscriptionFollowAsTheyCome() throws Exception {
        Hash job = job("live");
        TokenListener p = streams.publisher(job);
        CompletableFuture<List<String>> events = CompletableFuture.supplyAsync(() -> {
            try {
                return read(job);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        p.token(0, 5);
        Thread.sleep(100);
        p.token(1, 6);
        p.failed("the model run failed: out of memory");
        assertThat(events.get(10, TimeUnit.SECONDS)).containsExactly("token {\"index\":0,\"id\":5}",
                "token {\"index\":1,\"id\":6}", "error {\"message\":\"the model run failed: out of memory\"}");
    }

    @Test
    void aJobThisNodeNeverStartsEndsWithAnErrorAndIsForgotten() throws Exception {
        Hash job = job("never");
        assertThat(read(job)).singleElement().asString().startsWith("error").contains("has not started job " + job.hex());
        assertThat(streams.knows(job)).isFalse();
    }

    @Test
    void tooManyStreamsAreRefusedAndABadIdIsABadRequest() throws Exception {
        Hash a = job("a");
        Hash b = job("b");
        streams.publisher(a);
        streams.publisher(b);
        List<CompletableFuture<HttpResponse<java.io.InputStream>>> open = new ArrayList<>();
        for (Hash h : List.of(a, b)) {
            open.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/jobs/"
                    + h.hex() + "/tokens")).build(), HttpResponse.BodyHandlers.ofInputStream()));
        }
        for (var f : open) {
            assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> third = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/jobs/" + job("c").hex() + "/tokens")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.body()).contains("already serves 2 token streams");
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/jobs/xyz/tokens")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        for (var f : open) {
            f.get().body().close();
        }
    }

    @Test
    void onlyTheLastFinishedStreamsAreKept() {
        for (String name : List.of("1", "2", "3")) {
            TokenListener p = streams.publisher(job(name));
            p.token(0, 1);
            p.finished(FinishReason.LENGTH);
        }
        assertThat(streams.knows(job("1"))).as("beyond the retention of 2").isFalse();
        assertThat(streams.knows(job("2"))).isTrue();
        assertThat(streams.knows(job("3"))).isTrue();
    }
}
