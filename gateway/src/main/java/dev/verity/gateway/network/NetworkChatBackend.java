package dev.verity.gateway.network;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.gateway.backend.BackendException;
import dev.verity.gateway.backend.ChatBackend;
import dev.verity.gateway.backend.GenerationOutcome;
import dev.verity.gateway.backend.JobStarted;
import dev.verity.gateway.backend.ServedModel;
import dev.verity.gateway.backend.SettlementStatus;
import dev.verity.gateway.backend.TokenListener;
import dev.verity.gateway.template.ChatTemplate;
import dev.verity.gateway.tokenizer.TextTokenizer;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.generation.GenerationRequest;
import dev.verity.protocol.generation.GenerationResult;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.sdk.InputSchemas;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.ModelView;
import dev.verity.sdk.api.NodeView;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's network: each request becomes a job signed by the gateway's key and sent to a validator, the tokens
 * come from the assigned node's stream as it generates them, and the answer is the result the ledger holds. The
 * language models served are those registered on chain with a {@code TOKEN_GENERATION} schema, each with the tokenizer
 * {@code tokenizers} gives for it. Thread-safe.
 */
public final class NetworkChatBackend implements ChatBackend {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkChatBackend.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration MODELS_REFRESH = Duration.ofSeconds(10);
    private static final int PRICE_HEADROOM = 2;
    private static final long DEADLINE_BLOCKS = 50;

    private final VerityClient client;
    private final Wallet wallet;
    private final VerificationMode mode;
    private final List<VerificationMode> fallbacks;
    private final Function<ModelView, TextTokenizer> tokenizers;
    private final ChatTemplate template;
    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, ModelView> byName = new ConcurrentHashMap<>();
    private volatile List<ServedModel> served = List.of();
    private volatile long refreshedAtNanos;

    /**
     * @param tokenizers the tokenizer of each generation model (the shipped one for the project's chat model)
     * @param timeout    how long one request may wait for its job to settle
     */
    public NetworkChatBackend(VerityClient client, Wallet wallet, VerificationMode mode, List<VerificationMode> fallbacks,
                              Function<ModelView, TextTokenizer> tokenizers, ChatTemplate template, Duration timeout) {
        this.client = client;
        this.wallet = wallet;
        this.mode = mode;
        this.fallbacks = List.copyOf(fallbacks);
        this.tokenizers = tokenizers;
        this.template = template;
        this.timeout = timeout;
        refresh();
    }

    @Override
    public List<ServedModel> models() {
        if (System.nanoTime() - refreshedAtNanos > MODELS_REFRESH.toNanos()) {
            try {
                refresh();
            } catch (RuntimeException e) {
                LOG.warn("could not refresh the models from the chain: {}", e.toString());
            }
        }
        return served;
    }

    private synchronized void refresh() {
        List<ServedModel> models = new ArrayList<>();
        for (ModelView m : client.models()) {
            if (m.inputSchema() == null || !InputSchemas.TOKEN_GENERATION.equals(m.inputSchema().kind())) {
                continue;
            }
            byName.put(m.name(), m);
            byName.put(m.id(), m);
            models.add(new ServedModel(m.name(), m.registeredAt(), m.owner(), m.inputSchema().contextLength(),
                    m.inputSchema().maxTokens(), tokenizers.apply(m), template));
        }
        served = List.copyOf(models);
        refreshedAtNanos = System.nanoTime();
    }

    @Override
    public GenerationOutcome generate(String modelId, GenerationRequest request, TokenListener listener)
            throws InterruptedException {
        ModelView model = byName.get(modelId);
        if (model == null) {
            throw new BackendException.Unavailable("model " + modelId + " is not registered on the chain");
        }
        Hash job = submit(model, request);
        long deadline = System.nanoTime() + timeout.toNanos();
        JobView view = awaitLeaving(job, "QUEUED", deadline);
        Thread stream = null;
        if (view.assignedNode() != null && !view.assignedNode().isEmpty()) {
            PublicKey node = PublicKey.fromHex(view.assignedNode());
            listener.onJobStarted(new JobStarted(job, VerificationMode.parse(view.mode()), node));
            stream = streamFrom(node, job, listener);
        }
        try {
            view = awaitLeaving(job, "ASSIGNED", deadline);
            if (view.status().equals("DISPUTED")) {
                view = awaitLeaving(job, "DISPUTED", deadline);
            }
        } finally {
            if (stream != null) {
                stream.join(2_000);
                stream.interrupt();
            }
        }
        return outcome(job, view);
    }

