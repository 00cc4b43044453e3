package dev.verity.validator.api;

import static dev.verity.validator.api.ApiFixture.ALICE;
import static dev.verity.validator.api.ApiFixture.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.Hash;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.EventSubscription;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.EventView;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Server-Sent Events stream: wire format, replay then live, resuming, keep-alive, and cleaning up after a client. */
class EventStreamTest {
    @TempDir
    Path dir;

    @Test
    void wireFormatIsEventDataIdAndResumingSkipsWhatWasSeen() throws Exception {
        try (ApiFixture f = new ApiFixture(dir)) {
            Wallet alice = f.wallet(ALICE);
            for (int i = 1; i <= 3; i++) {
                alice.transfer(BOB.publicKey(), i);
                f.produce();
            }
            List<EventView> stored = f.client.events(EventQuery.forAccount(BOB.publicKey()));
            assertThat(stored).hasSize(3);
            HttpClient http = HttpClient.newHttpClient();
            String path = "/v1/events/stream?account=" + BOB.publicKey().hex();

            List<String[]> messages = read(http, f.server.url() + path + "&fromHeight=0", null, 3);
            for (int i = 0; i < 3; i++) {
                EventView ev = stored.get(i);
                String[] m = messages.get(i);
                assertThat(m[0]).isEqualTo("TRANSFER");
                assertThat(f.json(m[1])).isEqualTo(f.json(f.client.json().writeValueAsString(ev)));
                assertThat(m[2]).isEqualTo(ev.height() + ":" + ev.index());
            }

            // An EventSource reconnecting with Last-Event-ID gets what came after it.
            EventView first = stored.get(0);
            List<String[]> resumed = read(http, f.server.url() + path, first.height() + ":" + first.index(), 2);
            assertThat(resumed).extracting(m -> m[2]).containsExactly(stored.get(1).height() + ":" + stored.get(1).index(),
                    stored.get(2).height() + ":" + stored.get(2).index());
            http.close();
        }
    }

