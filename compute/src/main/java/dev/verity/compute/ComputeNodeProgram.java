package dev.verity.compute;

import dev.verity.compute.model.Device;
import dev.verity.compute.model.ModelPuller;
import dev.verity.compute.stream.TokenStreamServer;
import dev.verity.compute.tee.Enclave;
import dev.verity.compute.verify.ProvablePrograms;
import dev.verity.compute.verify.TraceCheat;
import dev.verity.compute.verify.Tracer;
import dev.verity.compute.verify.VerificationRoles;
import dev.verity.compute.worker.AnswerJournal;
import dev.verity.compute.worker.ComputeWorker;
import dev.verity.compute.worker.EnginePolicy;
import dev.verity.compute.worker.ModelRunners;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Hardware;
import dev.verity.protocol.tx.Payload;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.NodeView;
import dev.verity.sdk.api.TransactionReceipt;
import dev.verity.service.model.ModelStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compute node as an operator runs it on its own machine (`verity node run`): it checks that its key is a
 * registered node on the chain, that every model it declares is in its store, and that it can serve every mode
 * it declares, then answers its assigned jobs ({@link ComputeWorker}) and, where it serves the provable modes,
 * watches, audits and plays its disputes ({@link VerificationRoles}). It refuses to start, saying what to do,
 * rather than take jobs it would miss.
 */