    private Hash submit(ModelView model, GenerationRequest request) {
        // The units the chain reserves for this request (ledger JobUnits.reserved): per job, and per token of the schema.
        var schema = (InputSchema.TokenGeneration) InputSchemas.fromView(model.inputSchema());
        long units = Math.addExact(model.computeUnits(), schema.tokenUnits(request.promptLength(), request.maxTokens()));
        try {
            long maxFee = new JobPrices(client.params(), client.status().basePrice(), PRICE_HEADROOM).maxFee(units, mode, fallbacks);
            return wallet.submitJob(Hash.fromHex(model.id()), request.encode(), mode, fallbacks, maxFee, DEADLINE_BLOCKS);
        } catch (VerityApiException e) {
            if ("INSUFFICIENT_FUNDS".equals(e.code())) {
                throw new BackendException.InsufficientFunds("the gateway's account cannot pay for this job: " + e.getMessage());
            }
            if (e.unavailable()) {
                throw new BackendException.Unavailable("no validator answered: " + e.getMessage(), Duration.ofSeconds(2), e);
            }
            throw new BackendException.JobFailed(null, "the chain refused the job: " + e.getMessage(), e);
        }
    }

    /** Polls the job until its status is no longer {@code status}; a job that failed or expired is an exception. */
    private JobView awaitLeaving(Hash job, String status, long deadlineNanos) throws InterruptedException {
        while (true) {
            JobView v;
            try {
                v = client.job(job);
            } catch (VerityApiException e) {
                if (!e.unavailable() && !"NOT_FOUND".equals(e.code())) {
                    throw new BackendException.JobFailed(job, "cannot read job " + job.hex() + ": " + e.getMessage(), e);
                }
                v = null;
            }
            if (v != null && !v.status().equals(status)) {
                switch (v.status()) {
                    case "FAILED" -> throw new BackendException.JobFailed(job, "the node could not run job " + job.hex()
                            + (v.failure() == null ? "" : ": " + v.failure().reason() + ", " + v.failure().message()), null);
                    case "EXPIRED", "CANCELLED" -> throw new BackendException.Expired(job, "job " + job.hex() + " "
                            + v.status().toLowerCase(java.util.Locale.ROOT) + " without a result");
                    default -> {
                        return v;
                    }
                }
            }
            if (System.nanoTime() > deadlineNanos) {
                throw new BackendException.Expired(job, "job " + job.hex() + " did not settle within " + timeout.toSeconds()
                        + " s; it may still settle: GET /v1/jobs/" + job.hex());
            }
            Thread.sleep(POLL);
        }
    }

    /** Starts reading the node's token stream, when it announced one; null when it did not. */
    private Thread streamFrom(PublicKey node, Hash job, TokenListener listener) {
        String endpoint;
        try {
            NodeView n = client.node(node);
            endpoint = n.endpoint();
        } catch (VerityApiException e) {
            endpoint = null;
        }
        if (endpoint == null || endpoint.isEmpty()) {
            return null;
        }
        String from = endpoint;
        return Thread.ofVirtual().name("tokens-" + job.hex().substring(0, 8)).start(() -> {
            try {
                NodeTokenStream.End end = new NodeTokenStream(http).read(from, job, listener::onToken);
                if (end != NodeTokenStream.End.DONE) {
                    LOG.info("the token stream of job {} from {} ended early ({}); the settled result is the answer",
                            job.hex(), from, end);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private GenerationOutcome outcome(Hash job, JobView v) {
        if (v.output() == null) {
            throw new BackendException.JobFailed(job, "job " + job.hex() + " is " + v.status() + " but shows no output", null);
        }
        GenerationResult result;
        try {
            result = GenerationResult.decode(Base64.getDecoder().decode(v.output()));
        } catch (RuntimeException e) {
            throw new BackendException.JobFailed(job, "the output of job " + job.hex() + " is not a generation result: "
                    + e.getMessage(), e);
        }
        VerificationMode m = VerificationMode.parse(v.mode());
        boolean settled = v.status().equals("SETTLED");
        return new GenerationOutcome(result, job, m, PublicKey.fromHex(v.assignedNode()),
                settled ? SettlementStatus.SETTLED : SettlementStatus.VERIFYING,
                settled ? OptionalLong.of(v.settledAt()) : OptionalLong.empty(),
                client.baseUrl() + "/v1/jobs/" + job.hex() + "/receipt", verified(m, settled));
    }

    private static String verified(VerificationMode m, boolean settled) {
        return switch (m) {
            case NONE -> "settled on the node's signature alone (mode NONE): nothing else vouches for the tokens";
            case TEE -> "settled on the signature of an enclave registered with a hardware attestation (mode TEE)";
            case OPTIMISTIC -> settled ? "settled after its challenge window closed with no successful challenge (OPTIMISTIC)"
                    : "posted with a trace commitment; open to challenges until its window closes (OPTIMISTIC)";
            case SAMPLED -> settled ? "settled after its audit draw (SAMPLED)"
                    : "posted with a trace commitment; waiting for its audit draw (SAMPLED)";
            case ZK -> "settled on a validity proof (ZK)";
        };
    }
}
