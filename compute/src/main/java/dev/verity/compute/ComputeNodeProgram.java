package dev.verity.compute;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.protocol.VerificationMode;
import dev.verity.compute.model.Device;
import dev.verity.compute.model.ModelPuller;
import dev.verity.service.model.ModelStore;
import dev.verity.compute.verify.ProvablePrograms;
import dev.verity.compute.verify.Tracer;
import dev.verity.compute.verify.VerificationRoles;
import dev.verity.compute.worker.AnswerJournal;
import dev.verity.compute.worker.ComputeWorker;
import dev.verity.compute.worker.EnginePolicy;
import dev.verity.compute.worker.ModelRunners;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.NodeView;
import dev.verity.sdk.api.TransactionReceipt;
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
     */
    public record Options(List<String> apiUrls, PrivateKey key, ModelStore store, int capacity, EnginePolicy policy,
                          Duration stopTimeout, Path stateDir, Device device) {
        /** Options without a state folder (answers in flight are lost with the process), on the CPU. */
        public Options(List<String> apiUrls, PrivateKey key, ModelStore store, int capacity, EnginePolicy policy,
                       Duration stopTimeout) {
            this(apiUrls, key, store, capacity, policy, stopTimeout, null, new Device.Cpu());
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
    private final String apiUrl;
    private final NodeView node;
    private final ModelRunners runners;
    private final ComputeWorker worker;
    private final VerificationRoles roles;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private ComputeNodeProgram(VerityClient client, String apiUrl, NodeView node, ModelRunners runners, ComputeWorker worker,
                               VerificationRoles roles) {
        this.client = client;
        this.apiUrl = apiUrl;
        this.node = node;
        this.runners = runners;
        this.worker = worker;
        this.roles = roles;
    }

    /** Checks everything, then starts taking jobs; throws {@link CannotStartException} when it must not. */
    public static ComputeNodeProgram start(Options o) {
        String url = null;
        VerityClient client = null;
        List<String> tried = new ArrayList<>();
        for (String candidate : o.apiUrls()) {
            VerityClient c = new VerityClient(candidate);
            try {
                c.status();
                url = candidate;
                client = c;
                break;
            } catch (VerityApiException e) {
                tried.add(candidate + " (" + e.getMessage() + ")");
                c.close();
            }
        }
        if (client == null) {
            throw new CannotStartException("UNREACHABLE", "no validator answers: " + String.join("; ", tried));
        }
        try {
            return start(o, client, url);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private static ComputeNodeProgram start(Options o, VerityClient client, String url) {
        String id = o.key().publicKey().hex();
        NodeView node;
        try {
            node = client.node(o.key().publicKey());
        } catch (VerityApiException e) {
            if ("NOT_FOUND".equals(e.code())) {
                throw new CannotStartException("NOT_REGISTERED", "account " + id + " is not a registered node on the chain at " + url
                        + ": register it first (verity node register --key FILE --stake VRT --model HASH --mode MODES --capacity N)");
            }
            throw e;
        }
        if (node.modes().contains(VerificationMode.TEE.name()) || node.modes().contains(VerificationMode.ZK.name())) {
            throw new CannotStartException("MODE_NOT_SERVED", "node " + id + " declares " + node.modes() + "; this program serves "
                    + "NONE, OPTIMISTIC and SAMPLED (an enclave for TEE is not available here yet): register a node without "
                    + "TEE and ZK");
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
        Wallet wallet = new Wallet(client, o.key());
        int capacity = node.capacity();
        if (o.capacity() > 0 && o.capacity() != node.capacity()) {
            TransactionReceipt r = client.awaitReceipt(wallet.setCapacity(o.capacity()), Duration.ofSeconds(60));
            if (!"INCLUDED".equals(r.status())) {
                throw new CannotStartException("CAPACITY_REFUSED", "declaring capacity " + o.capacity() + " failed: " + r.error());
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
            tracer = new Tracer(client, new ProvablePrograms(o.store(), client), o.key().publicKey());
            roles = new VerificationRoles(client, wallet, tracer, new VerificationRoles.Config(
                    node.modes().contains(VerificationMode.OPTIMISTIC.name()), node.modes().contains(VerificationMode.SAMPLED.name()),
                    true, Duration.ofMillis(250)));
        }
        ComputeWorker worker = new ComputeWorker(client, wallet, runners, null, tracer,
                ComputeWorker.Config.defaults().withCapacity(capacity),
                o.stateDir() == null ? null : new AnswerJournal(o.stateDir().resolve("answers")));
        worker.start();
        if (roles != null) {
            roles.start();
        }
        LOG.info("node {} runs against {}: models {}, modes {}, capacity {}, ONNX Runtime on {}", id, url, node.models(),
                node.modes(), capacity, o.device().describe());
        return new ComputeNodeProgram(client, url, node, runners, worker, roles);
    }

    public String apiUrl() {
        return apiUrl;
    }

    public NodeView node() {
        return node;
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
        worker.close();
        runners.close();
        client.close();
    }
}
