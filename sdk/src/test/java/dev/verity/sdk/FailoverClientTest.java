package dev.verity.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Sha256;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.TransactionReceipt;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * {@link VerityClient#failover}'s rules against stub validators over real HTTP: which failures move a call to the
 * next validator, which end it, the client staying with the validator that answered, a transaction submitted again,
 * and an event stream that moves.
 */
class FailoverClientTest {
    private static final Duration SHORT = Duration.ofMillis(500);

    private static VerityClient failover(String... urls) {
        return VerityClient.failover(List.of(urls), SHORT, SHORT);
    }

    private static String closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @ParameterizedTest(name = "HTTP {0} {1}")
    @CsvSource({"503, NODE_HALTED", "503, MEMPOOL_FULL", "502, BAD_GATEWAY", "504, GATEWAY_TIMEOUT"})
    void anUnavailableValidatorPassesTheCallOnAndTheClientStaysWithTheNextOne(int status, String code) {
        try (StubValidator a = new StubValidator().failing(status, code);
             StubValidator b = new StubValidator().on(ex -> StubValidator.answer(ex, 200, StubValidator.status("b", 7)));
             VerityClient client = failover(a.url(), b.url())) {
            List<String> moves = new CopyOnWriteArrayList<>();
            client.onFailover(moves::add);
            assertThat(client.status().validator()).isEqualTo("b");
            assertThat(client.baseUrl().toString()).isEqualTo(b.url());
            assertThat(moves).singleElement().asString().contains("the validator at " + a.url() + " is unavailable",
                    "stub says " + code, "now using " + b.url());
            assertThat(client.status().height()).isEqualTo(7);
            assertThat(a.requests()).as("the second call goes straight to the validator that answered").hasSize(1);
            assertThat(b.requests()).hasSize(2);
        }
    }

    @Test
    void aRefusedConnectionATimeoutAndAResetConnectionPassTheCallOn() throws Exception {
        try (StubValidator slow = new StubValidator().on(ex -> sleep(3_000));
             StubValidator reset = new StubValidator().on(ex -> { /* closes the exchange without an answer */ });
             StubValidator b = new StubValidator().on(ex -> StubValidator.answer(ex, 200, StubValidator.status("b", 1)));
             VerityClient client = failover(closedPort(), slow.url(), reset.url(), b.url())) {
            assertThat(client.status().validator()).isEqualTo("b");
            assertThat(slow.requests()).hasSize(1);
            assertThat(reset.requests()).as("the JDK's client tries a GET once more on a reset connection").isNotEmpty();
        }
    }

    @ParameterizedTest(name = "HTTP {0} {1}")
    @CsvSource({"400, INVALID_INPUT", "404, NOT_FOUND", "429, RATE_LIMITED", "500, INTERNAL"})
    void theCallersErrorsAndServerBugsAreNotRetriedElsewhere(int status, String code) {
        try (StubValidator a = new StubValidator().failing(status, code);
             StubValidator b = new StubValidator().on(ex -> StubValidator.answer(ex, 200, StubValidator.status("b", 1)));
             VerityClient client = failover(a.url(), b.url())) {
            assertThatThrownBy(client::status).isInstanceOfSatisfying(VerityApiException.class, e -> {
                assertThat(e.code()).isEqualTo(code);
                assertThat(e.status()).isEqualTo(status);
            });
            assertThat(b.requests()).isEmpty();
            assertThat(client.baseUrl().toString()).isEqualTo(a.url());
        }
    }

    @Test
    void whenNoValidatorAnswersTheErrorNamesEveryUrlAndWhy() throws Exception {
        String refused = closedPort();
        try (StubValidator halted = new StubValidator().failing(503, "NODE_HALTED");
             VerityClient client = failover(refused, halted.url())) {
            assertThatThrownBy(client::status).isInstanceOfSatisfying(VerityApiException.class, e -> {
                assertThat(e.code()).as("they failed in different ways").isEqualTo(VerityApiException.UNAVAILABLE);
                assertThat(e.getMessage()).contains("no validator answers", refused + " (UNREACHABLE", "is it running?",
                        halted.url() + " (NODE_HALTED, HTTP 503: stub says NODE_HALTED)");
                assertThat(e.getSuppressed()).hasSize(1);
            });
        }
        try (VerityClient client = failover(refused, closedPort())) {
            assertThatThrownBy(client::status).isInstanceOfSatisfying(VerityApiException.class, e -> {
                assertThat(e.code()).as("they all failed alike").isEqualTo(VerityApiException.UNREACHABLE);
                assertThat(e.getMessage()).startsWith("no validator answers; tried " + refused);
            });
        }
    }

    @Test
    void aTransactionTheNextValidatorAlreadyHoldsIsItsReceipt() {
        byte[] tx = "a signed transaction".getBytes(StandardCharsets.UTF_8);
        String hash = Sha256.digest(tx).hex();
        StubValidator.Handler holdsIt = ex -> {
            if (ex.getRequestMethod().equals("POST")) {
                StubValidator.answer(ex, 400, "{\"code\":\"BAD_NONCE\",\"message\":\"transaction " + hash
                        + " was already submitted (a replay?)\"}");
            } else {
                StubValidator.answer(ex, 200, "{\"hash\":\"" + hash + "\",\"status\":\"PENDING\",\"height\":0,\"code\":null,"
                        + "\"message\":null}");
            }
        };
        try (StubValidator a = new StubValidator().on(ex -> sleep(3_000));
             StubValidator b = new StubValidator().on(holdsIt);
             VerityClient client = failover(a.url(), b.url())) {
            TransactionReceipt r = client.submit(tx);
            assertThat(r.hash()).isEqualTo(hash);
            assertThat(r.status()).isEqualTo("PENDING");
            assertThat(b.requests()).containsExactly("POST /v1/transactions", "GET /v1/transactions/" + hash);
            // Not after a failover: the validator in use says it already holds it, and that is the caller's to hear.
            assertThatThrownBy(() -> client.submit(tx)).isInstanceOfSatisfying(VerityApiException.class,
                    e -> assertThat(e.alreadySubmitted()).isTrue());
        }
    }

    @Test
    void anEventStreamMovesToTheNextValidatorAfterTheLastEventDelivered() throws Exception {
        CountDownLatch end = new CountDownLatch(1);
        List<String> lastEventIds = new CopyOnWriteArrayList<>();
        try (StubValidator a = new StubValidator();
             StubValidator b = new StubValidator().on(ex -> {
                 lastEventIds.add(String.valueOf(ex.getRequestHeaders().getFirst("Last-Event-ID")));
                 OutputStream out = sse(ex);
                 event(out, 6, 0, "JOB_SETTLED");
                 awaitQuietly(end);
             });
             VerityClient client = failover(a.url(), b.url())) {
            a.on(ex -> {
                OutputStream out = sse(ex);
                event(out, 5, 2, "JOB_SUBMITTED");
                a.failing(503, "SHUTTING_DOWN"); // it ends this stream and goes away
            });
            List<EventView> events = new CopyOnWriteArrayList<>();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            EventSubscription sub = client.streamEvents(EventQuery.all(), events::add, errors::add);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (events.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(events).extracting(EventView::type).containsExactly("JOB_SUBMITTED", "JOB_SETTLED");
            assertThat(errors).isEmpty();
            assertThat(lastEventIds).containsExactly("5:2");
            assertThat(b.requests()).containsExactly("GET /v1/events/stream?fromHeight=5");
            assertThat(sub.lastEventId()).isEqualTo("6:0");
            sub.close();
            assertThat(sub.awaitClosed(5, TimeUnit.SECONDS)).isTrue();
            assertThat(errors).as("closed by its user: no error").isEmpty();
        } finally {
            end.countDown();
        }
    }

    @Test
    void aClientOfOneValidatorSaysTheStreamEndedAsBefore() throws Exception {
        try (StubValidator a = new StubValidator().on(ex -> event(sse(ex), 3, 0, "JOB_SUBMITTED"));
             VerityClient client = VerityClient.failover(List.of(a.url()))) {
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            EventSubscription sub = client.streamEvents(EventQuery.all(), ev -> {}, errors::add);
            assertThat(sub.awaitClosed(5, TimeUnit.SECONDS)).isTrue();
            assertThat(errors).singleElement().isInstanceOfSatisfying(VerityApiException.class, e -> {
                assertThat(e.code()).isEqualTo(VerityApiException.STREAM_CLOSED);
                assertThat(e.getMessage()).contains(a.url(), "fromHeight=3 after event 3:0");
            });
            assertThat(a.requests()).hasSize(1);
        }
    }

    @Test
    void urlsAreCheckedUpFront() {
        assertThatThrownBy(() -> VerityClient.failover(List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> VerityClient.failover(List.of("http://a:1", "http://a:1/"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> VerityClient.failover(List.of("http://a:1", "ftp://b"))).hasMessageContaining("'ftp://b'");
        try (VerityClient c = VerityClient.failover(List.of("http://a:1/", "http://b:2"))) {
            assertThat(c.baseUrls()).extracting(Object::toString).containsExactly("http://a:1", "http://b:2");
            assertThat(c.baseUrl().toString()).isEqualTo("http://a:1");
        }
    }

    private static OutputStream sse(com.sun.net.httpserver.HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        return ex.getResponseBody();
    }

    private static void event(OutputStream out, long height, int index, String type) throws IOException {
        String data = "{\"height\":" + height + ",\"index\":" + index + ",\"timestampMillis\":0,\"type\":\"" + type + "\",\"amount\":0}";
        out.write(("id: " + height + ":" + index + "\nevent: " + type + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
