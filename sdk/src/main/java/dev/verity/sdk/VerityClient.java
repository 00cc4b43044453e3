package dev.verity.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.sdk.api.AccountView;
import dev.verity.sdk.api.ApiError;
import dev.verity.sdk.api.BlockView;
import dev.verity.sdk.api.ClaimView;
import dev.verity.sdk.api.DisputeView;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.ModelView;
import dev.verity.sdk.api.NodeView;
import dev.verity.sdk.api.StatusView;
import dev.verity.sdk.api.SubmitRequest;
import dev.verity.sdk.api.SupplyView;
import dev.verity.sdk.api.TeePolicyView;
import dev.verity.sdk.api.TransactionReceipt;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A client of a Verity node's HTTP API (see {@code /openapi.json} on the node). Thread-safe; one
 * instance per node is enough. Every failure is a {@link VerityApiException} carrying the API error
 * code and the HTTP status (0 when the node could not be reached).
 */
public final class VerityClient implements AutoCloseable {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger STREAM_THREADS = new AtomicInteger();

    private final URI base;
    private final String baseText;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Duration requestTimeout;
    private final Set<EventSubscription> subscriptions = ConcurrentHashMap.newKeySet();

    /** A client of the node at {@code baseUrl}, e.g. {@code http://127.0.0.1:8645}. */
    public VerityClient(String baseUrl) {
        this(parse(baseUrl), DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public VerityClient(URI baseUrl) {
        this(baseUrl, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    public VerityClient(URI baseUrl, Duration connectTimeout, Duration requestTimeout) {
        String s = baseUrl.toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        this.base = parse(s);
        this.baseText = s;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no node URL given; it looks like http://127.0.0.1:8645");
        }
        URI u;
        try {
            u = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL; the node URL looks like http://127.0.0.1:8645");
        }
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' is not an http(s) URL; the node URL looks like http://127.0.0.1:8645");
        }
        return u;
    }

    /** The node's base URL, without a trailing slash. */
    public URI baseUrl() {
        return base;
    }

    /** The mapper this client reads and writes JSON with (records, unknown fields ignored). */
    public ObjectMapper json() {
        return json;
    }

    // ------------------------------------------------------------------ transactions

    /** Submits a signed transaction; returns its PENDING receipt once the node has durably accepted it. */
    public TransactionReceipt submit(SignedTransaction tx) {
        return submit(tx.encoded());
    }

    /** Submits canonical transaction bytes (as built by {@code TransactionCodec}). */
    public TransactionReceipt submit(byte[] transaction) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(new SubmitRequest(Base64.getEncoder().encodeToString(transaction)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest req = request("/v1/transactions")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return read(exchange(req), json.constructType(TransactionReceipt.class));
    }

    public TransactionReceipt receipt(Hash tx) {
        return get("/v1/transactions/" + tx.hex(), TransactionReceipt.class);
    }

    /**
     * Polls the transaction's receipt until it is INCLUDED or REFUSED (returned either way; check
     * {@code status()}), or throws a {@code TIMEOUT} {@link VerityApiException} after {@code timeout}.
     */
    public TransactionReceipt awaitReceipt(Hash tx, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleep = 25;
        while (true) {
            TransactionReceipt r = receipt(tx);
            if ("INCLUDED".equals(r.status()) || "REFUSED".equals(r.status())) {
                return r;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new VerityApiException(VerityApiException.TIMEOUT, "transaction " + tx.hex() + " is still " + r.status()
                        + " after " + timeout.toMillis() + " ms; the node may not be producing blocks", 0);
            }
            try {
                Thread.sleep(Math.min(sleep, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VerityApiException(VerityApiException.INTERRUPTED, "interrupted while waiting for transaction " + tx.hex(), 0, e);
            }
            sleep = Math.min(500, sleep * 2);
        }
    }

    // ------------------------------------------------------------------ chain

    public StatusView status() {
        return get("/v1/status", StatusView.class);
    }

    /** Every chain parameter, the penalty rules in words ({@code rules}) and the treasury balance ({@code treasuryBalance}). */
    public JsonNode params() {
        return get("/v1/params", JsonNode.class);
    }

    /** An account; one that never received funds shows balance 0 and nonce 0. */
    public AccountView account(PublicKey account) {
        return get("/v1/accounts/" + account.hex(), AccountView.class);
    }

    public List<NodeView> nodes() {
        return get("/v1/nodes", new TypeReference<List<NodeView>>() {});
    }

    /** @throws VerityApiException with code NOT_FOUND when no such node is registered */
    public NodeView node(PublicKey node) {
        return get("/v1/nodes/" + node.hex(), NodeView.class);
    }

    public List<ModelView> models() {
        return get("/v1/models", new TypeReference<List<ModelView>>() {});
    }

    /** @throws VerityApiException with code NOT_FOUND when no such model is registered */
    public ModelView model(Hash model) {
        return get("/v1/models/" + model.hex(), ModelView.class);
    }

    /**
     * Jobs matching the query in its order (newest first by default), without their input and output (see {@link #job}).
     * For the deadline order, {@link #jobPage} also gives the cursor of the next page.
     */
    public List<JobView> jobs(JobQuery q) {
        return get("/v1/jobs" + jobQuery(q), new TypeReference<List<JobView>>() {});
    }

    /**
     * One page of jobs matching the query and the cursor of the next page. In the deadline order
     * ({@link JobQuery#byDeadline()}) {@link JobPage#next()} is the cursor to pass to {@link JobQuery#after} for the
     * next page, null on the last page; in the newest-first order there is one page only (next is null).
     */
    public JobPage jobPage(JobQuery q) {
        HttpResponse<byte[]> res = exchange(request("/v1/jobs" + jobQuery(q)).GET().build());
        List<JobView> jobs = read(res, json.getTypeFactory().constructCollectionType(List.class, JobView.class));
        String next = res.headers().firstValue(JobPage.NEXT_CURSOR_HEADER).filter(v -> !v.isBlank()).orElse(null);
        return new JobPage(jobs, next);
    }

    /**
     * The jobs assigned to {@code node} that wait for its answer, earliest deadline first: at most {@code limit} (1 to
     * 1000) from just after {@code cursor} (null: from the first), with the cursor of the next page (null when none is
     * left). A worker walks every page each time it looks for work, so no assigned job stays unseen.
     */
    public JobPage assignedJobs(PublicKey node, String cursor, int limit) {
        return jobPage(JobQuery.assignedByDeadline(node).withLimit(limit).after(cursor));
    }

    private static String jobQuery(JobQuery q) {
        return new Query()
                .add("status", q.status())
                .add("node", q.node() == null ? null : q.node().hex())
                .add("client", q.client() == null ? null : q.client().hex())
                .add("model", q.model() == null ? null : q.model().hex())
                .add("limit", q.limit())
                .add("order", q.order())
                .add("after", q.after())
                .toString();
    }

    /** One job with its input and output (base64). @throws VerityApiException NOT_FOUND when there is no such job */
    public JobView job(Hash job) {
        return get("/v1/jobs/" + job.hex(), JobView.class);
    }

    /** Provable results waiting to settle that match the query, soonest phase end first. */
    public List<ClaimView> claims(ClaimQuery q) {
        Query query = new Query()
                .add("phase", q.phase())
                .add("model", q.model() == null ? null : q.model().hex())
                .add("node", q.node() == null ? null : q.node().hex())
                .add("auditor", q.auditor() == null ? null : q.auditor().hex())
                .add("limit", q.limit());
        return get("/v1/claims" + query, new TypeReference<List<ClaimView>>() {});
    }

    /** Running disputes that match the query, soonest deadline first. */
    public List<DisputeView> disputes(DisputeQuery q) {
        Query query = new Query()
                .add("party", q.party() == null ? null : q.party().hex())
                .add("model", q.model() == null ? null : q.model().hex())
                .add("limit", q.limit());
        return get("/v1/disputes" + query, new TypeReference<List<DisputeView>>() {});
    }

    /** The running dispute over a job. @throws VerityApiException NOT_FOUND when no dispute over it is running */
    public DisputeView dispute(Hash job) {
        return get("/v1/disputes/" + job.hex(), DisputeView.class);
    }

    public BlockView block(long height) {
        return get("/v1/blocks/" + height, BlockView.class);
    }

    public BlockView latestBlock() {
        return get("/v1/blocks/latest", BlockView.class);
    }

    /**
     * The chain's TEE policy: the governance council, the number the next proposal must carry, the
     * trusted collateral, approved measurements, revocations, minimum TCB versions and registered enclaves.
     */
    public TeePolicyView teePolicy() {
        return get("/v1/tee", TeePolicyView.class);
    }

    /** Where every base unit is now (balances, stakes, unbonding, treasury, escrow, bonds); the total never changes. */
    public SupplyView supply() {
        return get("/v1/supply", SupplyView.class);
    }

    /** Stored events matching the query, in chain order. */
    public List<EventView> events(EventQuery q) {
        return get("/v1/events" + eventQuery(q, true), new TypeReference<List<EventView>>() {});
    }

    /**
     * Opens {@code GET /v1/models/{id}/file} from byte {@code from} on ({@code 0}: the whole file; otherwise with
     * {@code Range: bytes=from-}). The answer is 200 (the whole file) or 206 (from {@code from}, with
     * {@code Content-Range}); the caller reads the body as it comes and closes it. Waits at most the request timeout
     * for the headers, not for the body.
     *
     * @throws VerityApiException when the node answers an error (NOT_FOUND: the chain does not know the model or this
     *         node holds no copy; 416 RANGE_NOT_SATISFIABLE: {@code from} is at or past the end) or cannot be reached
     */
    public HttpResponse<InputStream> modelFile(Hash model, long from) {
        if (from < 0) {
            throw new IllegalArgumentException("the first byte must be >= 0, got " + from);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseText + "/v1/models/" + model.hex() + "/file"))
                .timeout(requestTimeout)
                .header("Accept", "application/octet-stream")
                .header("User-Agent", "verity-sdk-java");
        if (from > 0) {
            b.header("Range", "bytes=" + from + "-");
        }
        HttpResponse<InputStream> res = send(b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        if (res.statusCode() != 200 && res.statusCode() != 206) {
            throw streamedError(res);
        }
        return res;
    }

    /** The API error a streamed response carries instead of its content (its first 64 KiB are read, then it is closed). */
    private VerityApiException streamedError(HttpResponse<InputStream> res) {
        byte[] body;
        try (InputStream in = res.body()) {
            body = in.readNBytes(64 * 1024);
        } catch (IOException e) {
            body = new byte[0];
        }
        return error(res.statusCode(), body);
    }

    /** The node's OpenAPI document. */
    public JsonNode openApi() {
        return get("/openapi.json", JsonNode.class);
    }

    // ------------------------------------------------------------------ event stream

    /** {@link #streamEvents(EventQuery, Consumer, Consumer)} without an error callback. */
    public EventSubscription streamEvents(EventQuery q, Consumer<EventView> onEvent) {
        return streamEvents(q, onEvent, null);
    }

    /**
     * Opens a Server-Sent Events stream of events matching {@code q} (see {@link EventQuery}). Returns
     * once the node has accepted the subscription: every event of a block produced after that is
     * delivered. {@code onEvent} runs on the subscription's daemon thread, in chain order; an
     * exception it throws goes to {@code onError} and the stream goes on. {@code onError} (may be
     * null) is called once if the stream ends other than by {@link EventSubscription#close()}.
     *
     * @throws VerityApiException when the node refuses the subscription (e.g. BAD_REQUEST) or cannot be reached
     */
    public EventSubscription streamEvents(EventQuery q, Consumer<EventView> onEvent, Consumer<Throwable> onError) {
        HttpRequest req = request("/v1/events/stream" + eventQuery(q, false))
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        HttpResponse<InputStream> res = send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (res.statusCode() != 200) {
            throw streamedError(res);
        }
        EventSubscription sub = new EventSubscription(res.body());
        subscriptions.add(sub);
        Thread t = new Thread(() -> pump(sub, res.body(), onEvent, onError), "verity-events-" + STREAM_THREADS.incrementAndGet());
        t.setDaemon(true);
        sub.start(t);
        return sub;
    }

    private void pump(EventSubscription sub, InputStream in, Consumer<EventView> onEvent, Consumer<Throwable> onError) {
        Throwable failure = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String id = null;
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        EventView ev;
                        try {
                            ev = json.readValue(data.toString(), EventView.class);
                        } catch (IOException e) {
                            ev = null;
                            report(onError, new VerityApiException("BAD_EVENT", "the node sent an event that is not an EventView: "
                                    + e.getMessage(), 200, e));
                        }
                        if (ev != null) {
                            if (id != null) {
                                sub.seen(id);
                            }
                            try {
                                onEvent.accept(ev);
                            } catch (RuntimeException e) {
                                report(onError, e);
                            }
                        }
                    }
                    data.setLength(0);
                    id = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    continue; // a comment: keep-alive
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "data" -> {
                        if (!data.isEmpty()) {
                            data.append('\n');
                        }
                        data.append(value);
                    }
                    case "id" -> id = value;
                    default -> {
                        // "event" (the type is in the data too) and "retry" need nothing
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        } finally {
            subscriptions.remove(sub);
            if (!sub.closedByUser()) {
                String resume = sub.lastEventId() == null ? "" : " after event " + sub.lastEventId();
                report(onError, new VerityApiException(VerityApiException.STREAM_CLOSED, "the event stream from " + baseText
                        + " ended" + (failure == null ? "" : " (" + failure.getMessage() + ")") + "; resubscribe with fromHeight="
                        + Math.max(0, sub.lastHeight()) + resume + " to go on", 0, failure));
            }
            sub.finished();
        }
    }

    private static void report(Consumer<Throwable> onError, Throwable t) {
        if (onError != null) {
            try {
                onError.accept(t);
            } catch (RuntimeException ignored) {
                // nothing sensible to do with a failing error handler
            }
        }
    }

    private String eventQuery(EventQuery q, boolean withLimit) {
        return new Query()
                .add("job", q.job() == null ? null : q.job().hex())
                .add("node", q.node() == null ? null : q.node().hex())
                .add("account", q.account() == null ? null : q.account().hex())
                .add("fromHeight", q.fromHeight())
                .add("fromIndex", withLimit ? q.fromIndex() : null)
                .add("limit", withLimit ? q.limit() : null)
                .toString();
    }

    // ------------------------------------------------------------------ plumbing

    private HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseText + pathAndQuery))
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", "verity-sdk-java");
    }

    private <T> T get(String pathAndQuery, Class<T> type) {
        return read(exchange(request(pathAndQuery).GET().build()), json.constructType(type));
    }

    private <T> T get(String pathAndQuery, TypeReference<T> type) {
        return read(exchange(request(pathAndQuery).GET().build()), json.constructType(type));
    }

    private HttpResponse<byte[]> exchange(HttpRequest req) {
        return send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    private <B> HttpResponse<B> send(HttpRequest req, HttpResponse.BodyHandler<B> handler) {
        try {
            return http.send(req, handler);
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(e);
        } catch (HttpTimeoutException e) {
            throw new VerityApiException(VerityApiException.TIMEOUT, "the Verity node at " + baseText + " did not answer "
                    + req.method() + " " + req.uri().getPath() + " within " + requestTimeout.toSeconds() + " s", 0, e);
        } catch (ConnectException e) {
            throw unreachable(e);
        } catch (IOException e) {
            if (isConnectFailure(e)) {
                throw unreachable(e);
            }
            throw new VerityApiException(VerityApiException.IO_ERROR, "lost the connection to the Verity node at " + baseText
                    + " during " + req.method() + " " + req.uri().getPath() + ": " + e.getMessage(), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerityApiException(VerityApiException.INTERRUPTED, "interrupted while waiting for the Verity node at " + baseText, 0, e);
        } catch (IllegalArgumentException e) {
            throw unreachable(e);
        }
    }

    private static boolean isConnectFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnresolvedAddressException || c instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }

    private VerityApiException unreachable(Exception e) {
        return new VerityApiException(VerityApiException.UNREACHABLE, "cannot reach the Verity node at " + baseText
                + ": is it running?", 0, e);
    }

    private <T> T read(HttpResponse<byte[]> res, JavaType type) {
        if (res.statusCode() / 100 != 2) {
            throw error(res.statusCode(), res.body());
        }
        try {
            return json.readValue(res.body(), type);
        } catch (IOException e) {
            throw new VerityApiException("BAD_RESPONSE", "the node at " + baseText + " sent an answer this client cannot read ("
                    + e.getMessage() + "); are the node and the SDK of the same version?", res.statusCode(), e);
        }
    }

    private VerityApiException error(int status, byte[] body) {
        try {
            ApiError e = json.readValue(body, ApiError.class);
            if (e != null && e.code() != null) {
                return new VerityApiException(e.code(), e.message(), status);
            }
        } catch (IOException ignored) {
            // not an API error body: fall through
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.length() > 200) {
            text = text.substring(0, 200) + "...";
        }
        return new VerityApiException("HTTP_" + status, "the node at " + baseText + " answered HTTP " + status
                + (text.isEmpty() ? "" : ": " + text), status);
    }

    /** Closes open event streams and the HTTP client. */
    @Override
    public void close() {
        for (EventSubscription s : new ArrayList<>(subscriptions)) {
            try {
                s.close();
            } catch (IOException ignored) {
                // never thrown
            }
        }
        http.shutdownNow();
    }

    private static final class Query {
        private final StringBuilder sb = new StringBuilder();

        Query add(String name, Object value) {
            if (value != null) {
                sb.append(sb.isEmpty() ? '?' : '&').append(name).append('=')
                        .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
            return this;
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }
}
