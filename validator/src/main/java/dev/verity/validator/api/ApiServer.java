package dev.verity.validator.api;

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
import dev.verity.ledger.state.JobRetirement;
import dev.verity.ledger.state.JobStatus;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.Supply;
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
import dev.verity.service.model.ModelStore;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.HistoryPrunedException;
import dev.verity.validator.chain.NodeHaltedException;
import dev.verity.validator.chain.StoredEvents;
import dev.verity.validator.chain.Views;
import dev.verity.validator.metrics.MetricsRoutes;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseClient;
import io.javalin.json.JavalinJackson;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API (on 127.0.0.1 unless {@link ApiServerConfig#host()} says otherwise): JSON
 * under {@code /v1}, a Server-Sent Events stream of ledger events, and the OpenAPI document at
 * {@code /openapi.json}. Every error is an {@link ApiError} JSON body {@code {"code", "message"}}: a
 * transaction the ledger refuses is 400 with the reject code (503 {@code MEMPOOL_FULL} when the
 * mempool is full), an unknown id 404 {@code NOT_FOUND} (410 {@code PRUNED} on a pruned node when it
 * may lie in the history it deleted, see {@link HistoryPrunedException}), a malformed parameter 400
 * {@code BAD_REQUEST} naming it, a body over the limit 413 {@code PAYLOAD_TOO_LARGE}, an unknown
 * path 404, a wrong method on a known path 405 {@code METHOD_NOT_ALLOWED}, a URL or headers over the
 * limit 414 {@code URI_TOO_LONG} / 431 {@code HEADERS_TOO_LARGE}, a body that arrives too slowly
 * 408 {@code REQUEST_TIMEOUT}, a client over its limits 429 {@code RATE_LIMITED} with Retry-After,
 * anything unexpected 500 {@code INTERNAL} (details only in the log). State queries run under
 * {@link ChainNode#read}, so each answer is one consistent snapshot.
 *
 * <p>As a public server it bounds what one client can take ({@link ApiServerConfig}): an idle timeout
 * and a minimum data rate on request bodies (so slow senders cannot hold the worker threads), a
 * bounded worker pool and queue, a cap on connections, and per-address limits on connections,
 * requests per second and event streams.
 */
public final class ApiServer implements AutoCloseable {
    public static final String HOST = ApiServerConfig.LOOPBACK;
    public static final Duration DEFAULT_KEEP_ALIVE = ApiServerConfig.DEFAULT_KEEP_ALIVE;
    /** Concurrent event streams at most by default; more are refused with 503 TOO_MANY_STREAMS. */
    public static final int MAX_STREAMS = ApiServerConfig.DEFAULT_MAX_STREAMS;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String OPENAPI_RESOURCE = "/openapi.json";
    private static final AtomicInteger STREAM_THREADS = new AtomicInteger();

    private final ChainNode chain;
    private final ApiServerConfig config;
    private final ClientLimiter limiter;
    /** Connections opened while their address was at its connection limit: answered 429 and closed. */
    private final Set<EndPoint> overLimit = ConcurrentHashMap.newKeySet();
    /** The address each counted connection came from (a closed endpoint no longer says). */
    private final java.util.Map<Connection, String> counted = new ConcurrentHashMap<>();
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
        this(chain, ApiServerConfig.loopback(port).withKeepAlive(keepAliveInterval));
    }

    /** A server for {@code chain} listening and limiting clients as {@code config} says; call {@link #start()}. */
    public ApiServer(ChainNode chain, ApiServerConfig config) {
        this.chain = chain;
        this.config = Objects.requireNonNull(config, "config");
        this.limiter = new ClientLimiter(config.maxConnectionsPerClient(), config.requestsPerSecond(), config.requestBurst(),
                config.maxStreamsPerClient());
        this.keepAliveMillis = Math.max(1, config.keepAlive().toMillis());
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
            config.http.prefer405over404 = true;
            config.router.ignoreTrailingSlashes = true;
            configureJetty(config.jetty);
        });
        a.before(this::admit);
        routes(a);
        errors(a);
        try {
            a.start();
        } catch (RuntimeException e) {
            a.stop();
            throw new IllegalStateException("cannot start the API server on " + config.host() + ":" + config.port() + ": "
                    + rootMessage(e) + (config.port() != 0 ? " (is another program using the port?)" : ""), e);
        }
        app = a;
        LOG.info("API listening on {}{}", url(), config.isLoopback() ? " (this machine only)"
                : " (public: reachable from other machines)");
        return this;
    }

    /** Jetty as a public server needs it: bounded threads and queue, timeouts, a minimum body rate, size and connection caps. */
    private void configureJetty(io.javalin.config.JettyConfig jetty) {
        QueuedThreadPool pool = new QueuedThreadPool(config.maxThreads(), Math.min(8, config.maxThreads()), 60_000,
                new ArrayBlockingQueue<>(config.queueCapacity()));
        pool.setName("verity-api");
        jetty.threadPool = pool;
        ErrorHandler jsonErrors = new JsonErrorHandler();
        jetty.modifyServer(server -> {
            server.setErrorHandler(jsonErrors);
            server.addBean(new ConnectionLimit(config.maxConnections(), server));
        });
        jetty.modifyServletContextHandler(context -> context.setErrorHandler(jsonErrors));
        jetty.modifyHttpConfiguration(http -> {
            http.setIdleTimeout(config.idleTimeout().toMillis());
            http.setMinRequestDataRate(config.minRequestDataRate());
            http.setRequestHeaderSize(config.maxRequestHeaderBytes());
            http.setSendServerVersion(false);
        });
        jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(config.host());
            connector.setPort(config.port());
            connector.setIdleTimeout(config.idleTimeout().toMillis());
            connector.addBean(new ClientConnections());
            return connector;
        });
    }

    /** The port the server listens on (the chosen one when started with port 0). */
    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("the API server is not started");
        }
        return app.port();
    }

    /** What the server was configured with. */
    public ApiServerConfig config() {
        return config;
    }

    /**
     * {@code http://<host>:<port>}, a URL a client on this machine can use: the loopback address when
     * the server listens on every interface (0.0.0.0 or ::).
     */
    public String url() {
        String h = config.host();
        if (h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]")) {
            h = HOST;
        } else if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port();
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
            return new SupplyView(s.height(), x.balances(), x.stakes(), x.unbonding(), x.treasury(), x.escrow(), x.bonds(),
                    x.validatorStakes(), x.validatorUnbonding(), x.total());
        })));
        a.get("/v1/accounts/{id}", this::account);
        a.get("/v1/nodes", ctx -> ctx.json(chain.read(s -> s.nodes.values().stream().map(n -> Views.node(s, n)).toList())));
        a.get("/v1/nodes/{id}", this::node);
        a.get("/v1/models", ctx -> ctx.json(chain.read(s -> s.models.values().stream().map(m -> Views.model(s, m)).toList())));
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
        new ProofRoutes(chain).register(a);
        new FinalityRoutes(chain).register(a);
        a.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        MetricsRoutes.install(a, chain); // /healthz, /readyz, /metrics and the request counts
        new ModelFileRoutes(chain, () -> modelStore).register(a);
    }

    private void submit(Context ctx) {
        int maxTx = chain.read(s -> s.params().maxTransactionBytes());
        long limit = base64Length(maxTx) + 4096;
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        boolean raw = type.startsWith("application/octet-stream");
        if (!raw && !(type.isEmpty() || type.startsWith("application/json") || type.contains("+json"))) {
            throw new ApiException(415, ApiException.UNSUPPORTED_MEDIA_TYPE, "send the transaction as Content-Type "
                    + "application/json with {\"transaction\": \"<base64>\"}, or as application/octet-stream raw bytes; got '"
                    + RequestParams.shorten(ctx.contentType()) + "'");
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(declared, limit);
        }
        // The body is read without holding a thread while it arrives: a slow sender costs a connection, not a worker.
        ctx.future(() -> readBodyAsync(ctx, limit).handle((body, failure) -> {
            try {
                if (failure != null) {
                    throw failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause()
                            : failure;
                }
                byte[] tx = raw ? body : transactionFromJson(body);
                Hash hash = chain.submit(tx);
                ctx.status(202).header("Location", "/v1/transactions/" + hash.hex())
                        .json(new TransactionReceipt(hash.hex(), TransactionReceipt.PENDING, 0));
            } catch (Exception e) {
                answerFailure(e, ctx); // answered here, so the after-handlers count it like any other answer
            } catch (Throwable t) {
                throw new java.util.concurrent.CompletionException(t);
            }
            return null;
        }));
    }

    /**
     * Reads the request body with a servlet {@link ReadListener}: no thread waits while it arrives. Completes with
     * 413 over {@code limit} bytes, and with Jetty's 408 when the body comes slower than the minimum data rate or
     * pauses past the idle timeout.
     */
    private static CompletableFuture<byte[]> readBodyAsync(Context ctx, long limit) {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        ServletInputStream in;
        try {
            in = ctx.req().getInputStream();
        } catch (IOException e) {
            throw ApiException.badRequest("could not read the request body: " + e.getMessage());
        }
        in.setReadListener(new ReadListener() {
            private final ByteArrayOutputStream body = new ByteArrayOutputStream();
            private final byte[] chunk = new byte[16 * 1024];

            @Override
            public void onDataAvailable() {
                try {
                    while (!done.isDone() && in.isReady()) {
                        int n = in.read(chunk);
                        if (n < 0) {
                            return;
                        }
                        body.write(chunk, 0, n);
                        if (body.size() > limit) {
                            done.completeExceptionally(tooLarge(-1, limit));
                            return;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    done.completeExceptionally(bodyFailure(e));
                }
            }

            @Override
            public void onAllDataRead() {
                done.complete(body.toByteArray());
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(bodyFailure(t));
            }
        });
        return done;
    }

    /** Why a request body could not be read, as the error to answer. */
    private static RuntimeException bodyFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BadMessageException bad) {
                return bad; // a body too slow (408) or malformed: answered as Jetty's status says
            }
            if (c instanceof TimeoutException || c instanceof java.net.SocketTimeoutException) {
                return new BadMessageException(408, "idle timeout");
            }
        }
        return ApiException.badRequest("could not read the request body: " + (t.getMessage() == null ? t.toString() : t.getMessage()));
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

    private static ApiException tooLarge(long size, long limit) {
        return new ApiException(413, ApiException.PAYLOAD_TOO_LARGE, "the request body is "
                + (size >= 0 ? size + " bytes" : "larger than the limit") + "; at most " + limit
                + " bytes are accepted (a transaction is limited by the chain parameter maxTransactionBytes)");
    }

    private void receipt(Context ctx) {
        Hash hash = RequestParams.pathHash(ctx, "hash", "a transaction hash");
        TransactionReceipt r = chain.receipt(hash);
        if ("UNKNOWN".equals(r.status())) {
            chain.requireUnpruned("transaction " + hash.hex() + " is not pending, in a kept block or among the kept refusals");
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

    /** How many archived jobs one listing walks at most, looking for matches of its filters. */
    static final int ARCHIVE_SCAN_LIMIT = 20_000;

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
        java.util.function.Predicate<JobRecord> matches = j -> (wanted == null || j.status() == wanted)
                && (node == null || node.equals(j.assignedNode())) && (client == null || client.equals(j.client()))
                && (model == null || model.equals(j.model()));
        List<JobView> live = chain.read(s -> {
            PriorityQueue<JobRecord> heap = new PriorityQueue<>(newestFirst.reversed());
            for (JobRecord j : candidates(s, wanted)) {
                if (matches.test(j)) {
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
        List<JobView> out = new ArrayList<>(live);
        if (wanted == null || JobRetirement.isFinished(wanted)) {
            // Finished jobs, newest submitted first, from the archive; a bounded walk, so a rare filter may find fewer.
            List<JobView> finished = new ArrayList<>();
            chain.forEachArchivedJob(Long.MAX_VALUE >>> 1, ARCHIVE_SCAN_LIMIT, r -> {
                if (matches.test(r.job())) {
                    finished.add(Views.archivedJob(r, false));
                }
                return finished.size() < limit;
            });
            out.addAll(finished);
            out.sort(Comparator.comparingLong(JobView::submittedAt).reversed().thenComparing(JobView::id));
            if (out.size() > limit) {
                out = new ArrayList<>(out.subList(0, limit));
            }
        }
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
        List<JobView> page = new ArrayList<>();
        DeadlineKey[] last = {null};
        boolean[] more = {false};
        s.deadlines.forEach(after, (k, height) -> {
            if (k.equals(after)) {
                return true;
            }
            JobRecord j = s.jobs.get(k.job());
            if (j == null || j.status() != JobStatus.ASSIGNED || j.deadlineHeight() != k.height()
                    || (node != null && !node.equals(j.assignedNode())) || (client != null && !client.equals(j.client()))
                    || (model != null && !model.equals(j.model()))) {
                return true;
            }
            if (page.size() == limit) {
                more[0] = true;
                return false;
            }
            page.add(Views.job(s, j, null, null));
            last[0] = k;
            return true;
        });
        return new DeadlinePage(page, more[0] ? JobPage.cursor(last[0].height(), last[0].job()) : null);
    }

    /**
     * The live jobs worth scanning: open jobs come from the small deadline, queue and claim tables (workers poll for
     * their assigned jobs often), the others from the live job table. Finished jobs are in the archive.
     */
    private static List<JobRecord> candidates(LedgerState s, JobStatus wanted) {
        List<JobRecord> out = new ArrayList<>();
        if (wanted == JobStatus.ASSIGNED) {
            s.deadlines.forEach((k, v) -> add(out, s.jobs.get(k.job())));
        } else if (wanted == JobStatus.QUEUED) {
            s.queue.forEach((k, id) -> add(out, s.jobs.get(id)));
        } else if (wanted == JobStatus.VERIFYING || wanted == JobStatus.DISPUTED) {
            s.claims.forEach((id, c) -> add(out, s.jobs.get(id)));
        } else if (wanted == null || !JobRetirement.isFinished(wanted)) {
            out.addAll(s.jobs.values());
        }
        return out;
    }

    private static boolean add(List<JobRecord> out, JobRecord j) {
        if (j != null) {
            out.add(j);
        }
        return true;
    }

    private void job(Context ctx) {
        Hash id = RequestParams.pathHash(ctx, "id", "a job id (the hash of its SubmitJob transaction)");
        Optional<JobView> j = chain.read(s -> s.jobs.find(id).map(r -> Views.job(s, r, s.jobInputs.get(id), s.jobOutputs.get(id))));
        if (j.isEmpty()) {
            j = chain.archivedJob(id).map(r -> Views.archivedJob(r, true));
        }
        if (j.isEmpty()) {
            chain.requireUnpruned("job " + id.hex() + " is not live and not among the jobs that finished in the kept blocks");
        }
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
        // Without fromHeight, a pruned node lists from the lowest height it keeps; below it answers PRUNED.
        long from = RequestParams.queryLong(ctx, "fromHeight", chain.retention().lowestHeight());
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
        if (from != null) {
            chain.requireRetained(from, "events from height " + from + " were pruned");
        }
        if (closed) {
            throw new ApiException(503, "SHUTTING_DOWN", "the node is shutting down");
        }
        if (streams.size() >= config.maxStreams()) {
            throw new ApiException(503, ApiException.TOO_MANY_STREAMS, "this node already serves " + config.maxStreams()
                    + " event streams; retry later or poll /v1/events");
        }
        String client = limited(ctx) ? clientAddress(ctx) : null;
        if (client != null && !limiter.tryOpenStream(client)) {
            throw ApiException.rateLimited(5, "this address already has " + limiter.maxStreams() + " event streams open, "
                    + "the most one client may; close one, or poll /v1/events");
        }
        EventStream stream = new EventStream(chain, filter, from, resumeHeight, resumeIndex, keepAliveMillis);
        // Listen before the response starts: a client that has seen the headers misses no later block.
        streams.add(stream);
        chain.addListener(stream);
        boolean started = false;
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
                    if (client != null) {
                        limiter.streamClosed(client);
                    }
                    streams.remove(stream);
                }
            });
            started = true;
        } catch (IOException | RuntimeException e) {
            chain.removeListener(stream);
            streams.remove(stream);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        } finally {
            if (!started && client != null) {
                limiter.streamClosed(client);
            }
        }
    }

    // ------------------------------------------------------------------ client limits

    /** Refuses a request over its client's limits (429 RATE_LIMITED with Retry-After); runs before every route. */
    private void admit(Context ctx) {
        if (!limited(ctx)) {
            return;
        }
        EndPoint endPoint = endPoint(ctx);
        if (endPoint != null && overLimit.contains(endPoint)) {
            ctx.header("Connection", "close");
            throw ApiException.rateLimited(1, "this address already has " + limiter.maxConnections() + " connections open, "
                    + "the most one client may; reuse a connection (keep-alive) or close some");
        }
        long waitMillis = limiter.tryRequest(clientAddress(ctx));
        if (waitMillis > 0) {
            throw ApiException.rateLimited((waitMillis + 999) / 1000, "too many requests from this address: at most "
                    + RequestParams.shorten(formatRate(limiter.ratePerSecond())) + " per second (bursts of " + limiter.burst()
                    + "); retry after the Retry-After header's seconds");
        }
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    /** Whether the per-client limits apply to this request's client (not to loopback unless configured). */
    private boolean limited(Context ctx) {
        return config.limitLoopback() || !isLoopback(remote(endPoint(ctx)));
    }

    private static EndPoint endPoint(Context ctx) {
        Request base = Request.getBaseRequest(ctx.req());
        return base == null || base.getHttpChannel() == null ? null : base.getHttpChannel().getEndPoint();
    }

    private static String clientAddress(Context ctx) {
        String a = address(remote(endPoint(ctx)));
        return a != null ? a : ctx.req().getRemoteAddr();
    }

    private static SocketAddress remote(EndPoint endPoint) {
        return endPoint == null ? null : endPoint.getRemoteSocketAddress();
    }

    private static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return null;
    }

    private static boolean isLoopback(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
    }

    /** Counts each client address's open connections; one over the limit is marked, to be answered 429 and closed. */
    private final class ClientConnections implements Connection.Listener {
        @Override
        public void onOpened(Connection connection) {
            SocketAddress remote = remote(connection.getEndPoint());
            String address = address(remote);
            if (address == null || (!config.limitLoopback() && isLoopback(remote))) {
                return;
            }
            counted.put(connection, address);
            if (!limiter.connectionOpened(address)) {
                overLimit.add(connection.getEndPoint());
            }
        }

        @Override
        public void onClosed(Connection connection) {
            String address = counted.remove(connection);
            if (address != null) {
                overLimit.remove(connection.getEndPoint());
                limiter.connectionClosed(address);
            }
        }
    }

    // ------------------------------------------------------------------ errors

    private void errors(Javalin a) {
        a.exception(ApiException.class, this::answerFailure);
        a.exception(BadMessageException.class, this::answerFailure);
        a.exception(NodeHaltedException.class, this::answerFailure);
        a.exception(TransactionRejectedException.class, this::answerFailure);
        a.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            String message = status == 404 ? notFoundRoute(ctx)
                    : status == 405 ? wrongMethod(ctx, e.getDetails())
                    : e.getMessage();
            error(ctx, status, codeOf(status), message);
        });
        a.exception(Exception.class, this::answerFailure);
        a.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                error(ctx, 404, ApiException.NOT_FOUND, notFoundRoute(ctx));
            }
        });
    }

    /**
     * The JSON error answer for a failure of a handler: also called by asynchronous handlers, whose failures would
     * otherwise skip the after-handlers (the request counters).
     */
    private void answerFailure(Exception e, Context ctx) {
        switch (e) {
            case ApiException api -> {
                if (api.retryAfterSeconds() > 0) {
                    ctx.header("Retry-After", Long.toString(api.retryAfterSeconds()));
                }
                error(ctx, api.status(), api.code(), api.getMessage());
            }
            case NodeHaltedException halted -> error(ctx, 503, NodeHaltedException.CODE, halted.getMessage());
            case HistoryPrunedException pruned -> error(ctx, 410, HistoryPrunedException.CODE, pruned.getMessage());
            case TransactionRejectedException rejected when rejected.code() == RejectCode.MEMPOOL_FULL -> {
                ctx.header("Retry-After", "1");
                error(ctx, 503, ApiException.MEMPOOL_FULL, rejected.getMessage());
            }
            case TransactionRejectedException rejected -> error(ctx, 400, rejected.code().name(), rejected.getMessage());
            case BadMessageException bad -> error(ctx, bad.getCode(), codeOf(bad.getCode()), messageOf(bad.getCode(), bad.getReason()));
            default -> {
                LOG.error("internal error answering {} {}", ctx.method(), ctx.path(), e);
                error(ctx, 500, ApiException.INTERNAL, "the node failed to answer " + ctx.method() + " " + ctx.path()
                        + "; the node's log has the details");
            }
        }
    }

    /** The code of an HTTP-level error by its status. */
    static String codeOf(int status) {
        return switch (status) {
            case 400 -> ApiException.BAD_REQUEST;
            case 404 -> ApiException.NOT_FOUND;
            case 405 -> ApiException.METHOD_NOT_ALLOWED;
            case 408 -> ApiException.REQUEST_TIMEOUT;
            case 413 -> ApiException.PAYLOAD_TOO_LARGE;
            case 414 -> ApiException.URI_TOO_LONG;
            case 415 -> ApiException.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ApiException.RATE_LIMITED;
            case 431 -> ApiException.HEADERS_TOO_LARGE;
            case 503 -> ApiException.SERVICE_UNAVAILABLE;
            default -> status >= 500 ? ApiException.INTERNAL : "HTTP_" + status;
        };
    }

    /** A message a user can act on for an error Jetty raised (a malformed or oversized request, a slow body). */
    private String messageOf(int status, String reason) {
        return switch (status) {
            case 408 -> "the request was not received in time: a request body must arrive at " + config.minRequestDataRate()
                    + " bytes per second or more, with no pause over " + config.idleTimeout().toSeconds() + " s";
            case 414 -> "the request URL is too long: the request line and headers may take " + config.maxRequestHeaderBytes()
                    + " bytes at most";
            case 431 -> "the request headers are too large: the request line and headers may take "
                    + config.maxRequestHeaderBytes() + " bytes at most";
            case 413 -> "the request body is too large";
            default -> "the request is not valid HTTP" + (reason == null || reason.isBlank() ? ""
                    : ": " + RequestParams.shorten(reason));
        };
    }

    private static String wrongMethod(Context ctx, java.util.Map<String, String> details) {
        String allowed = details == null ? null : details.getOrDefault("availableMethods", null);
        if (allowed != null && !allowed.isBlank()) {
            ctx.header("Allow", allowed);
        }
        return "method " + ctx.method() + " is not allowed on " + RequestParams.shorten(ctx.path())
                + (allowed == null || allowed.isBlank() ? "" : "; this path answers " + allowed) + " (see /openapi.json)";
    }

    /**
     * Errors that Jetty answers itself, before a request reaches the routes (bad headers, a URL or headers
     * over the limit, a body too slow): the same JSON {@code {"code", "message"}} as every other error.
     */
    private final class JsonErrorHandler extends ErrorHandler {
        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            fields.put(HttpHeader.CONNECTION, "close");
            return ByteBuffer.wrap(body(status, reason));
        }

        @Override
        protected void generateAcceptableResponse(Request baseRequest, jakarta.servlet.http.HttpServletRequest request,
                                                  HttpServletResponse response, int code, String message) throws IOException {
            baseRequest.setHandled(true);
            response.setContentType("application/json");
            response.getOutputStream().write(body(code, message));
        }

        @Override
        protected Writer getAcceptableWriter(Request baseRequest, jakarta.servlet.http.HttpServletRequest request,
                                             HttpServletResponse response) throws IOException {
            response.setContentType("application/json");
            return response.getWriter();
        }

        private byte[] body(int status, String reason) {
            try {
                return json.writeValueAsBytes(new ApiError(codeOf(status), messageOf(status, reason)));
            } catch (IOException e) {
                return ("{\"code\":\"" + codeOf(status) + "\",\"message\":\"HTTP " + status + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    private static String notFoundRoute(Context ctx) {
        return "no endpoint " + ctx.method() + " " + RequestParams.shorten(ctx.path()) + "; see /openapi.json for the API";
    }

    /** The request attribute that carries an error answer's code, for the request counters (node/metrics). */
    public static final String ERROR_CODE_ATTRIBUTE = "verity.errorCode";

    private static void error(Context ctx, int status, String code, String message) {
        ctx.attribute(ERROR_CODE_ATTRIBUTE, code);
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