public final class ComputeNodeProgram implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ComputeNodeProgram.class);

    /**
     * How the node runs; {@code capacity} 0 keeps the capacity declared on chain. {@code stateDir} holds the worker's
     * {@link AnswerJournal} (answers computed and not yet accepted, sent again after a restart); null keeps none.
     * {@code extras} are the optional parts: registration, enclave, roles, and (on the devnet only) a cheat.
     */
    public record Options(List<String> apiUrls, PrivateKey key, ModelStore store, int capacity, EnginePolicy policy,
                          Duration stopTimeout, Path stateDir, Device device, Extras extras) {
        /** Options without a state folder (answers in flight are lost with the process), on the CPU. */
        public Options(List<String> apiUrls, PrivateKey key, ModelStore store, int capacity, EnginePolicy policy,
                       Duration stopTimeout) {
            this(apiUrls, key, store, capacity, policy, stopTimeout, null, new Device.Cpu(), Extras.NONE);
        }

        public Options(List<String> apiUrls, PrivateKey key, ModelStore store, int capacity, EnginePolicy policy,
                       Duration stopTimeout, Path stateDir, Device device) {
            this(apiUrls, key, store, capacity, policy, stopTimeout, stateDir, device, Extras.NONE);
        }

        public Options {
            apiUrls = List.copyOf(apiUrls);
            if (apiUrls.isEmpty()) {
                throw new IllegalArgumentException("give at least one validator API URL");
            }
            if (capacity < 0 || stopTimeout.isNegative()) {
                throw new IllegalArgumentException("the capacity and the stop timeout must not be negative");
            }
        }

        public Options with(Extras e) {
            return new Options(apiUrls, key, store, capacity, policy, stopTimeout, stateDir, device, e);
        }
    }

    /**
     * The optional parts of a node. {@code registration}: register the key as a node when it is not one (null: refuse
     * to start instead). {@code enclaves}: how to launch the enclave a TEE node answers from (null: a node that declares
     * TEE cannot start). {@code cheat}: the devnet's dishonest answers (null: honest; refused on other chains).
     * {@code watch}: watch the OPTIMISTIC results for the models it serves (a node serving OPTIMISTIC or SAMPLED has their
     * programs); {@code audit}: audit where it serves SAMPLED; {@code poll}:
     * how often the roles look at the chain.
     */
    public record Extras(NodeRegistration registration, EnclaveLauncher enclaves, TraceCheat cheat, boolean watch,
                         boolean audit, Duration poll, StreamEndpoint stream) {
        public static final Extras NONE = new Extras(null, null, null, true, true, Duration.ofMillis(250), null);

        public Extras withRegistration(NodeRegistration r) {
            return new Extras(r, enclaves, cheat, watch, audit, poll, stream);
        }

        public Extras withEnclaves(EnclaveLauncher e) {
            return new Extras(registration, e, cheat, watch, audit, poll, stream);
        }

        public Extras withCheat(TraceCheat c) {
            return new Extras(registration, enclaves, c, watch, audit, poll, stream);
        }

        public Extras withRoles(boolean w, boolean a, Duration p) {
            return new Extras(registration, enclaves, cheat, w, a, p, stream);
        }

        public Extras withStream(StreamEndpoint s) {
            return new Extras(registration, enclaves, cheat, watch, audit, poll, s);
        }
    }

    /**
     * Where the node serves the tokens of its generation jobs as it makes them: it listens on {@code host:port} (port 0:
     * any free port) and announces {@code publicUrl} on chain ({@code SetNodeEndpoint}); a null {@code publicUrl}
     * announces {@code http://host:port}.
     */
    public record StreamEndpoint(String host, int port, String publicUrl) {}

    /** What {@code RegisterNode} declares when the node registers itself at start. */
    public record NodeRegistration(long stake, List<Hash> models, List<VerificationMode> modes, Hardware hardware,
                                   int capacity) {
        public NodeRegistration {
            models = List.copyOf(models);
            modes = List.copyOf(modes);
        }
    }

    /** Launches the enclave of node {@code node} on chain {@code chainId}. */
    @FunctionalInterface
    public interface EnclaveLauncher {
        Enclave launch(String chainId, PublicKey node);
    }

    /** Why the node cannot start, and what the operator should do. */
    public static final class CannotStartException extends RuntimeException {
        private final String code;

        public CannotStartException(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    private final VerityClient client;
    private final NodeView node;
    private final ModelRunners runners;
    private final ComputeWorker worker;
    private final VerificationRoles roles;
    /** Null when the node streams no tokens. */
    private final TokenStreamServer streams;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ComputeNodeProgram(VerityClient client, NodeView node, ModelRunners runners, ComputeWorker worker,
                               VerificationRoles roles, TokenStreamServer streams) {
        this.client = client;
        this.node = node;
        this.runners = runners;
        this.worker = worker;
        this.roles = roles;
        this.streams = streams;
    }

    /** Checks everything, then starts taking jobs; throws {@link CannotStartException} when it must not. */
    public static ComputeNodeProgram start(Options o) {
        // One client over every validator given: each call fails over to the next when its validator is unavailable.
        VerityClient client;
        try {
            client = VerityClient.failover(o.apiUrls());
        } catch (IllegalArgumentException e) {
            throw new CannotStartException("BAD_API_URL", e.getMessage());
        }
        client.onFailover(move -> LOG.warn("{}", move));
        try {
            client.status();
        } catch (VerityApiException e) {
            client.close();
            throw new CannotStartException("UNREACHABLE", "no validator answers: " + e.getMessage());
        }
        try {
            return start(o, client, client.baseUrl().toString());
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static ComputeNodeProgram start(Options o, VerityClient client, String url) {
        String id = o.key().publicKey().hex();
        Wallet wallet = new Wallet(client, o.key());
        NodeView node = registered(o, client, wallet, url);
        Enclave enclave = null;
        if (node.modes().contains(VerificationMode.ZK.name())) {
            throw new CannotStartException("MODE_NOT_SERVED", "node " + id + " declares " + node.modes() + "; this program serves "
                    + "NONE, TEE, OPTIMISTIC and SAMPLED: register a node without ZK");
        }
        if (node.modes().contains(VerificationMode.TEE.name())) {
            enclave = launchEnclave(o, client, wallet, node);
        }
        // Every declared model in the store, intact: pulled by hash from the validators when missing or damaged.
        ModelPuller puller = new ModelPuller(o.store(), o.apiUrls());
        List<String> missing = new ArrayList<>();
        for (String m : node.models()) {
            try {
                puller.ensure(Hash.fromHex(m));
            } catch (RuntimeException e) {
                missing.add(m + " (" + e.getMessage() + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new CannotStartException("MODEL_MISSING", "the store " + o.store().dir() + " lacks model(s) that node " + id
                    + " declares and no validator served them: " + String.join("; ", missing) + ". Copy each file there as "
                    + "<hash> (an ONNX model with its tokenizer.json beside it) or <hash>.vpkg (a package), or run a validator "
                    + "that serves it (verity validator --models DIR)");
        }
        int capacity = node.capacity();
        if (o.capacity() > 0 && o.capacity() != node.capacity()) {
            TransactionReceipt r = client.awaitReceipt(wallet.setCapacity(o.capacity()), Duration.ofSeconds(60));
            if (!"INCLUDED".equals(r.status())) {
                throw new CannotStartException("CAPACITY_REFUSED", "declaring capacity " + o.capacity() + " failed: " + r.code()
                        + ": " + r.message());
            }
            capacity = o.capacity();
        }
        ModelRunners runners = new ModelRunners(o.store(), o.policy(), o.device());
        for (String m : node.models()) {
            try {
                runners.forModel(Hash.fromHex(m));
            } catch (RuntimeException e) {
                runners.close();
                throw new CannotStartException("MODEL_UNLOADABLE", "model " + m + " in " + o.store().dir() + " cannot be loaded: "
                        + e.getMessage());
            }
        }
        boolean provable = node.modes().contains(VerificationMode.OPTIMISTIC.name())
                || node.modes().contains(VerificationMode.SAMPLED.name());
        Tracer tracer = null;
        VerificationRoles roles = null;
        if (provable) {
            Extras x = o.extras();
            tracer = new Tracer(client, new ProvablePrograms(o.store(), client), o.key().publicKey(), x.cheat(),
                    Tracer.DEFAULT_CACHE);
            roles = new VerificationRoles(client, wallet, tracer, new VerificationRoles.Config(
                    x.watch(), // watches every OPTIMISTIC result for the models it serves, whichever modes it takes itself
                    x.audit() && node.modes().contains(VerificationMode.SAMPLED.name()), true, x.poll()));
        }
        ComputeWorker worker = new ComputeWorker(client, wallet, runners, enclave, tracer,
                ComputeWorker.Config.defaults().withCapacity(capacity),
                o.stateDir() == null ? null : new AnswerJournal(o.stateDir().resolve("answers")));
        TokenStreamServer streams = null;
        StreamEndpoint endpoint = o.extras().stream();
        if (endpoint != null) {
            streams = new TokenStreamServer(worker.tokenStreams(), endpoint.host(), endpoint.port(), Duration.ofMinutes(2), 256);
            announce(client, wallet, node, endpoint.publicUrl() != null ? endpoint.publicUrl()
                    : "http://" + endpoint.host() + ":" + streams.port());
        }
        worker.start();
        if (roles != null) {
            roles.start();
        }
        LOG.info("node {} runs against {}: models {}, modes {}, capacity {}, ONNX Runtime on {}", id, url, node.models(),
                node.modes(), capacity, o.device().describe());
        return new ComputeNodeProgram(client, node, runners, worker, roles, streams);
    }

    /** Announces {@code url} as the node's token stream endpoint unless the chain already has it. */
    private static void announce(VerityClient client, Wallet wallet, NodeView node, String url) {
        if (url.equals(node.endpoint())) {
            return;
        }
        TransactionReceipt r = client.awaitReceipt(wallet.send(new Payload.SetNodeEndpoint(url)).hash(), Duration.ofSeconds(60));
        if (!"INCLUDED".equals(r.status())) {
            throw new CannotStartException("ENDPOINT_REFUSED", "announcing the token stream endpoint " + url + " failed: "
                    + r.code() + ": " + r.message());
        }
        LOG.info("node {} streams generated tokens at {}", node.id(), url);
    }

    /** The node as the chain knows it, registering it first when it is not registered and registration was asked for. */
    private static NodeView registered(Options o, VerityClient client, Wallet wallet, String url) {
        String id = o.key().publicKey().hex();
        try {
            return client.node(o.key().publicKey());
        } catch (VerityApiException e) {
            if (!"NOT_FOUND".equals(e.code())) {
                throw e;
            }
        }
        NodeRegistration r = o.extras().registration();
        if (r == null) {
            throw new CannotStartException("NOT_REGISTERED", "account " + id + " is not a registered node on the chain at " + url
                    + ": register it first (verity node register --key FILE --stake VRT --model HASH --mode MODES --capacity N),"
                    + " or start with --register and the same options");
        }
        TransactionReceipt receipt = client.awaitReceipt(wallet.registerNode(r.stake(), r.models(), r.modes(), r.hardware(),
                r.capacity()), Duration.ofSeconds(60));
        if (!"INCLUDED".equals(receipt.status())) {
            throw new CannotStartException("REGISTRATION_REFUSED", "registering node " + id + " failed: " + receipt.code()
                    + ": " + receipt.message());
        }
        LOG.info("registered node {} with stake {} base units, models {}, modes {}", id, r.stake(), r.models(), r.modes());
        return client.node(o.key().publicKey());
    }

    /**
     * A TEE node's enclave, launched fresh and registered on chain (a restarted enclave has a new key; registering it
     * replaces the old one).
     */
    private static Enclave launchEnclave(Options o, VerityClient client, Wallet wallet, NodeView node) {
        EnclaveLauncher launcher = o.extras().enclaves();
        if (launcher == null) {
            throw new CannotStartException("NO_ENCLAVE", "node " + node.id() + " declares TEE but no enclave was given: on a "
                    + "confidential VM start with --tee tsm (evidence through configfs-tsm), or register the node without TEE");
        }
        Enclave enclave;
        try {
            enclave = launcher.launch(client.status().chainId(), o.key().publicKey());
        } catch (RuntimeException e) {
            throw new CannotStartException("NO_ENCLAVE", "node " + node.id() + " declares TEE but its enclave cannot start: "
                    + e.getMessage());
        }
        TransactionReceipt receipt = client.awaitReceipt(wallet.registerEnclave(enclave.publicKey(), enclave.attestation()),
                Duration.ofSeconds(60));
        if (!"INCLUDED".equals(receipt.status())) {
            throw new CannotStartException("ENCLAVE_REFUSED", "the chain refused the enclave of node " + node.id() + ": "
                    + receipt.code() + ": " + receipt.message());
        }
        LOG.info("enclave {} registered for node {} (measurement {})", enclave.publicKey().hex(), node.id(),
                enclave.measurement().hex());
        return enclave;
    }

    /** The validator API the node uses now (with several, the one that answered last). */
    public String apiUrl() {
        return client.baseUrl().toString();
    }

    public NodeView node() {
        return node;
    }

    /** The port the token stream endpoint listens on, or empty when the node streams none. */
    public java.util.OptionalInt streamPort() {
        return streams == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(streams.port());
    }

    public ComputeWorker worker() {
        return worker;
    }

    /** Stops taking jobs, lets the running ones finish (up to the stop timeout), then closes everything. */
    public void stop(Duration timeout) {
        worker.pause();
        long end = System.nanoTime() + timeout.toNanos();
        while (worker.running() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (roles != null) {
            roles.close();
        }
        if (streams != null) {
            streams.close();
        }
        worker.close();
        runners.close();
        client.close();
    }
}
