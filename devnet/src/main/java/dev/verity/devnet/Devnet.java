package dev.verity.devnet;

import dev.verity.compute.metrics.WorkerMetrics;
import dev.verity.compute.model.BundledModels;
import dev.verity.compute.verify.GenerationProgram;
import dev.verity.compute.verify.IntegerProgram;
import dev.verity.inference.trace.DecoderCommitment;
import dev.verity.modelhub.lm.ShippedLanguageModel;
import dev.verity.compute.verify.ProvablePrograms;
import dev.verity.compute.verify.Tracer;
import dev.verity.compute.verify.VerificationRoles;
import dev.verity.compute.worker.ComputeWorker;
import dev.verity.compute.worker.EnginePolicy;
import dev.verity.compute.worker.ModelRunners;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.inference.trace.ProgramCommitment;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.rules.StakingRules;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.tx.FailureReason;
import dev.verity.protocol.tx.Hardware;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.TransactionReceipt;
import dev.verity.service.metrics.ReadinessCheck;
import dev.verity.service.model.ModelStore;
import dev.verity.validator.ValidatorProcess;
import dev.verity.validator.api.ApiServer;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.NodeConfig;
import dev.verity.validator.consensus.SingleValidatorConsensus;
import dev.verity.validator.metrics.ValidatorMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole local network, in one process or as the programs an operator runs ({@link Options#withLauncher}, with one or
 * several validators): a validator serving the API on loopback, compute
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
     * is each compute node's worker threads and declared capacity ({@value #WORKER_CAPACITY} by default);
     * {@code validators} is how many validators replicate the chain (1 by default; more only on a devnet of processes,
     * {@link #withLauncher}).
     */
    public record Options(Path dir, int port, long blockIntervalMillis, int computeNodes, CheatMode cheat, boolean watch,
                          boolean audit, int workerCapacity, ProgramLauncher launcher, int validators) {
        /** The most validators a devnet runs: each is a process on this machine. */
        public static final int MAX_VALIDATORS = 7;

        public Options {
            if (workerCapacity < 1 || workerCapacity > StakingRules.MAX_CAPACITY) {
                throw new IllegalArgumentException("a compute node's capacity is 1 to " + StakingRules.MAX_CAPACITY
                        + " jobs at once, got " + workerCapacity);
            }
            if (validators < 1 || validators > MAX_VALIDATORS) {
                throw new IllegalArgumentException("a devnet has 1 to " + MAX_VALIDATORS + " validators, got " + validators);
            }
        }

        /** One validator. */
        public Options(Path dir, int port, long blockIntervalMillis, int computeNodes, CheatMode cheat, boolean watch,
                       boolean audit, int workerCapacity, ProgramLauncher launcher) {
            this(dir, port, blockIntervalMillis, computeNodes, cheat, watch, audit, workerCapacity, launcher, 1);
        }

        public Options(Path dir, int port, long blockIntervalMillis, int computeNodes, CheatMode cheat, boolean watch,
                       boolean audit) {
            this(dir, port, blockIntervalMillis, computeNodes, cheat, watch, audit, WORKER_CAPACITY, null);
        }

        /** Honest nodes that watch and audit. */
        public Options(Path dir, int port, long blockIntervalMillis, int computeNodes) {
            this(dir, port, blockIntervalMillis, computeNodes, null, true, true);
        }

        public static Options defaults(Path dir) {
            return new Options(dir, 8645, 200, 3);
        }

        public Options withCheat(CheatMode c) {
            return new Options(dir, port, blockIntervalMillis, computeNodes, c, watch, audit, workerCapacity, launcher, validators);
        }

        public Options withRoles(boolean w, boolean a) {
            return new Options(dir, port, blockIntervalMillis, computeNodes, cheat, w, a, workerCapacity, launcher, validators);
        }

        public Options withWorkerCapacity(int c) {
            return new Options(dir, port, blockIntervalMillis, computeNodes, cheat, watch, audit, c, launcher, validators);
        }

        /**
         * The devnet as separate processes started with {@code l}: the validator ({@code verity validator}) and each
         * compute node ({@code verity node run}), the programs an operator runs, over HTTP on loopback.
         */
        public Options withLauncher(ProgramLauncher l) {
            return new Options(dir, port, blockIntervalMillis, computeNodes, cheat, watch, audit, workerCapacity, l, validators);
        }

        /**
         * {@code n} validators replicating the chain over Apache Ratis, each a {@code verity validator} process with its
         * own key, data directory and API; a devnet of processes only ({@link #withLauncher}).
         */
        public Options withValidators(int n) {
            return new Options(dir, port, blockIntervalMillis, computeNodes, cheat, watch, audit, workerCapacity, launcher, n);
        }
    }

    /**
     * A compute node of the devnet: its key, its plan, and either its worker and verification roles in this process (roles
     * null for the enclave nodes) or, on a devnet of processes, the {@code verity node run} process.
     */
    public record ComputeNode(PrivateKey key, DevnetNodePlan plan, ComputeWorker worker, VerificationRoles roles,
                              Process process) {
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
    /** The shipped chat model's id. */
    private Hash chatModel;
    private String gatewayUrl;
    private ModelPackage integerPackage;
    private final List<ComputeNode> nodes = new ArrayList<>();
    private PrivateKey governor;
    private final List<ModelRunners> runners = new ArrayList<>();
    private Options options;
    private String apiUrl;
    private List<String> apiUrls;
    private DevnetProcesses processes;

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
        if (o.launcher() != null) {
            return startProcesses(o);
        }
        if (o.validators() != 1) {
            throw new IllegalArgumentException("an in-process devnet has one validator; a devnet of " + o.validators()
                    + " validators runs each as its own process (Options.withLauncher)");
        }
        Path genesisFile = o.dir().resolve("genesis.bin");
        if (Files.exists(genesisFile)) {
            DevnetValidators.requireCount(o.dir(), DevnetValidators.genesisValidators(genesisFile).size(), 1);
        }
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
            net.apiUrl = "http://127.0.0.1:" + api.port();
            net.apiUrls = List.of(net.apiUrl);
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

    /**
     * The devnet as separate processes: {@code verity validator} serving the API and the model files on loopback, then
     * each compute node as {@code verity node run}, which pulls its models from the validator by hash, registers itself
     * (and its development enclave, for the TEE nodes) and takes jobs. Logs are in {@code DIR/logs}. With several
     * validators each is its own {@code verity validator} process (key {@code keys/validator-K.json}, chain in
     * {@code chain-K}, log {@code logs/validator-K.log}) given every validator as {@code --peer}; they replicate the chain
     * over Apache Ratis, the devnet's client fails over between their APIs, and each compute node starts with another
     * validator first.
     */
    private static Devnet startProcesses(Options o) {
        Path keysDir = o.dir().resolve("keys");
        Path genesisFile = o.dir().resolve("genesis.bin");
        if (Files.exists(genesisFile)) {
            DevnetValidators.requireCount(o.dir(), DevnetValidators.genesisValidators(genesisFile).size(), o.validators());
        }
        DevnetKeys keys = DevnetKeys.loadOrCreate(keysDir, o.computeNodes(), o.validators());
        long now = System.currentTimeMillis();
        Path platformDir = keysDir.resolve("dev-sev-snp");
        DevSevSnpPlatform platform = DevnetPlatform.loadOrCreate(platformDir, now);
        DevnetValidators layout = o.validators() == 1 ? null : DevnetValidators.plan(genesisFile, keys, o.port());
        List<ValidatorInfo> set = layout == null ? List.of(Genesis.validator(keys.validator().publicKey())) : layout.infos();
        DevnetGenesis.loadOrCreate(genesisFile, keys, set, platform, DevEnclave.buildMeasurement(), DevnetGenesis.params(), now);
        ModelStore store = new ModelStore(o.dir().resolve("models"));
        BundledModels.BundledModel miniLm = BundledModels.installMiniLm(store);
        ModelPackage digits = DigitsPackage.install(store);
        DevnetProcesses procs = new DevnetProcesses(o.launcher(), o.dir().resolve("logs"));
        VerityClient client = null;
        try {
            List<String> urls;
            if (layout == null) {
                DevnetProcesses.Program validator = procs.start("validator", List.of("validator",
                        "--data-dir", o.dir().resolve("chain").toString(), "--key", keysDir.resolve("validator.json").toString(),
                        "--genesis", genesisFile.toString(), "--listen", "127.0.0.1:" + o.port(),
                        "--block-interval", Long.toString(o.blockIntervalMillis()), "--models", store.dir().toString()));
                String port = DevnetProcesses.awaitLine(validator, ValidatorProcess.READY, START_TIMEOUT).split("\\s+")[0];
                urls = List.of("http://127.0.0.1:" + port);
                client = new VerityClient(urls.get(0));
            } else {
                List<DevnetProcesses.Program> validators = new ArrayList<>();
                for (DevnetValidators.Member m : layout.members()) {
                    List<String> args = new ArrayList<>(List.of("validator", "--data-dir", m.dataDir(o.dir()).toString(),
                            "--key", DevnetKeys.validatorKeyFile(keysDir, m.index()).toString(), "--genesis", genesisFile.toString(),
                            "--listen", DevnetValidators.HOST + ":" + m.apiPort(),
                            "--block-interval", Long.toString(o.blockIntervalMillis()), "--models", store.dir().toString()));
                    args.addAll(layout.peerArgs());
                    validators.add(procs.start(m.name(), args));
                }
                for (DevnetProcesses.Program v : validators) {
                    DevnetProcesses.awaitLine(v, ValidatorProcess.READY, START_TIMEOUT);
                }
                urls = layout.apiUrls();
                client = VerityClient.failover(urls);
                awaitBlockProduction(client, validators);
            }
            Devnet net = new Devnet(null, null, null, client, new Wallet(client, keys.client()), Hash.fromHex(miniLm.sha256Hex()));
            net.apiUrl = urls.get(0);
            net.apiUrls = List.copyOf(urls);
            net.processes = procs;
            net.governor = keys.governor();
            net.options = o;
            net.registerModels(miniLm, digits, BundledModels.installChat(store));
            net.startNodeProcesses(keys, keysDir, platformDir);
            net.startGateway(keysDir);
            LOG.info("devnet up: {} validator(s) and {} compute nodes as processes, API at {}", urls.size(), net.nodes.size(),
                    String.join(", ", urls));
            return net;
        } catch (RuntimeException e) {
            if (client != null) {
                client.close();
            }
            procs.close();
            throw e;
        }
    }

    /**
     * Waits until the replicated validators produce a block: they elected a leader, so that transactions are taken.
     */
    private static void awaitBlockProduction(VerityClient client, List<DevnetProcesses.Program> validators) {
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        long first = -1;
        String last = "no answer yet";
        while (true) {
            try {
                long h = client.status().height();
                if (first < 0) {
                    first = h;
                } else if (h > first) {
                    return;
                }
            } catch (VerityApiException e) {
                last = e.getMessage();
            }
            for (DevnetProcesses.Program v : validators) {
                if (!v.process().isAlive()) {
                    throw new IllegalStateException("the devnet's " + v.name() + " exited with status " + v.process().exitValue()
                            + ":\n" + DevnetProcesses.tail(v.log()));
                }
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the devnet's " + validators.size() + " validators produced no block within "
                        + START_TIMEOUT.toSeconds() + " s (" + last + "):\n" + DevnetProcesses.tail(validators.get(0).log()));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the devnet's validators", e);
            }
        }
    }

    /** How long a devnet program may take to be ready (a node pulls its models and registers first). */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private void startNodeProcesses(DevnetKeys keys, Path keysDir, Path platformDir) {
        List<DevnetProcesses.Program> programs = new ArrayList<>();
        Duration poll = Duration.ofMillis(Math.max(50, Math.min(200, options.blockIntervalMillis() / 2)));
        for (int i = 0; i < keys.computeNodes().size(); i++) {
            DevnetNodePlan plan = DevnetNodePlan.of(i, options.computeNodes(), options.cheat());
            Path home = options.dir().resolve("nodes").resolve("node-" + (i + 1));
            // Every validator, this node's own first (round robin): it moves to the next when one is unavailable.
            List<String> apis = new ArrayList<>();
            for (int k = 0; k < apiUrls.size(); k++) {
                apis.add(apiUrls.get((i + k) % apiUrls.size()));
            }
            List<String> args = new ArrayList<>(List.of("node", "run", "--api", String.join(",", apis),
                    "--key", DevnetKeys.nodeKeyFile(keysDir, i).toString(),
                    "--store", home.resolve("models").toString(), "--state-dir", home.resolve("state").toString(),
                    "--capacity", Integer.toString(options.workerCapacity()), "--engine", plan.tee() ? "fast" : "integer",
                    "--device", "cpu", "--poll-ms", Long.toString(poll.toMillis()),
                    "--register", "--stake", Long.toString(STAKES[i % STAKES.length]),
                    "--mode", String.join(",", plan.modes().stream().map(Enum::name).toList()),
                    "--cpu", System.getProperty("os.arch") + " CPU (devnet)",
                    "--cpu-count", Integer.toString(Runtime.getRuntime().availableProcessors())));
            for (Hash m : served(plan)) {
                args.addAll(List.of("--model", m.hex()));
            }
            if (plan.tee()) {
                args.addAll(List.of("--dev-enclave", platformDir.toString()));
            }
            if (plan.servesChat()) {
                args.addAll(List.of("--stream", "127.0.0.1:0"));
            }
            if (plan.cheat() != null) {
                args.addAll(List.of("--cheat", plan.cheat().name()));
            }
            if (!(options.watch() && plan.servesProvableModes())) {
                args.add("--no-watch");
            }
            if (!(options.audit() && plan.modes().contains(VerificationMode.SAMPLED))) {
                args.add("--no-audit");
            }
            programs.add(processes.start("node-" + (i + 1), args));
        }
        for (int i = 0; i < programs.size(); i++) {
            DevnetProcesses.awaitLine(programs.get(i), "VERITY-COMPUTE READY", START_TIMEOUT);
            nodes.add(new ComputeNode(keys.computeNodes().get(i), DevnetNodePlan.of(i, options.computeNodes(), options.cheat()),
                    null, null, programs.get(i).process()));
        }
    }

    /** What the devnet's gateway account is kept funded with, and the balance below which it is topped up. */
    private static final long GATEWAY_FUNDS = 10_000 * dev.verity.protocol.Params.BASE_UNITS_PER_TOKEN;

    /**
     * Starts {@code verity gateway} as a process on a free loopback port, paying from its own account (funded from the
     * client's), in TEE mode falling back to SAMPLED (the integer engine, audited) when no enclave node can take a job or
     * the enclaves are revoked: the devnet's OpenAI-compatible chat API.
     */
    private void startGateway(Path keysDir) {
        PrivateKey key = DevnetKeys.gatewayKey(keysDir);
        long balance;
        try {
            balance = client.account(key.publicKey()).balance();
        } catch (VerityApiException e) {
            balance = 0;
        }
        if (balance < GATEWAY_FUNDS / 2) {
            await(new ArrayList<>(List.of(sent(() -> clientWallet.transfer(key.publicKey(), GATEWAY_FUNDS)))));
        }
        DevnetProcesses.Program gateway = processes.start("gateway", List.of("gateway", "--api", String.join(",", apiUrls),
                "--key", DevnetKeys.gatewayKeyFile(keysDir).toString(), "--listen", "127.0.0.1:0", "--mode", "TEE",
                "--fallback", "SAMPLED"));
        gatewayUrl = DevnetProcesses.awaitLine(gateway, "gateway serving ", START_TIMEOUT).split("\\s+")[0];
    }

    /** The devnet's OpenAI-compatible chat API ({@code verity gateway}); null for a devnet in one process. */
    public String gatewayUrl() {
        return gatewayUrl;
    }

    /** Registers the devnet's models, and the digits and chat models' integer programs, unless the chain has them. */
    private void registerModels(BundledModels.BundledModel miniLm, ModelPackage digits, BundledModels.BundledModel chat) {
        List<Hash> pending = new ArrayList<>();
        integerModel = digits.id();
        integerPackage = digits;
        chatModel = Hash.fromHex(chat.sha256Hex());
        if (!exists(() -> client.model(chatModel))) {
            pending.add(sent(() -> clientWallet.registerModel(chatModel, chat.name(), chat.inputDescription(),
                    chat.outputDescription(), 1, ShippedSchemas.CHAT)));
        }
        if (!exists(() -> client.model(model))) {
            pending.add(sent(() -> clientWallet.registerModel(model, miniLm.name(), miniLm.inputDescription(),
                    miniLm.outputDescription(), miniLm.info().computeUnits(), ShippedSchemas.SENTENCE_TEXT)));
        }
        if (!exists(() -> client.model(integerModel))) {
            pending.add(sent(() -> clientWallet.registerModel(integerModel, DigitsPackage.NAME,
                    "64 float32 little-endian: an 8x8 digit, pixels 0..16 scaled to 0..1",
                    "10 float32 little-endian: a score per digit 0..9", Math.max(1, digits.metadata().computeUnits()),
                    ShippedSchemas.digits(digits))));
        }
        await(pending);
        if (client.model(integerModel).program() == null) {
            ProgramCommitment program = new ProgramCommitment(digits.program());
            pending.add(sent(() -> clientWallet.registerProgram(integerModel, program.root(), program.leafCount(),
                    program.stepCount())));
        }
        if (client.model(chatModel).program() == null) {
            DecoderCommitment program = BundledModels.chatCommitment();
            pending.add(sent(() -> clientWallet.registerProgram(chatModel, program.root(), program.leafCount(),
                    program.stepCount())));
        }
        await(pending);
    }

    private void setUp(DevnetKeys keys, DevSevSnpPlatform platform, Measurement build, BundledModels.BundledModel miniLm,
                       ModelPackage digits, ModelStore store) {
        registerModels(miniLm, digits, BundledModels.installChat(store));
        List<Hash> pending = new ArrayList<>();
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
            nodes.add(new ComputeNode(keys.computeNodes().get(i), plan, worker, roles, null));
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
        if (plan.servesChat() && chatModel != null) {
            served.add(chatModel);
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

    /**
     * Sends a transaction with {@code send}, again while the validator did not take it: it was too busy to read the
     * request in time (408, on a loaded machine), or the replicated log did not take it (503, while the validators
     * elect a leader). The wallet keeps the nonce of a transaction not taken, so the same transaction goes again.
     */
    private static Hash sent(java.util.function.Supplier<Hash> send) {
        for (int attempt = 1; ; attempt++) {
            try {
                return send.get();
            } catch (VerityApiException e) {
                boolean notTaken = "REQUEST_TIMEOUT".equals(e.code()) || e.httpStatus() == 503;
                if (!notTaken || attempt >= 5) {
                    throw e;
                }
                LOG.info("devnet: a transaction was not taken ({}); sending it again", e.getMessage());
                try {
                    Thread.sleep(500L * attempt);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * {@link VerityClient#awaitReceipt}, patient with a validator that does not know the transaction yet (404): with
     * several validators, one that passed a transaction on to the leader applies it from the log a moment after the
     * leader acknowledged it.
     */
    public TransactionReceipt awaitIncluded(Hash tx, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return client.awaitReceipt(tx, Duration.ofNanos(Math.max(1, end - System.nanoTime())));
            } catch (VerityApiException e) {
                if (e.httpStatus() != 404 || System.nanoTime() > end) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for transaction " + tx.hex(), e);
            }
        }
    }

    private void await(List<Hash> txs) {
        for (Hash h : txs) {
            TransactionReceipt r = awaitIncluded(h, Duration.ofSeconds(30));
            if (!"INCLUDED".equals(r.status())) {
                throw new IllegalStateException("devnet set-up transaction " + h.hex() + " was not included: " + r.code() + ": "
                        + r.message());
            }
        }
        txs.clear();
    }

    /** The API of the (first) validator. */
    public String apiUrl() {
        return apiUrl;
    }

    /** Every validator's API, the first validator's first. */
    public List<String> apiUrls() {
        return apiUrls;
    }

    /** How many validators replicate the chain. */
    public int validators() {
        return apiUrls.size();
    }

    /** Where the devnet keeps its keys, genesis, chains, models and logs. */
    public Path dir() {
        return options.dir();
    }

    /** Whether the validator and the compute nodes run as separate processes. */
    public boolean processes() {
        return processes != null;
    }

    /**
     * Stops the enclave nodes from taking jobs: their workers pause, or (processes) their processes are stopped with
     * SIGSTOP, as machines that freeze would be.
     */
    public void pauseTeeNodes() {
        for (ComputeNode n : nodes) {
            if (n.tee()) {
                if (n.process() != null) {
                    signal(n.process(), "STOP");
                } else {
                    n.worker().pause();
                }
            }
        }
    }

    /** Lets the enclave nodes take jobs again. */
    public void resumeTeeNodes() {
        for (ComputeNode n : nodes) {
            if (n.tee()) {
                if (n.process() != null) {
                    signal(n.process(), "CONT");
                } else {
                    n.worker().resume();
                }
            }
        }
    }

    private static void signal(Process p, String signal) {
        DevnetProcesses.signal(new DevnetProcesses.Program("compute node", p, null), signal);
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

    /** The shipped chat model, which every node serves in its modes. */
    public Hash chatModel() {
        return chatModel;
    }

    /** The chat model's step program, to re-run provable chat jobs here and compare with what the chain settled. */
    public GenerationProgram chatProgram() {
        return new GenerationProgram(chatModel, ShippedLanguageModel.step(), BundledModels.CHAT_END_TOKEN);
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
        return awaitIncluded(sent(() -> clientWallet.govern(action, List.of(governor))), Duration.ofSeconds(30));
    }

    /** The node that cheats on its provable results, if this devnet has one. */
    public java.util.Optional<ComputeNode> cheatingNode() {
        return nodes.stream().filter(n -> n.cheat() != null).findFirst();
    }

    @Override
    public void close() {
        if (processes != null) {
            client.close();
            processes.close();
            return;
        }
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
