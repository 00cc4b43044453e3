package dev.verity.devnet;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.inference.trace.ProgramCommitment;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.ledger.rules.StakingRules;
import dev.verity.protocol.tx.FailureReason;
import dev.verity.protocol.tx.Hardware;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.validator.api.ApiServer;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.NodeConfig;
import dev.verity.validator.consensus.SingleValidatorConsensus;
import dev.verity.service.metrics.ReadinessCheck;
import dev.verity.validator.metrics.ValidatorMetrics;
import dev.verity.compute.metrics.WorkerMetrics;
import dev.verity.compute.model.BundledModels;
import dev.verity.service.model.ModelStore;
import dev.verity.compute.verify.IntegerProgram;
import dev.verity.compute.verify.ProvablePrograms;
import dev.verity.compute.verify.Tracer;
import dev.verity.compute.verify.VerificationRoles;
import dev.verity.compute.worker.ComputeWorker;
import dev.verity.compute.worker.EnginePolicy;
import dev.verity.compute.worker.ModelRunners;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.TransactionReceipt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole local network in one process: one validator serving the API on loopback, compute
 * nodes with their own keys, stakes, workers and verification roles (talking to the validator over
 * HTTP like remote nodes would), and a funded client account. The digits model's integer program is
 * registered, so it is served OPTIMISTIC and SAMPLED as well ({@link DevnetNodePlan} says which node
 * does what, and which one cheats). Its keys, genesis, chain and models live under one folder, so it
 * restarts as the same network.
 */