    /** Reads {@code n} SSE messages as {event, data, id}. */
    private static List<String[]> read(HttpClient http, String url, String lastEventId, int n) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<InputStream> res = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<String[]> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            String[] m = new String[3];
            String line;
            while (out.size() < n && (line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    if (m[1] != null) {
                        out.add(m);
                    }
                    m = new String[3];
                } else if (line.startsWith("event: ")) {
                    m[0] = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    m[1] = line.substring(6);
                } else if (line.startsWith("id: ")) {
                    m[2] = line.substring(4);
                }
            }
        }
        return out;
    }

    @Test
    void keepAliveHoldsAnIdleStreamOpenAndTheServerDropsAClosedOne() throws Exception {
        // Keep-alive every 100 ms; the client's request timeout (1 s) must not cut a stream that is already open.
        try (ApiFixture f = new ApiFixture(dir, Duration.ofMillis(100), Duration.ofSeconds(1))) {
            BlockingQueue<EventView> events = new LinkedBlockingQueue<>();
            BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
            EventSubscription sub = f.client.streamEvents(EventQuery.forAccount(BOB.publicKey()), events::add, errors::add);
            assertThat(f.server.activeStreams()).isEqualTo(1);
            Thread.sleep(1_500);
            assertThat(sub.isOpen()).isTrue();

            Hash tx = f.wallet(ALICE).transfer(BOB.publicKey(), 42);
            f.produce();
            EventView ev = events.poll(10, TimeUnit.SECONDS);
            assertThat(ev).isNotNull();
            assertThat(ev.type()).isEqualTo("TRANSFER");
            assertThat(ev.amount()).isEqualTo(42);
            assertThat(f.client.receipt(tx).status()).isEqualTo("INCLUDED");

            sub.close();
            assertThat(sub.awaitClosed(5, TimeUnit.SECONDS)).isTrue();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (f.server.activeStreams() > 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(f.server.activeStreams()).as("the server noticed the client left").isZero();
            assertThat(errors).as("closing is not an error").isEmpty();
        }
    }

    @Test
    void closingTheServerEndsStreamsAndTellsTheClientWhereToResume() throws Exception {
        ApiFixture f = new ApiFixture(dir);
        BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        BlockingQueue<EventView> events = new LinkedBlockingQueue<>();
        EventSubscription sub;
        try {
            f.wallet(ALICE).transfer(BOB.publicKey(), 1);
            f.produce();
            sub = f.client.streamEvents(EventQuery.all().withFromHeight(1), events::add, errors::add);
            assertThat(events.poll(10, TimeUnit.SECONDS)).isNotNull();
            f.server.close();
            // the stream must end on the server's close before the fixture closes the client, which would end it as the
            // user's own close (no error to report)
            assertThat(sub.awaitClosed(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            f.close();
        }
        Throwable e = errors.poll(5, TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(VerityApiException.class);
        assertThat(((VerityApiException) e).code()).isEqualTo(VerityApiException.STREAM_CLOSED);
        assertThat(e.getMessage()).contains("fromHeight=1");
    }

    @Test
    void aStreamSubscribedBeforeABlockSeesAllOfItEvenWithManyEvents() throws Exception {
        try (ApiFixture f = new ApiFixture(dir)) {
            BlockingQueue<EventView> events = new LinkedBlockingQueue<>();
            try (EventSubscription sub = f.client.streamEvents(EventQuery.all(), events::add)) {
                Wallet alice = f.wallet(ALICE);
                for (int i = 0; i < 50; i++) {
                    alice.transfer(BOB.publicKey(), i + 1);
                }
                f.produce();
                List<EventView> got = ApiLifecycleTest.take(events, 50);
                assertThat(got).isEqualTo(f.client.events(EventQuery.all()));
                assertThat(got).extracting(EventView::amount).containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 50).boxed().toList());
                assertThat(sub.lastHeight()).isEqualTo(1);
            }
        }
    }

    @Test
    void openApiDocumentListsEveryEndpointAndSchema() throws Exception {
        try (ApiFixture f = new ApiFixture(dir)) {
            JsonNode doc = f.client.openApi();
            assertThat(doc.get("openapi").asText()).startsWith("3.0");
            List<String> paths = new ArrayList<>();
            doc.get("paths").fieldNames().forEachRemaining(paths::add);
            assertThat(paths).containsExactlyInAnyOrder("/v1/transactions", "/v1/transactions/{hash}", "/v1/status", "/v1/params", "/v1/supply",
                    "/v1/accounts/{id}", "/v1/accounts/{id}/proof", "/v1/nodes", "/v1/nodes/{id}", "/v1/nodes/{id}/proof",
                    "/v1/models", "/v1/models/{id}", "/v1/models/{id}/proof", "/v1/models/{id}/file", "/v1/models/{id}/companions",
                    "/v1/models/{id}/companions/{name}", "/v1/jobs",
                    "/v1/jobs/{id}", "/v1/jobs/{id}/proof", "/v1/claims", "/v1/disputes", "/v1/disputes/{id}", "/v1/tee", "/v1/blocks/latest", "/v1/blocks/{height}", "/v1/blocks/{height}/events/{index}/proof", "/v1/events", "/v1/events/stream",
                    "/v1/blocks/{height}/certificate", "/v1/validators", "/v1/snapshot", "/v1/jobs/{id}/receipt",
                    "/v1/validator-set-changes",
                    "/openapi.json", "/healthz", "/readyz", "/metrics");
            doc.get("paths").forEach(item -> item.forEach(op -> {
                assertThat(op.has("operationId")).isTrue();
                assertThat(op.get("responses").size()).isPositive();
            }));
            // Every DTO is described field for field.
            JsonNode schemas = doc.get("components").get("schemas");
            for (Class<?> dto : List.of(dev.verity.sdk.api.AccountView.class, dev.verity.sdk.api.NodeView.class,
                    dev.verity.sdk.api.NodeView.UnbondingView.class, dev.verity.sdk.api.ModelView.class,
                    dev.verity.sdk.api.JobView.class, dev.verity.sdk.api.JobView.FailureView.class,
                    dev.verity.sdk.api.InputSchemaView.class, dev.verity.sdk.api.ProgramView.class, dev.verity.sdk.api.ClaimView.class,
                    dev.verity.sdk.api.DisputeView.class, dev.verity.sdk.api.BlockView.class, dev.verity.sdk.api.EventView.class,
                    dev.verity.sdk.api.HeaderView.class, dev.verity.sdk.api.StateProofView.class, dev.verity.sdk.api.EventProofView.class,
                    dev.verity.sdk.api.TransactionReceipt.class, dev.verity.sdk.api.StatusView.class, dev.verity.sdk.api.SupplyView.class,
                    dev.verity.sdk.api.ApiError.class, dev.verity.sdk.api.SubmitRequest.class,
                    dev.verity.sdk.api.TeePolicyView.class, dev.verity.sdk.api.TeePolicyView.CouncilView.class,
                    dev.verity.sdk.api.TeePolicyView.CollateralView.class, dev.verity.sdk.api.TeePolicyView.MeasurementView.class,
                    dev.verity.sdk.api.TeePolicyView.RevocationView.class,
                    dev.verity.sdk.api.TeePolicyView.RevocationTargetView.class,
                    dev.verity.sdk.api.TeePolicyView.MinimumTcbView.class, dev.verity.sdk.api.TeePolicyView.EnclaveView.class)) {
                JsonNode schema = schemas.get(dto.getSimpleName());
                assertThat(schema).as("schema %s", dto.getSimpleName()).isNotNull();
                List<String> props = new ArrayList<>();
                schema.get("properties").fieldNames().forEachRemaining(props::add);
                assertThat(props).as("fields of %s", dto.getSimpleName()).containsExactlyInAnyOrderElementsOf(
                        java.util.Arrays.stream(dto.getRecordComponents()).map(c -> c.getName()).toList());
            }
            List<String> params = new ArrayList<>();
            schemas.get("Params").get("properties").fieldNames().forEachRemaining(params::add);
            List<String> served = new ArrayList<>();
            f.client.params().fieldNames().forEachRemaining(served::add);
            assertThat(params).containsExactlyInAnyOrderElementsOf(served);
            // Every reference resolves.
            List<String> refs = new ArrayList<>();
            collectRefs(doc, refs);
            for (String ref : refs) {
                assertThat(doc.at(ref.substring(1)).isMissingNode()).as("reference %s resolves", ref).isFalse();
            }
        }
    }

    private static void collectRefs(JsonNode n, List<String> out) {
        if (n.isObject()) {
            n.fields().forEachRemaining(e -> {
                if (e.getKey().equals("$ref")) {
                    out.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), out);
                }
            });
        } else if (n.isArray()) {
            n.forEach(c -> collectRefs(c, out));
        }
    }
}
