package dev.verity.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.core.DecodingException;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.receipt.JobReceipt;
import dev.verity.receipt.ReceiptVerification;
import dev.verity.receipt.ReceiptVerifier;
import dev.verity.receipt.TrustedValidators;
import dev.verity.sdk.api.AccountView;
import dev.verity.sdk.api.ApiError;
import dev.verity.sdk.api.BlockView;
import dev.verity.sdk.api.ClaimView;
import dev.verity.sdk.api.DisputeView;
import dev.verity.sdk.api.EventProofView;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.ModelView;
import dev.verity.sdk.api.NodeView;
import dev.verity.sdk.api.StateProofView;
import dev.verity.sdk.api.StatusView;
import dev.verity.sdk.api.SubmitRequest;
import dev.verity.sdk.api.SupplyView;
import dev.verity.sdk.api.TeePolicyView;
import dev.verity.sdk.api.TransactionReceipt;
import dev.verity.sdk.api.ValidatorsView;
import java.io.IOException;
import java.io.InputStream;
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
 *
 * <p>{@link #failover(List)} makes one client over several validators of the same chain: every call goes to the
 * validator in use and, when that one is unavailable ({@link VerityApiException#unavailable()}: unreachable, the
 * connection broke or timed out, HTTP 502, 503 such as {@code NODE_HALTED}, 504), the same call goes to the next URL;
 * the client then sticks to the validator that answered. An error that is the caller's (any 4xx) is not retried
 * elsewhere. Submitting a transaction again elsewhere is safe: the chain takes a transaction once by its hash, and
 * a validator that already holds it (the first one took it before it went away, and passed it on) answers
 * "already submitted", which a retried {@link #submit} turns into that validator's receipt. Event streams move to
 * the next validator when theirs ends, resuming after the last event delivered.
 */
public final class VerityClient implements AutoCloseable {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final AtomicInteger STREAM_THREADS = new AtomicInteger();

    private final Endpoints endpoints;
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
        this(List.of(base(baseUrl.toString())), connectTimeout, requestTimeout);
    }

    private VerityClient(List<String> bases, Duration connectTimeout, Duration requestTimeout) {
        this.endpoints = new Endpoints(bases);
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /**
     * One client over the validators at {@code urls} (of the same chain), the first in use: a call that finds its
     * validator unavailable is made again on the next URL, and the client stays with the one that answered (see the
     * class comment). When none answers, the error names every URL tried and why. One call may take up to the request
     * timeout on each unavailable validator. With one URL this is {@link #VerityClient(String)}.
     *
     * @throws IllegalArgumentException when the list is empty, a URL is not an http(s) URL, or one is given twice
     */
    public static VerityClient failover(List<String> urls) {
        return failover(urls, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    /** {@link #failover(List)} with the given connect timeout and per-validator request timeout. */
    public static VerityClient failover(List<String> urls, Duration connectTimeout, Duration requestTimeout) {
        return new VerityClient(urls.stream().map(VerityClient::base).toList(), connectTimeout, requestTimeout);
    }

    /** A checked base URL without a trailing slash. */
    private static String base(String url) {
        String s = parse(url).toString();
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        parse(s);
        return s;
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

    /** The base URL of the node in use (for a failover client, the one that answered last), without a trailing slash. */
    public URI baseUrl() {
        return URI.create(endpoints.current());
    }

    /**
     * Tells {@code listener} (a sentence: which validator was unavailable, why, and which one is used now) each time a
     * {@link #failover} client moves to another validator, e.g. to log it; by default it is a debug line of
     * {@code System.Logger}. Returns this.
     */
    public VerityClient onFailover(Consumer<String> listener) {
        endpoints.onMove(java.util.Objects.requireNonNull(listener));
        return this;
    }

    /** Every base URL of this client, in the order they are tried (one, unless made by {@link #failover}). */
    public List<URI> baseUrls() {
        return endpoints.all().stream().map(URI::create).toList();
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

    /**
     * Submits canonical transaction bytes (as built by {@code TransactionCodec}). On a failover client, when the
     * validator in use was unavailable and the next one answers that it already holds the transaction (the first one
     * may have taken it before it went away), that validator's receipt for it is returned.
     */
    public TransactionReceipt submit(byte[] transaction) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(new SubmitRequest(Base64.getEncoder().encodeToString(transaction)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Hash hash = Sha256.digest(transaction);
        JavaType receipt = json.constructType(TransactionReceipt.class);
        return endpoints.call((base, retried) -> {
            HttpRequest req = request(base, "/v1/transactions")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            try {
                return read(base, exchange(base, req), receipt);
            } catch (VerityApiException e) {
                if (retried && e.alreadySubmitted()) {
                    return read(base, exchange(base, request(base, "/v1/transactions/" + hash.hex()).GET().build()), receipt);
                }
                throw e;
            }
        });
    }

    public TransactionReceipt receipt(Hash tx) {
        return get("/v1/transactions/" + tx.hex(), TransactionReceipt.class);
    }

    /**
     * Polls the transaction's receipt until it is INCLUDED or REFUSED (returned either way; check
     * {@code status()}, and a refusal's {@code code()} and {@code message()}), or throws a {@code TIMEOUT} {@link VerityApiException} after {@code timeout}.
     */
    public TransactionReceipt awaitReceipt(Hash tx, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleep = 25;
        while (true) {
            TransactionReceipt r = receipt(tx);
            if (TransactionReceipt.INCLUDED.equals(r.status()) || r.refused()) {
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
        return endpoints.call((base, retried) -> {
            HttpResponse<byte[]> res = exchange(base, request(base, "/v1/jobs" + jobQuery(q)).GET().build());
            List<JobView> jobs = read(base, res, json.getTypeFactory().constructCollectionType(List.class, JobView.class));
            String next = res.headers().firstValue(JobPage.NEXT_CURSOR_HEADER).filter(v -> !v.isBlank()).orElse(null);
            return new JobPage(jobs, next);
        });
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
     * An account's row proven against the head block's state root, or its absence (an account that never held funds
     * has no row). Check it offline with {@link dev.verity.sdk.proof.ProofVerifier#account}.
     */
    public StateProofView accountProof(PublicKey account) {
        return get("/v1/accounts/" + account.hex() + "/proof", StateProofView.class);
    }

    /** A node's row proven against the head block's state root, or its absence ({@link dev.verity.sdk.proof.ProofVerifier#node}). */
    public StateProofView nodeProof(PublicKey node) {
        return get("/v1/nodes/" + node.hex() + "/proof", StateProofView.class);
    }

    /** A model's row proven against the head block's state root, or its absence ({@link dev.verity.sdk.proof.ProofVerifier#model}). */
    public StateProofView modelProof(Hash model) {
        return get("/v1/models/" + model.hex() + "/proof", StateProofView.class);
    }

    /**
     * A live job's row proven against the head block's state root, or its absence: a job that finished (settled,
     * expired, cancelled or failed) has left the live state and proves absent; its events prove what happened
     * ({@link #eventProof}). Check it with {@link dev.verity.sdk.proof.ProofVerifier#job}.
     */
    public StateProofView jobProof(Hash job) {
        return get("/v1/jobs/" + job.hex() + "/proof", StateProofView.class);
    }

    /**
     * Event {@code index} (from 0) of the block at {@code height} proven against the block's events root. Check it with
     * {@link dev.verity.sdk.proof.ProofVerifier#event}.
     *
     * @throws VerityApiException NOT_FOUND when there is no such block, or the block has no event at that index
     */
    public EventProofView eventProof(long height, int index) {
        return get("/v1/blocks/" + height + "/events/" + index + "/proof", EventProofView.class);
    }

    // ------------------------------------------------------------------ receipts and validators

    /**
     * The active validator set ({@code GET /v1/validators}): the chain id, the height of the block whose state holds
     * the set, its hash, its encoding and its members. Saved as JSON it is a trust file
     * ({@link dev.verity.sdk.receipt.TrustFile}).
     */
    public ValidatorsView validators() {
        return get("/v1/validators", ValidatorsView.class);
    }

    /**
     * The validator set the state after block {@code height} held ({@code GET /v1/validators?height=N}; 0 for the
     * genesis set), while the node keeps it: the set to trust for receipts of the blocks after it.
     */
    public ValidatorsView validators(long height) {
        if (height < 0) {
            throw new IllegalArgumentException("a block height is 0 (genesis) or more, got " + height);
        }
        return get("/v1/validators" + new Query().add("height", height), ValidatorsView.class);
    }

    /**
     * The validator set this node serves, checked for agreement (its hash, its readable list) and ready to verify
     * receipts with. Trusting it is trusting this node, on first use: keep it ({@link dev.verity.sdk.receipt.TrustFile})
     * and verify later receipts against the kept set.
     *
     * @throws VerityApiException BAD_RESPONSE when the set served does not agree with itself
     */
    public TrustedValidators trustedValidators() {
        ValidatorsView view = validators();
        try {
            return view.toTrusted();
        } catch (IllegalArgumentException e) {
            throw new VerityApiException("BAD_RESPONSE", "the node at " + baseUrl() + " served a validator set that does not "
                    + "agree with itself: " + e.getMessage(), 200, e);
        }
    }

    /**
     * A job's receipt as the node sends it ({@code GET /v1/jobs/{id}/receipt}, {@code application/octet-stream}): the
     * canonical bytes of a {@link JobReceipt}, to keep, pass on or check with {@link ReceiptVerifier}. The receipt
     * carries the validator-set changes from genesis on.
     *
     * @throws VerityApiException NOT_FOUND when the node has no receipt for the job (no such job, or none of its events
     *                            is final yet)
     */
    public byte[] jobReceiptBytes(Hash job) {
        return receiptBytes("/v1/jobs/" + job.hex() + "/receipt");
    }

    /**
     * As {@link #jobReceiptBytes(Hash)}, carrying only the validator-set changes above {@code trustedHeight}, the
     * height of the set the caller trusts ({@link TrustedValidators#fromHeight()}; {@code ?trustedHeight=N}).
     */
    public byte[] jobReceiptBytes(Hash job, long trustedHeight) {
        if (trustedHeight < 0) {
            throw new IllegalArgumentException("the trusted height is 0 or more, got " + trustedHeight);
        }
        return receiptBytes("/v1/jobs/" + job.hex() + "/receipt" + new Query().add("trustedHeight", trustedHeight));
    }

    /**
     * A job's receipt, decoded (not verified: see {@link #verifyJobReceipt}).
     *
     * @throws VerityApiException NOT_FOUND when the node has no receipt for the job; BAD_RESPONSE when what it sent is
     *                            not a receipt
     */
    public JobReceipt jobReceipt(Hash job) {
        byte[] bytes = jobReceiptBytes(job);
        try {
            return JobReceipt.decode(bytes);
        } catch (DecodingException e) {
            throw new VerityApiException("BAD_RESPONSE", "the node at " + baseUrl() + " sent a receipt this client cannot read ("
                    + e.getMessage() + "); are the node and the SDK of the same version?", 200, e);
        }
    }

    /**
     * Fetches the job's receipt (with the set changes above the trusted height) and checks it here against
     * {@code trusted}: the node is not trusted, so bytes that do not decode are a refusal
     * ({@link dev.verity.receipt.ReceiptCheck#FORMAT}), not an exception.
     *
     * @throws VerityApiException when the node cannot be reached or has no receipt for the job
     */
    public ReceiptVerification verifyJobReceipt(Hash job, TrustedValidators trusted) {
        return ReceiptVerifier.verify(jobReceiptBytes(job, trusted.fromHeight()), trusted);
    }

    private byte[] receiptBytes(String pathAndQuery) {
        return endpoints.call((base, retried) -> {
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                    .timeout(requestTimeout)
                    .header("Accept", "application/octet-stream")
                    .header("User-Agent", "verity-sdk-java")
                    .GET()
                    .build();
            HttpResponse<byte[]> res = exchange(base, req);
            if (res.statusCode() / 100 != 2) {
                throw error(base, res.statusCode(), res.body());
            }
            return res.body();
        });
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
        return endpoints.call((base, retried) -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/v1/models/" + model.hex() + "/file"))
                    .timeout(requestTimeout)
                    .header("Accept", "application/octet-stream")
                    .header("User-Agent", "verity-sdk-java");
            if (from > 0) {
                b.header("Range", "bytes=" + from + "-");
            }
            HttpResponse<InputStream> res = send(base, b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (res.statusCode() != 200 && res.statusCode() != 206) {
                throw streamedError(base, res);
            }
            return res;
        });
    }

    /** The API error a streamed response carries instead of its content (its first 64 KiB are read, then it is closed). */
    private VerityApiException streamedError(String base, HttpResponse<InputStream> res) {
        byte[] body;
        try (InputStream in = res.body()) {
            body = in.readNBytes(64 * 1024);
        } catch (IOException e) {
            body = new byte[0];
        }
        return error(base, res.statusCode(), body);
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
     * <p>On a {@link #failover} client a stream that ends is opened again on the next validator that answers, after
     * the last event delivered ({@code Last-Event-ID}); {@code onError} hears of it only when no validator takes it up.
     * Until the first event arrives there is no position to resume from, so a live-only stream ({@code fromHeight}
     * null) may miss the events of the blocks produced while it moved.
     *
     * @throws VerityApiException when the node refuses the subscription (e.g. BAD_REQUEST) or cannot be reached
     */
    public EventSubscription streamEvents(EventQuery q, Consumer<EventView> onEvent, Consumer<Throwable> onError) {
        EventPump.Opened first = openStream(q, null);
        EventSubscription sub = new EventSubscription(first.body());
        subscriptions.add(sub);
        EventPump pump = new EventPump(json, sub, onEvent, onError,
                endpoints.size() == 1 ? null : ended -> {
                    endpoints.movePast(ended);
                    return openStream(q, sub);
                },
                () -> subscriptions.remove(sub));
        Thread t = new Thread(() -> pump.run(first), "verity-events-" + STREAM_THREADS.incrementAndGet());
        t.setDaemon(true);
        sub.start(t);
        return sub;
    }

    /** Opens the stream of {@code q}, or (with {@code resume}) again after the last event {@code resume} delivered. */
    private EventPump.Opened openStream(EventQuery q, EventSubscription resume) {
        String lastId = resume == null ? null : resume.lastEventId();
        EventQuery query = lastId == null ? q : q.withFromHeight(resume.lastHeight());
        return endpoints.call((base, retried) -> {
            HttpRequest.Builder b = request(base, "/v1/events/stream" + eventQuery(query, false)).header("Accept", "text/event-stream");
            if (lastId != null) {
                b.header("Last-Event-ID", lastId);
            }
            HttpResponse<InputStream> res = send(base, b.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (res.statusCode() != 200) {
                throw streamedError(base, res);
            }
            return new EventPump.Opened(base, res.body());
        });
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

    private HttpRequest.Builder request(String base, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", "verity-sdk-java");
    }

    private <T> T get(String pathAndQuery, Class<T> type) {
        return get(pathAndQuery, json.constructType(type));
    }

    private <T> T get(String pathAndQuery, TypeReference<T> type) {
        return get(pathAndQuery, json.constructType(type));
    }

    private <T> T get(String pathAndQuery, JavaType type) {
        return endpoints.call((base, retried) -> read(base, exchange(base, request(base, pathAndQuery).GET().build()), type));
    }

    private HttpResponse<byte[]> exchange(String base, HttpRequest req) {
        return send(base, req, HttpResponse.BodyHandlers.ofByteArray());
    }

    private <B> HttpResponse<B> send(String base, HttpRequest req, HttpResponse.BodyHandler<B> handler) {
        try {
            return http.send(req, handler);
        } catch (HttpConnectTimeoutException e) {
            throw unreachable(base, e);
        } catch (HttpTimeoutException e) {
            long ms = requestTimeout.toMillis();
            throw new VerityApiException(VerityApiException.TIMEOUT, "the Verity node at " + base + " did not answer "
                    + req.method() + " " + req.uri().getPath() + " within " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms"), 0, e);
        } catch (ConnectException e) {
            throw unreachable(base, e);
        } catch (IOException e) {
            if (isConnectFailure(e)) {
                throw unreachable(base, e);
            }
            throw new VerityApiException(VerityApiException.IO_ERROR, "lost the connection to the Verity node at " + base
                    + " during " + req.method() + " " + req.uri().getPath() + ": " + e.getMessage(), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerityApiException(VerityApiException.INTERRUPTED, "interrupted while waiting for the Verity node at " + base, 0, e);
        } catch (IllegalArgumentException e) {
            throw unreachable(base, e);
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

    private static VerityApiException unreachable(String base, Exception e) {
        return new VerityApiException(VerityApiException.UNREACHABLE, "cannot reach the Verity node at " + base
                + ": is it running?", 0, e);
    }

    private <T> T read(String base, HttpResponse<byte[]> res, JavaType type) {
        if (res.statusCode() / 100 != 2) {
            throw error(base, res.statusCode(), res.body());
        }
        try {
            return json.readValue(res.body(), type);
        } catch (IOException e) {
            throw new VerityApiException("BAD_RESPONSE", "the node at " + base + " sent an answer this client cannot read ("
                    + e.getMessage() + "); are the node and the SDK of the same version?", res.statusCode(), e);
        }
    }

    private VerityApiException error(String base, int status, byte[] body) {
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
        return new VerityApiException("HTTP_" + status, "the node at " + base + " answered HTTP " + status
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
