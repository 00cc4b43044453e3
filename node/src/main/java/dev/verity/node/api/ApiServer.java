package dev.verity.node.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.TransactionRejectedException;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.rules.FeeMarket;
import dev.verity.ledger.state.Account;
import dev.verity.ledger.state.DeadlineKey;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.Supply;
import dev.verity.node.chain.ChainNode;
import dev.verity.node.chain.NodeHaltedException;
import dev.verity.node.chain.StoredEvents;
import dev.verity.node.chain.Views;
import dev.verity.node.metrics.MetricsRoutes;
import dev.verity.node.model.ModelStore;
import dev.verity.sdk.JobPage;
import dev.verity.sdk.JobQuery;
import dev.verity.sdk.api.AccountView;
import dev.verity.sdk.api.ApiError;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.ModelView;
import dev.verity.sdk.api.NodeView;
import dev.verity.sdk.api.SupplyView;
import dev.verity.sdk.api.TransactionReceipt;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseClient;
import io.javalin.json.JavalinJackson;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API on 127.0.0.1: JSON under {@code /v1}, a Server-Sent Events stream of ledger
 * events, and the OpenAPI document at {@code /openapi.json}. Every error is an {@link ApiError}
 * JSON body {@code {"code", "message"}}: a transaction the ledger refuses is 400 with the reject code
 * (503 {@code MEMPOOL_FULL} when the mempool is full), an unknown id 404 {@code NOT_FOUND}, a
 * malformed parameter 400 {@code BAD_REQUEST} naming it, a body over the limit 413
 * {@code PAYLOAD_TOO_LARGE}, anything unexpected 500 {@code INTERNAL} (details only in the log).
 * State queries run under {@link ChainNode#read}, so each answer is one consistent snapshot.
 */
public final class ApiServer implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);
    /** Concurrent event streams at most; more are refused with 503 TOO_MANY_STREAMS. */
    public static final int MAX_STREAMS = 256;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String OPENAPI_RESOURCE = "/openapi.json";
    private static final AtomicInteger STREAM_THREADS = new AtomicInteger();

    private final ChainNode chain;
    private final int requestedPort;
    private final long keepAliveMillis;
    private final ObjectMapper json;
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private final ExecutorService streamExecutor;
    private final byte[] openApi;
    private Javalin app;
    private volatile boolean closed;
    private volatile ModelStore modelStore;

    /** A server for {@code chain} on 127.0.0.1:{@code port} (0 = any free port); call {@link #start()}. */
    public ApiServer(ChainNode chain, int port) {
        this(chain, port, DEFAULT_KEEP_ALIVE);
    }

    /** As {@link #ApiServer(ChainNode, int)}, with the interval between keep-alive comments on event streams. */
    public ApiServer(ChainNode chain, int port, Duration keepAliveInterval) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the API port must be 0 to 65535, got " + port);
        }
        this.chain = chain;
        this.requestedPort = port;
        this.keepAliveMillis = Math.max(1, keepAliveInterval.toMillis());
        this.json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        this.openApi = loadOpenApi();
        this.streamExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "verity-api-stream-" + STREAM_THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static byte[] loadOpenApi() {
        try (InputStream in = ApiServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + OPENAPI_RESOURCE + " is missing from the node's classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves the files of {@code store} at {@code GET /v1/models/{id}/file} (null: none, 404); returns this. */
    public ApiServer serveModelFiles(ModelStore store) {
        this.modelStore = store;
        return this;
    }

    /** Binds the port and starts serving; returns this. */
    public synchronized ApiServer start() {
        if (app != null) {
            throw new IllegalStateException("the API server is already started");
        }
        Javalin a = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.http.maxRequestSize = Long.MAX_VALUE; // bodies are limited in readBody, with a clear message
            config.router.ignoreTrailingSlashes = true;
        });
        routes(a);
        errors(a);
        try {
            a.start(HOST, requestedPort);
        } catch (RuntimeException e) {
            a.stop();
            throw new IllegalStateException("cannot start the API server on " + HOST + ":" + requestedPort + ": "
                    + rootMessage(e) + (requestedPort != 0 ? " (is another program using the port?)" : ""), e);
        }
        app = a;
        LOG.info("API listening on {}", url());
        return this;
    }

    /** The port the server listens on (the chosen one when started with port 0). */
    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("the API server is not started");
        }
        return app.port();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://" + HOST + ":" + port();
    }

    /** Event streams open now. */
    public int activeStreams() {
        return streams.size();
    }

    /** Ends open event streams and stops the server. */
    @Override
    public void close() {
        Javalin a;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            a = app;
        }
        for (EventStream s : List.copyOf(streams)) {
            s.stop();
        }
        if (a != null) {
            a.stop();
        }
        streamExecutor.shutdownNow();
    }

    // ------------------------------------------------------------------ routes

    private void routes(Javalin a) {
        a.post("/v1/transactions", this::submit);
        a.get("/v1/transactions/{hash}", this::receipt);
        a.get("/v1/status", ctx -> ctx.json(chain.status()));
        a.get("/v1/params", ctx -> ctx.json(chain.read(s ->
                ParamsDocument.build(chain.genesis().chainId(), s.params(), FeeMarket.basePrice(s),
                        s.global(LedgerState.GLOBAL_TREASURY)))));
        a.get("/v1/supply", ctx -> ctx.json(chain.read(s -> {
            Supply x = Supply.of(s);
            return new SupplyView(s.height(), x.balances(), x.stakes(), x.unbonding(), x.treasury(), x.escrow(), x.bonds(), x.total());
        })));
        a.get("/v1/accounts/{id}", this::account);
        a.get("/v1/nodes", ctx -> ctx.json(chain.read(s -> s.nodes.view().values().stream().map(n -> Views.node(s, n)).toList())));
        a.get("/v1/nodes/{id}", this::node);
        a.get("/v1/models", ctx -> ctx.json(chain.read(s -> s.models.view().values().stream().map(m -> Views.model(s, m)).toList())));
        a.get("/v1/models/{id}", this::model);
        a.get("/v1/jobs", this::jobs);
        a.get("/v1/jobs/{id}", this::job);
        VerificationRoutes verification = new VerificationRoutes(chain);
        a.get("/v1/claims", verification::claims);
        a.get("/v1/disputes", verification::disputes);
        a.get("/v1/disputes/{id}", verification::dispute);
        a.get("/v1/tee", ctx -> ctx.json(chain.read(Views::teePolicy)));
        a.get("/v1/blocks/latest", this::latestBlock);
        a.get("/v1/blocks/{height}", this::block);
        a.get("/v1/events", this::events);
        a.get("/v1/events/stream", this::stream);
        a.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        MetricsRoutes.install(a, chain); // /healthz, /readyz, /metrics and the request counts
        new ModelFileRoutes(chain, () -> modelStore).register(a);
    }

    private void submit(Context ctx) {
        int maxTx = chain.read(s -> s.params().maxTransactionBytes());
        long limit = base64Length(maxTx) + 4096;
        byte[] body = readBody(ctx, limit);
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        byte[] tx;
        if (type.startsWith("application/octet-stream")) {
            tx = body;
        } else if (type.isEmpty() || type.startsWith("application/json") || type.contains("+json")) {
            tx = transactionFromJson(body);
        } else {
            throw new ApiException(415, ApiException.UNSUPPORTED_MEDIA_TYPE, "send the transaction as Content-Type "
                    + "application/json with {\"transaction\": \"<base64>\"}, or as application/octet-stream raw bytes; got '"
                    + RequestParams.shorten(ctx.contentType()) + "'");
        }
        Hash hash = chain.submit(tx);
        ctx.status(202).header("Location", "/v1/transactions/" + hash.hex())
                .json(new TransactionReceipt(hash.hex(), "PENDING", 0, null));
    }

    private byte[] transactionFromJson(byte[] body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("the body is not valid JSON; send {\"transaction\": \"<base64 of the signed transaction>\"}");
        }
        JsonNode t = node == null ? null : node.get("transaction");
        if (t == null || !t.isTextual()) {
            throw ApiException.badRequest("the JSON body needs a string field 'transaction' holding the base64 of the signed "
                    + "transaction's canonical bytes");
        }
        try {
            return Base64.getDecoder().decode(t.asText().strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("parameter 'transaction' is not valid base64: " + e.getMessage());
        }
    }

    private static long base64Length(long n) {
        return (n + 2) / 3 * 4;
    }

    /** Reads the request body, refusing one over {@code limit} bytes with 413. */
    private static byte[] readBody(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(declared, limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (b.length > limit) {
                throw tooLarge(-1, limit);
            }
            return b;
        } catch (IOException e) {
            throw ApiException.badRequest("could not read the request body: " + e.getMessage());
        }
    }

    private static ApiException tooLarge(long size, long limit) {
        return new ApiException(413, ApiException.PAYLOAD_TOO_LARGE, "the request body is "
                + (size >= 0 ? size + " bytes" : "larger than the limit") + "; at most " + limit
                + " bytes are accepted (a transaction is limited by the chain parameter maxTransactionBytes)");
    }

    private void receipt(Context ctx) {
        Hash hash = RequestParams.pathHash(ctx, "hash", "a transaction hash");
        TransactionReceipt r = chain.receipt(hash);
        if ("UNKNOWN".equals(r.status())) {
            throw ApiException.notFound("no transaction " + hash.hex() + " is known to this node: it was never submitted here, "
                    + "or it was refused long ago");
        }
        ctx.json(r);
    }

    private void account(Context ctx) {
        PublicKey id = RequestParams.pathKey(ctx, "id", "an account");
        ctx.json(chain.read(s -> {
            Account acc = s.account(id);
            return new AccountView(id.hex(), acc.balance(), acc.nonce(), chain.nextNonce(id));
        }));
    }

    private void node(Context ctx) {
        PublicKey id = RequestParams.pathKey(ctx, "id", "a node id");
        Optional<NodeView> n = chain.read(s -> s.nodes.find(id).map(r -> Views.node(s, r)));
        ctx.json(n.orElseThrow(() -> ApiException.notFound("no node " + id.hex() + " on this chain")));
    }

    private void model(Context ctx) {
        Hash id = RequestParams.pathHash(ctx, "id", "a model id (the SHA-256 of the model file)");
        Optional<ModelView> m = chain.read(s -> s.models.find(id).map(r -> Views.model(s, r)));
        ctx.json(m.orElseThrow(() -> ApiException.notFound("no model " + id.hex() + " on this chain")));
    }

    private void jobs(Context ctx) {
        JobStatus status = statusParam(ctx);
        PublicKey node = RequestParams.queryKey(ctx, "node", "a node id");
        PublicKey client = RequestParams.queryKey(ctx, "client", "a client account");
        Hash model = RequestParams.queryHash(ctx, "model", "a model id");
        int limit = RequestParams.limit(ctx);
        boolean byDeadline = deadlineOrder(ctx);
        String afterText = RequestParams.query(ctx, "after");
        if (!byDeadline && afterText != null) {
            throw ApiException.badRequest("query parameter 'after' is a cursor of the deadline order; add order=deadline");
        }
        if (byDeadline) {
            if (status != null && status != JobStatus.ASSIGNED) {
                throw ApiException.badRequest("order=deadline lists assigned jobs, the only ones with a deadline; leave 'status' "
                        + "out or give ASSIGNED, got '" + status + "'");
            }
            DeadlineKey after = afterText == null ? null : cursor(afterText);
            DeadlinePage page = chain.read(s -> byDeadline(s, after, node, client, model, limit));
            if (page.next() != null) {
                ctx.header(JobPage.NEXT_CURSOR_HEADER, page.next());
            }
            ctx.json(page.jobs());
            return;
        }
        JobStatus wanted = status;
        // Newest first: keep the `limit` newest matches in a heap ordered oldest-first.
        Comparator<JobRecord> newestFirst = Comparator.comparingLong(JobRecord::submittedAt).reversed()
                .thenComparing(JobRecord::id);
        List<JobView> out = chain.read(s -> {
            PriorityQueue<JobRecord> heap = new PriorityQueue<>(newestFirst.reversed());
            for (JobRecord j : candidates(s, wanted)) {
                if ((wanted == null || j.status() == wanted) && (node == null || node.equals(j.assignedNode()))
                        && (client == null || client.equals(j.client())) && (model == null || model.equals(j.model()))) {
                    heap.add(j);
                    if (heap.size() > limit) {
                        heap.poll();
                    }
                }
            }
            List<JobRecord> picked = new ArrayList<>(heap);
            picked.sort(newestFirst);
            return picked.stream().map(j -> Views.job(s, j, null, null)).toList();
        });
        ctx.json(out);
    }

    private static JobStatus statusParam(Context ctx) {
        String text = RequestParams.query(ctx, "status");
        if (text == null) {
            return null;
        }
        try {
            return JobStatus.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("query parameter 'status' must be one of " + Arrays.stream(JobStatus.values())
                    .map(Enum::name).collect(Collectors.joining(", ")) + ", got '" + RequestParams.shorten(text) + "'");
        }
    }

    /** {@code order}: {@code newest} (the default) or {@code deadline}; true for the deadline order. */
    private static boolean deadlineOrder(Context ctx) {
        String text = RequestParams.query(ctx, "order");
        if (text == null || text.equalsIgnoreCase(JobQuery.NEWEST)) {
            return false;
        }
        if (text.equalsIgnoreCase(JobQuery.DEADLINE)) {
            return true;
        }
        throw ApiException.badRequest("query parameter 'order' must be '" + JobQuery.NEWEST + "' (the default: newest first) or '"
                + JobQuery.DEADLINE + "' (assigned jobs, earliest deadline first, page by page), got '"
                + RequestParams.shorten(text) + "'");
    }

    /** A cursor {@code <deadlineHeight>:<jobId>}: the last job of the page before, as {@link JobPage#cursorOf} makes it. */
    private static DeadlineKey cursor(String text) {
        int colon = text.indexOf(':');
        String problem = null;
        long height = -1;
        if (colon < 1) {
            problem = "it has no ':'";
        } else {
            try {
                height = Long.parseLong(text.substring(0, colon));
            } catch (NumberFormatException e) {
                height = -1;
            }
            if (height < 0) {
                problem = "'" + RequestParams.shorten(text.substring(0, colon)) + "' is not a block height (a whole number >= 0)";
            }
        }
        if (problem != null) {
            throw ApiException.badRequest("query parameter 'after' must be a cursor <deadlineHeight>:<jobId>, as the "
                    + JobPage.NEXT_CURSOR_HEADER + " header of the page before gives it, got '" + RequestParams.shorten(text)
                    + "': " + problem);
        }
        Hash job = RequestParams.hash(text.substring(colon + 1), "the job id of query parameter 'after'",
                "a job id (the cursor is <deadlineHeight>:<jobId>)");
        return new DeadlineKey(height, job);
    }

    /** One page of a deadline-ordered listing, and the cursor of the next page (null when this page is the last). */
    private record DeadlinePage(List<JobView> jobs, String next) {}

    /**
     * Assigned jobs matching the filters in the deadlines table's order (deadline height, then job id), from just after
     * {@code after} (null: from the start). The table holds open assignments only, so a page costs a walk over them, not
     * over every job ever stored.
     */
    private static DeadlinePage byDeadline(LedgerState s, DeadlineKey after, PublicKey node, PublicKey client, Hash model,
                                           int limit) {
        SortedMap<DeadlineKey, Long> rows = after == null ? s.deadlines.view() : s.deadlines.view().tailMap(after);
        List<JobView> page = new ArrayList<>();
        DeadlineKey last = null;
        for (DeadlineKey k : rows.keySet()) {
            if (k.equals(after)) {
                continue;
            }
            JobRecord j = s.jobs.get(k.job());
            if (j == null || j.status() != JobStatus.ASSIGNED || j.deadlineHeight() != k.height()
                    || (node != null && !node.equals(j.assignedNode())) || (client != null && !client.equals(j.client()))
                    || (model != null && !model.equals(j.model()))) {
                continue;
            }
            if (page.size() == limit) {
                return new DeadlinePage(page, JobPage.cursor(last.height(), last.job()));
            }
            page.add(Views.job(s, j, null, null));
            last = k;
        }
        return new DeadlinePage(page, null);
    }

    /**
     * The jobs worth scanning: open jobs come from the small deadline, queue and claim tables (workers
     * poll for their assigned jobs often), the others from the whole job table.
     */
    private static Iterable<JobRecord> candidates(LedgerState s, JobStatus wanted) {
        if (wanted == JobStatus.ASSIGNED) {
            return s.deadlines.view().keySet().stream().map(k -> s.jobs.get(k.job())).filter(Objects::nonNull)::iterator;
        }
        if (wanted == JobStatus.QUEUED) {
            return s.queue.view().values().stream().map(s.jobs::get).filter(Objects::nonNull)::iterator;
        }
        if (wanted == JobStatus.VERIFYING || wanted == JobStatus.DISPUTED) {
            return s.claims.view().keySet().stream().map(s.jobs::get).filter(Objects::nonNull)::iterator;
        }
        return s.jobs.view().values();
    }

    private void job(Context ctx) {
        Hash id = RequestParams.pathHash(ctx, "id", "a job id (the hash of its SubmitJob transaction)");
        Optional<JobView> j = chain.read(s -> s.jobs.find(id).map(r -> Views.job(s, r, s.jobInputs.get(id), s.jobOutputs.get(id))));
        ctx.json(j.orElseThrow(() -> ApiException.notFound("no job " + id.hex() + " on this chain")));
    }

    private void latestBlock(Context ctx) {
        long h = chain.height();
        if (h < 1) {
            throw ApiException.notFound("no blocks yet: the chain is at genesis (height 0)");
        }
        ctx.json(Views.block(chain.block(h).orElseThrow(() -> new IllegalStateException("head block " + h + " is missing"))));
    }

    private void block(Context ctx) {
        String text = ctx.pathParam("height");
        long height;
        try {
            height = Long.parseLong(text);
            if (height < 1) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("path parameter 'height' must be a block height (a whole number >= 1) or 'latest', got '"
                    + RequestParams.shorten(text) + "'");
        }
        Optional<Block> b = chain.block(height);
        ctx.json(Views.block(b.orElseThrow(() -> ApiException.notFound("no block at height " + height
                + " on this chain; it is at height " + chain.height()))));
    }

    private static EventStream.Filter eventFilter(Context ctx) {
        Hash job = RequestParams.queryHash(ctx, "job", "a job id");
        PublicKey node = RequestParams.queryKey(ctx, "node", "a node id");
        PublicKey account = RequestParams.queryKey(ctx, "account", "an account");
        int given = (job != null ? 1 : 0) + (node != null ? 1 : 0) + (account != null ? 1 : 0);
        if (given > 1) {
            throw ApiException.badRequest("give at most one of the query parameters 'job', 'node' and 'account'");
        }
        if (job != null) {
            return new EventStream.Filter(StoredEvents.JOB, job.hex());
        }
        if (node != null) {
            return new EventStream.Filter(StoredEvents.NODE, node.hex());
        }
        if (account != null) {
            return new EventStream.Filter(StoredEvents.ACCOUNT, account.hex());
        }
        return EventStream.Filter.ALL;
    }

    private void events(Context ctx) {
        EventStream.Filter filter = eventFilter(ctx);
        long from = RequestParams.queryLong(ctx, "fromHeight", 0L);
        long fromIndex = RequestParams.queryLong(ctx, "fromIndex", 0L);
        if (fromIndex > Integer.MAX_VALUE) {
            throw ApiException.badRequest("query parameter 'fromIndex' must be at most " + Integer.MAX_VALUE + ", got " + fromIndex);
        }
        int limit = RequestParams.limit(ctx);
        List<EventView> events = filter.stored(chain, from, (int) fromIndex, limit);
        ctx.json(events);
    }

    private void stream(Context ctx) {
        EventStream.Filter filter = eventFilter(ctx);
        Long from = RequestParams.queryLong(ctx, "fromHeight", null);
        long resumeHeight = -1;
        int resumeIndex = -1;
        String lastId = ctx.header("Last-Event-ID");
        if (lastId != null && !lastId.isBlank()) {
            String[] parts = lastId.strip().split(":");
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                resumeHeight = Long.parseLong(parts[0]);
                resumeIndex = Integer.parseInt(parts[1]);
                if (resumeHeight < 0 || resumeIndex < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("header 'Last-Event-ID' must be height:index as sent in an event's id, got '"
                        + RequestParams.shorten(lastId) + "'");
            }
            if (from == null) {
                from = resumeHeight;
            }
        }
        if (closed) {
            throw new ApiException(503, "SHUTTING_DOWN", "the node is shutting down");
        }
        if (streams.size() >= MAX_STREAMS) {
            throw new ApiException(503, ApiException.TOO_MANY_STREAMS, "this node already serves " + MAX_STREAMS
                    + " event streams; retry later or poll /v1/events");
        }
        EventStream stream = new EventStream(chain, filter, from, resumeHeight, resumeIndex, keepAliveMillis);
        // Listen before the response starts: a client that has seen the headers misses no later block.
        streams.add(stream);
        chain.addListener(stream);
        try {
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            res.setCharacterEncoding("UTF-8");
            res.setContentType("text/event-stream");
            res.addHeader("Cache-Control", "no-cache");
            res.addHeader("X-Accel-Buffering", "no");
            res.flushBuffer();
            ctx.async(cfg -> {
                cfg.timeout = 0;
                cfg.executor = streamExecutor;
            }, () -> {
                try {
                    stream.run(new SseClient(ctx));
                } finally {
                    streams.remove(stream);
                }
            });
        } catch (IOException | RuntimeException e) {
            chain.removeListener(stream);
            streams.remove(stream);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
    }

    // ------------------------------------------------------------------ errors

    private void errors(Javalin a) {
        a.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage()));
        a.exception(NodeHaltedException.class, (e, ctx) -> error(ctx, 503, NodeHaltedException.CODE, e.getMessage()));
        a.exception(TransactionRejectedException.class, (e, ctx) -> {
            if (e.code() == RejectCode.MEMPOOL_FULL) {
                ctx.header("Retry-After", "1");
                error(ctx, 503, ApiException.MEMPOOL_FULL, e.getMessage());
            } else {
                error(ctx, 400, e.code().name(), e.getMessage());
            }
        });
        a.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            String code = switch (status) {
                case 404 -> ApiException.NOT_FOUND;
                case 405 -> "METHOD_NOT_ALLOWED";
                case 413 -> ApiException.PAYLOAD_TOO_LARGE;
                case 400 -> ApiException.BAD_REQUEST;
                default -> status >= 500 ? ApiException.INTERNAL : "HTTP_" + status;
            };
            String message = status == 404 ? notFoundRoute(ctx) : e.getMessage();
            error(ctx, status, code, message);
        });
        a.exception(Exception.class, (e, ctx) -> {
            LOG.error("internal error answering {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, ApiException.INTERNAL, "the node failed to answer " + ctx.method() + " " + ctx.path()
                    + "; the node's log has the details");
        });
        a.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                error(ctx, 404, ApiException.NOT_FOUND, notFoundRoute(ctx));
            }
        });
    }

    private static String notFoundRoute(Context ctx) {
        return "no endpoint " + ctx.method() + " " + RequestParams.shorten(ctx.path()) + "; see /openapi.json for the API";
    }

    private static void error(Context ctx, int status, String code, String message) {
        ctx.status(status).json(new ApiError(code, message));
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }
}
