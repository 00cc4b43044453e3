package dev.verity.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.gateway.backend.ChatBackend;
import dev.verity.gateway.backend.ServedModel;
import dev.verity.gateway.generation.GenerationPlan;
import dev.verity.gateway.generation.GenerationPlanner;
import dev.verity.gateway.openai.AnswerFormat;
import dev.verity.gateway.openai.AnswerIdentity;
import dev.verity.gateway.openai.ChatCompletionParser;
import dev.verity.gateway.openai.ChatCompletionRequest;
import dev.verity.gateway.openai.ModelList;
import dev.verity.gateway.openai.ModelObject;
import dev.verity.gateway.openai.OpenAiException;
import dev.verity.gateway.openai.RequestFields;
import dev.verity.gateway.openai.StreamOptions;
import dev.verity.gateway.openai.TextCompletionParser;
import dev.verity.gateway.openai.TextCompletionRequest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code verity gateway}'s HTTP server: OpenAI's chat completions, legacy completions and models endpoints in front of
 * a {@link ChatBackend}. Each answer is one job on the network; its tokens are streamed as the node produces them
 * and the answer carries the job, its verification and its receipt. Errors are OpenAI's error objects.
 *
 * <p>Requests are read by a bounded Jetty pool without blocking on slow senders; each answer then runs on a virtual
 * thread of its own, so a waiting job or a slow reader holds no shared thread. See docs/GATEWAY.md.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private final ChatBackend backend;
    private final GatewayConfig config;
    private final InstantSource clock;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService answers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("verity-gateway-answer-", 0).factory());
    private final Semaphore answerSlots;
    private final Set<GenerationJob> running = ConcurrentHashMap.newKeySet();
    private Javalin app;
    private volatile boolean closed;

    /** A gateway for {@code backend}, listening as {@code config} says; call {@link #start()}. */
    public GatewayServer(ChatBackend backend, GatewayConfig config) {
        this(backend, config, InstantSource.system());
    }

    /** As {@link #GatewayServer(ChatBackend, GatewayConfig)}, with the clock that dates answers ({@code created}). */
    public GatewayServer(ChatBackend backend, GatewayConfig config, InstantSource clock) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.answerSlots = new Semaphore(config.maxConcurrentAnswers());
    }

    /** Binds the port and starts serving; returns this. */
    public synchronized GatewayServer start() {
        if (app != null) {
            throw new IllegalStateException("the gateway is already started");
        }
        Javalin a = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.startupWatcherEnabled = false;
            c.jsonMapper(new JavalinJackson(json, false));
            c.http.maxRequestSize = Long.MAX_VALUE; // bodies are limited while they are read, with OpenAI's error
            c.http.prefer405over404 = true;
            c.router.ignoreTrailingSlashes = true;
            configureJetty(c.jetty);
        });
        a.before(this::authorize);
        a.get("/v1/models", ctx -> ctx.json(new ModelList(models().stream().map(ModelObject::of).toList())));
        a.get("/v1/models/<id>", ctx -> ctx.json(ModelObject.of(model(ctx.pathParam("id")))));
        a.post("/v1/chat/completions", ctx -> answer(ctx, this::prepareChat));
        a.post("/v1/completions", ctx -> answer(ctx, this::prepareText));
        errors(a);
        try {
            a.start();
        } catch (RuntimeException e) {
            a.stop();
            throw new IllegalStateException("cannot start the gateway on " + config.host() + ":" + config.port() + ": "
                    + e.getMessage() + (config.port() != 0 ? " (is another program using the port?)" : ""), e);
        }
        app = a;
        LOG.info("OpenAI-compatible gateway listening on {}/v1", url());
        return this;
    }

    private void configureJetty(io.javalin.config.JettyConfig jetty) {
        QueuedThreadPool pool = new QueuedThreadPool(config.maxThreads(), Math.min(8, config.maxThreads()), 60_000,
                new java.util.concurrent.ArrayBlockingQueue<>(1024));
        pool.setName("verity-gateway");
        jetty.threadPool = pool;
        OpenAiErrorHandler errors = new OpenAiErrorHandler(json);
        jetty.modifyServer(server -> {
            server.setErrorHandler(errors);
            server.addBean(new ConnectionLimit(config.maxConnections(), server));
        });
        jetty.modifyServletContextHandler(context -> context.setErrorHandler(errors));
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
            return connector;
        });
    }

    /** The port the gateway listens on (the chosen one when configured with port 0). */
    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("the gateway is not started");
        }
        return app.port();
    }

    /** {@code http://<host>:<port>}, usable from this machine; OpenAI clients take {@code url() + "/v1"} as base URL. */
    public String url() {
        String h = config.host();
        if (h.equals("0.0.0.0") || h.equals("::")) {
            h = GatewayConfig.LOOPBACK;
        } else if (h.indexOf(':') >= 0) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port();
    }

    /** Answers being generated now. */
    public int activeAnswers() {
        return running.size();
    }

    /** Stops waiting for every running job (their clients get an error), then stops the server. */
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
        running.forEach(GenerationJob::cancel);
        if (a != null) {
            a.stop();
        }
        answers.shutdownNow();
    }

    // ------------------------------------------------------------------ answers

    private PreparedAnswer prepareChat(RequestFields fields) {
        ChatCompletionRequest r = ChatCompletionParser.parse(fields);
        return prepared(GenerationPlanner.chat(model(r.model()), r), AnswerFormat.CHAT, r.model(), r.streaming());
    }

    private PreparedAnswer prepareText(RequestFields fields) {
        TextCompletionRequest r = TextCompletionParser.parse(fields);
        return prepared(GenerationPlanner.text(model(r.model()), r), AnswerFormat.TEXT, r.model(), r.streaming());
    }

    private PreparedAnswer prepared(GenerationPlan plan, AnswerFormat format, String model, StreamOptions streaming) {
        String id = format.idPrefix() + UUID.randomUUID().toString().replace("-", "");
        return new PreparedAnswer(plan, format, new AnswerIdentity(id, clock.instant().getEpochSecond(), model), streaming);
    }

    /** Reads the body without holding a Jetty thread, then prepares and runs the answer on a virtual thread. */
    private void answer(Context ctx, Function<RequestFields, PreparedAnswer> prepare) {
        ctx.future(() -> BodyReader.read(ctx, config.maxBodyBytes())
                .thenAcceptAsync(body -> run(ctx, prepare.apply(RequestFields.parse(body, json))), answers)
                .handle((ok, failure) -> {
                    if (failure != null) {
                        answerFailure(ctx, failure instanceof CompletionException c && c.getCause() != null
                                ? c.getCause() : failure);
                    }
                    return null;
                }));
    }

    private void run(Context ctx, PreparedAnswer answer) {
        if (closed) {
            throw BackendErrors.shuttingDown();
        }
        if (!answerSlots.tryAcquire()) {
            throw new OpenAiException(429, "requests", null, "rate_limit_exceeded", "This gateway is already generating "
                    + config.maxConcurrentAnswers() + " answers, the most it runs at once; retry in a moment.");
        }
        GenerationJob job = null;
        try {
            job = GenerationJob.start(backend, answer.plan(), answers);
            running.add(job);
            if (answer.streaming().stream()) {
                OpenAiException failed = StreamedAnswer.run(job, answer, ctx.res(), json, config.streamKeepAlive());
                if (failed != null) {
                    throw failed;
                }
            } else {
                WholeAnswer.Written written = WholeAnswer.run(job, answer);
                PreparedAnswer.headers(ctx.res(), written.outcome());
                ctx.json(written.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BackendErrors.shuttingDown();
        } finally {
            if (job != null) {
                job.cancel(); // a no-op once the job has ended; otherwise nobody is waiting for it any more
                running.remove(job);
            }
            answerSlots.release();
        }
    }

    private List<ServedModel> models() {
        try {
            return backend.models();
        } catch (RuntimeException e) {
            throw BackendErrors.toOpenAi(e);
        }
    }

    private ServedModel model(String id) {
        return models().stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> OpenAiException.modelNotFound(id));
    }

    // ------------------------------------------------------------------ access and errors

    /** With an API key configured, every request must carry {@code Authorization: Bearer <key>} (401 otherwise). */
    private void authorize(Context ctx) {
        if (config.apiKey().isEmpty()) {
            return;
        }
        String header = ctx.header("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : "";
        byte[] expected = config.apiKey().get().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) { // constant time
            throw new OpenAiException(401, OpenAiException.INVALID_REQUEST, null, "invalid_api_key", given.isEmpty()
                    ? "You didn't provide an API key. Send it as 'Authorization: Bearer <key>' (the key the gateway was "
                    + "started with)."
                    : "Incorrect API key provided. Use the key the gateway was started with.");
        }
    }

    private void errors(Javalin a) {
        a.exception(HttpResponseException.class, (e, ctx) -> answerFailure(ctx, switch (e.getStatus()) {
            case 404 -> new OpenAiException(404, OpenAiException.INVALID_REQUEST, null, null, "Invalid URL ("
                    + ctx.method() + " " + ctx.path() + "). The gateway serves GET /v1/models, GET /v1/models/{model}, "
                    + "POST /v1/chat/completions and POST /v1/completions.");
            case 405 -> new OpenAiException(405, OpenAiException.INVALID_REQUEST, null, null, "Invalid method for URL ("
                    + ctx.method() + " " + ctx.path() + ").");
            default -> new OpenAiException(e.getStatus(), OpenAiException.INVALID_REQUEST, null, null, e.getMessage());
        }));
        a.exception(Exception.class, (e, ctx) -> answerFailure(ctx, e));
        a.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                answerFailure(ctx, new OpenAiException(404, OpenAiException.INVALID_REQUEST, null, null, "Invalid URL ("
                        + ctx.method() + " " + ctx.path() + ")."));
            }
        });
    }

    /** Answers {@code failure} as OpenAI's error object with its status. */
    private void answerFailure(Context ctx, Throwable failure) {
        OpenAiException e = switch (failure) {
            case OpenAiException o -> o;
            case BadMessageException bad -> OpenAiErrorHandler.forStatus(bad.getCode(), bad.getReason());
            case RejectedExecutionException stopped -> BackendErrors.shuttingDown();
            default -> {
                LOG.error("internal error answering {} {}", ctx.method(), ctx.path(), failure);
                yield OpenAiException.server(500, "internal_error", "The gateway failed to answer " + ctx.method() + " "
                        + ctx.path() + "; its log has the details.", null, true);
            }
        };
        if (ctx.res().isCommitted()) {
            LOG.warn("cannot answer {} {} with an error, its answer has started: {}", ctx.method(), ctx.path(),
                    e.getMessage());
            return;
        }
        Duration retryAfter = e.retryAfter();
        if (retryAfter != null) {
            ctx.header("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        if (!e.retryable()) {
            ctx.header("x-should-retry", "false"); // OpenAI's clients would otherwise retry 5xx: a new paid job each time
        }
        ctx.status(e.status()).json(e.body());
    }
}