public final class Devnet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Devnet.class);

    /** Stakes of the compute nodes, in tokens, and which of them run a (development) enclave. */
    static final long[] STAKES = {3_000, 5_000, 2_000, 4_000, 6_000};

    /**
     * How many jobs each compute node runs at once: its worker's threads, and the capacity it declares on chain, so the
     * chain never assigns it more than it runs.
     */
    public static final int WORKER_CAPACITY = 4;

    /**
     * Where the devnet lives and how it runs. {@code cheat} makes the fourth compute node cheat on its
     * provable results that way (null: every node is honest); {@code watch} and {@code audit} switch the
     * honest nodes' watchers and auditors (on by default; dispute players are always on); {@code workerCapacity}
     * is each compute node's worker threads and declared capacity ({@value #WORKER_CAPACITY} by default).
     */
    public record Options(Path dir, int port, long blockIntervalMillis, int computeNodes, CheatMode cheat, boolean watch,
                          boolean audit, int workerCapacity) {
        public Options {
            if (workerCapacity < 1 || workerCapacity > StakingRules.MAX_CAPACITY) {
                throw new IllegalArgumentException("a compute node's capacity is 1 to " + StakingRules.MAX_CAPACITY
                        + " jobs at once, got " + workerCapacity);
            }
        }

        public Options(Path dir, int port, long blockIntervalMillis, int computeNodes, CheatMode cheat, boolean watch,
                       boolean audit) {
            this(dir, port, blockIntervalMillis, computeNodes, cheat, watch, audit, WORKER_CAPACITY);
        }

        /** Honest nodes that watch and audit. */
        public Options(Path dir, int port, long blockIntervalMillis, int computeNodes) {
            this(dir, port, blockIntervalMillis, computeNodes, null, true, true);
        }

        public static Options defaults(Path dir) {
            return new Options(dir, 8645, 200, 3);
        }

        public Options withCheat(CheatMode c) {
            return new Options(dir, port, blockIntervalMillis, computeNodes, c, watch, audit, workerCapacity);
        }

        public Options withRoles(boolean w, boolean a) {
            return new Options(dir, port, blockIntervalMillis, computeNodes, cheat, w, a, workerCapacity);
        }

        public Options withWorkerCapacity(int c) {
            return new Options(dir, port, blockIntervalMillis, computeNodes, cheat, watch, audit, c);
        }
    }

    /** A compute node of the devnet: its key, its plan, its worker, and its verification roles (null for the enclave nodes). */
    public record ComputeNode(PrivateKey key, DevnetNodePlan plan, ComputeWorker worker, VerificationRoles roles) {
        public boolean tee() {
            return plan.tee();
        }

        /** How this node cheats on its provable results; null when it is honest. */
        public CheatMode cheat() {
            return plan.cheat();
        }
    }

    private final ChainNode chain;
    private final SingleValidatorConsensus consensus;
    private final ApiServer api;
    private final VerityClient client;
    private final Wallet clientWallet;
    private final Hash model;
    private Hash integerModel;
    private ModelPackage integerPackage;
    private final List<ComputeNode> nodes = new ArrayList<>();
    private PrivateKey governor;
    private final List<ModelRunners> runners = new ArrayList<>();
    private Options options;

    private Devnet(ChainNode chain, SingleValidatorConsensus consensus, ApiServer api, VerityClient client, Wallet clientWallet,
                   Hash model) {
        this.chain = chain;
        this.consensus = consensus;
        this.api = api;
        this.client = client;
        this.clientWallet = clientWallet;
        this.model = model;
    }

    public static Devnet start(Options o) {
        DevnetKeys keys = DevnetKeys.loadOrCreate(o.dir().resolve("keys"), o.computeNodes());
        long now = System.currentTimeMillis();
        DevSevSnpPlatform platform = DevnetPlatform.loadOrCreate(o.dir().resolve("keys").resolve("dev-sev-snp"), now);
        Measurement build = DevEnclave.buildMeasurement();
        Genesis genesis = DevnetGenesis.loadOrCreate(o.dir().resolve("genesis.bin"), keys, platform, build,
                DevnetGenesis.params(), now);
        ChainNode chain = ChainNode.open(new NodeConfig(o.dir().resolve("chain"), o.blockIntervalMillis(), 50_000, 5_000),
                genesis, keys.validator());
        SingleValidatorConsensus consensus = new SingleValidatorConsensus(chain, o.blockIntervalMillis());
        ApiServer api = null;
        try {
            consensus.start();
            ValidatorMetrics.of(chain).addReadinessCheck(ReadinessCheck.unless(consensus::failed, 
                    "block production stopped after an error; the log says why"));
            api = new ApiServer(chain, o.port());
            api.start();
            VerityClient client = new VerityClient("http://127.0.0.1:" + api.port());
            ModelStore store = new ModelStore(o.dir().resolve("models"));
            api.serveModelFiles(store);
            BundledModels.BundledModel miniLm = BundledModels.installMiniLm(store);
            Hash model = Hash.fromHex(miniLm.sha256Hex());
            Devnet net = new Devnet(chain, consensus, api, client, new Wallet(client, keys.client()), model);
            net.governor = keys.governor();
            net.options = o;
            net.setUp(keys, platform, build, miniLm, DigitsPackage.install(store), store);
            LOG.info("devnet up: API at {}, {} compute nodes, model {}", net.apiUrl(), net.nodes.size(), model.hex());
            return net;
        } catch (RuntimeException e) {
            if (api != null) {
                api.close();
            }
            consensus.close();
            chain.close();
            throw e;
        }
    }

    private void setUp(DevnetKeys keys, DevSevSnpPlatform platform, Measurement build, BundledModels.BundledModel miniLm,
                       ModelPackage digits, ModelStore store) {
        List<Hash> pending = new ArrayList<>();
        integerModel = digits.id();
        integerPackage = digits;
        if (!exists(() -> client.model(model))) {
            pending.add(clientWallet.registerModel(model, miniLm.name(), miniLm.inputDescription(), miniLm.outputDescription(),
                    miniLm.info().computeUnits(), ShippedSchemas.SENTENCE_TEXT));
        }
        if (!exists(() -> client.model(integerModel))) {
            pending.add(clientWallet.registerModel(integerModel, DigitsPackage.NAME,
                    "64 float32 little-endian: an 8x8 digit, pixels 0..16 scaled to 0..1",
                    "10 float32 little-endian: a score per digit 0..9", Math.max(1, digits.metadata().computeUnits()),
                    ShippedSchemas.digits(digits)));
        }
        await(pending);
        if (client.model(integerModel).program() == null) {
            ProgramCommitment program = new ProgramCommitment(digits.program());
            pending.add(clientWallet.registerProgram(integerModel, program.root(), program.leafCount(), program.stepCount()));
        }
        List<Wallet> wallets = new ArrayList<>();
        List<DevnetNodePlan> plans = new ArrayList<>();
        for (int i = 0; i < keys.computeNodes().size(); i++) {
            PrivateKey key = keys.computeNodes().get(i);
            DevnetNodePlan plan = DevnetNodePlan.of(i, options.computeNodes(), options.cheat());
            plans.add(plan);
            Wallet w = new Wallet(client, key);
            wallets.add(w);
            int capacity = options.workerCapacity();
            if (!exists(() -> client.node(key.publicKey()))) {
                pending.add(w.registerNode(STAKES[i % STAKES.length] * Params.BASE_UNITS_PER_TOKEN, served(plan), plan.modes(),
                        Hardware.cpuOnly(System.getProperty("os.arch") + " CPU (devnet)", Runtime.getRuntime().availableProcessors()),
                        capacity));
            } else if (client.node(key.publicKey()).capacity() != capacity) {
                pending.add(w.setCapacity(capacity)); // a restart with another capacity declares it
            }
        }
        await(pending);
        for (int i = 0; i < wallets.size(); i++) {
            DevnetNodePlan plan = plans.get(i);
            Wallet wallet = wallets.get(i);
            DevEnclave enclave = null;
            if (plan.tee()) {
                // A fresh enclave key on every start, as a restarted enclave would have; it replaces the old one.
                enclave = DevEnclave.launch(platform, DevnetGenesis.CHAIN_ID, wallet.publicKey(), build);
                pending.add(wallet.registerEnclave(enclave.publicKey(), enclave.attestation()));
            }
            // The CPU-only nodes answer every job with the bit-exact integer engine where they can.
            ModelRunners r = new ModelRunners(store, plan.tee() ? EnginePolicy.FAST_WHERE_TRUSTED : EnginePolicy.INTEGER_ALWAYS);
            for (Hash m : served(plan)) {
                r.forModel(m); // load the models now, as a node loads the models it declares before it serves
            }
            runners.add(r);
            Tracer tracer = null;
            VerificationRoles roles = null;
            if (plan.servesDigits()) {
                tracer = new Tracer(client, new ProvablePrograms(store, client), wallet.publicKey(), plan.cheat(),
                        Tracer.DEFAULT_CACHE);
                roles = new VerificationRoles(client, wallet, tracer, roles(plan));
            }
            ComputeWorker worker = new ComputeWorker(client, wallet, r, enclave, tracer,
                    ComputeWorker.Config.defaults().withCapacity(options.workerCapacity()));
            worker.metrics(new WorkerMetrics(ValidatorMetrics.of(chain).registry())); // served on the API's /metrics
            nodes.add(new ComputeNode(keys.computeNodes().get(i), plan, worker, roles));
        }
        await(pending);
        for (ComputeNode n : nodes) {
            n.worker().start();
            if (n.roles() != null) {
                n.roles().start();
            }
        }
    }

    /**
     * A node's roles: it watches the models it serves, audits where it serves SAMPLED, and always plays the
     * disputes it is a party of; each role looks at the chain about twice a block.
     */
    private VerificationRoles.Config roles(DevnetNodePlan plan) {
        Duration poll = Duration.ofMillis(Math.max(50, Math.min(200, options.blockIntervalMillis() / 2)));
        return new VerificationRoles.Config(options.watch() && plan.servesProvableModes(),
                options.audit() && plan.modes().contains(VerificationMode.SAMPLED), true, poll);
    }

    private List<Hash> served(DevnetNodePlan plan) {
        List<Hash> served = new ArrayList<>();
        if (plan.servesSentenceModel()) {
            served.add(model);
        }
        if (plan.servesDigits()) {
            served.add(integerModel);
        }
        return served;
    }

    private interface Lookup {
        void run();
    }

    private static boolean exists(Lookup lookup) {
        try {
            lookup.run();
            return true;
        } catch (VerityApiException e) {
            if (e.status() == 404) {
                return false;
            }
            throw e;
        }
    }

    private void await(List<Hash> txs) {
        for (Hash h : txs) {
            TransactionReceipt r = client.awaitReceipt(h, Duration.ofSeconds(30));
            if (!"INCLUDED".equals(r.status())) {
                throw new IllegalStateException("devnet set-up transaction " + h.hex() + " was not included: " + r.error());
            }
        }
        txs.clear();
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + api.port();
    }

    public VerityClient client() {
        return client;
    }

    public Wallet clientWallet() {
        return clientWallet;
    }

    public Hash model() {
        return model;
    }

    /** A local runner of the digits package, to check nodes' integer-engine answers bit for bit. */
    public PackageRunner integerModelRunner() {
        return new PackageRunner(integerPackage, EngineOptions.SCALAR, 1);
    }

    /** The digits package's integer program, to re-run provable jobs here and compare with what the chain settled. */
    public IntegerProgram integerProgram() {
        return IntegerProgram.of(integerPackage);
    }

    /** The digits model package, which the CPU-only nodes run with the integer engine. */
    public Hash integerModel() {
        return integerModel;
    }

    public List<ComputeNode> nodes() {
        return List.copyOf(nodes);
    }

    public ChainNode chain() {
        return chain;
    }

    /**
     * Applies a governance action approved by the devnet's governance key (its one-member council),
     * sent by the client account, and waits for it to be in a block.
     */
    public TransactionReceipt govern(GovernanceAction action) {
        return client.awaitReceipt(clientWallet.govern(action, List.of(governor)), Duration.ofSeconds(30));
    }

    /** Failure reports the compute nodes' workers posted, by reason, summed over the nodes. */
    public Map<FailureReason, Long> failuresPosted() {
        Map<FailureReason, Long> total = new EnumMap<>(FailureReason.class);
        for (ComputeNode n : nodes) {
            n.worker().failuresPosted().forEach((r, c) -> total.merge(r, c, Long::sum));
        }
        return total;
    }

    /** The node that cheats on its provable results, if this devnet has one. */
    public java.util.Optional<ComputeNode> cheatingNode() {
        return nodes.stream().filter(n -> n.cheat() != null).findFirst();
    }

    @Override
    public void close() {
        nodes.forEach(n -> {
            if (n.roles() != null) {
                n.roles().close();
            }
        });
        nodes.forEach(n -> n.worker().close());
        runners.forEach(ModelRunners::close);
        api.close();
        consensus.close();
        chain.close();
    }
}
