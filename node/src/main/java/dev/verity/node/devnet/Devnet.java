package dev.verity.node.devnet;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.Params;
import dev.verity.ledger.VerificationMode;
import dev.verity.ledger.governance.GovernanceAction;
import dev.verity.ledger.tx.Hardware;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.node.api.ApiServer;
import dev.verity.node.chain.ChainNode;
import dev.verity.node.chain.NodeConfig;
import dev.verity.node.consensus.SingleValidatorConsensus;
import dev.verity.node.model.BundledModels;
import dev.verity.node.model.ModelStore;
import dev.verity.node.tee.DevEnclave;
import dev.verity.node.worker.ComputeWorker;
import dev.verity.node.worker.EnginePolicy;
import dev.verity.node.worker.ModelRunners;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.TransactionReceipt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole local network in one process: one validator serving the API on loopback, compute
 * nodes with their own keys, stakes and workers (talking to the validator over HTTP like remote
 * nodes would), and a funded client account. Its keys, genesis, chain and models live under one
 * folder, so it restarts as the same network.
 */
public final class Devnet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Devnet.class);

    /** Stakes of the compute nodes, in tokens, and which of them run a (development) enclave. */
    static final long[] STAKES = {3_000, 5_000, 2_000, 4_000, 6_000};

    public record Options(Path dir, int port, long blockIntervalMillis, int computeNodes) {
        public static Options defaults(Path dir) {
            return new Options(dir, 8645, 200, 3);
        }
    }

    /** A compute node of the devnet: its key, whether it has an enclave, and its worker. */
    public record ComputeNode(PrivateKey key, boolean tee, ComputeWorker worker) {}

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
                Params.defaults(), now);
        ChainNode chain = ChainNode.open(new NodeConfig(o.dir().resolve("chain"), o.blockIntervalMillis(), 50_000, 5_000),
                genesis, keys.validator());
        SingleValidatorConsensus consensus = new SingleValidatorConsensus(chain, o.blockIntervalMillis());
        ApiServer api = null;
        try {
            consensus.start();
            api = new ApiServer(chain, o.port());
            api.start();
            VerityClient client = new VerityClient("http://127.0.0.1:" + api.port());
            ModelStore store = new ModelStore(o.dir().resolve("models"));
            BundledModels.BundledModel miniLm = BundledModels.installMiniLm(store);
            Hash model = Hash.fromHex(miniLm.sha256Hex());
            Devnet net = new Devnet(chain, consensus, api, client, new Wallet(client, keys.client()), model);
            net.governor = keys.governor();
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
                    miniLm.info().computeUnits()));
        }
        if (!exists(() -> client.model(integerModel))) {
            pending.add(clientWallet.registerModel(integerModel, DigitsPackage.NAME,
                    "64 float32 little-endian: an 8x8 digit, pixels 0..16 scaled to 0..1",
                    "10 float32 little-endian: a score per digit 0..9", Math.max(1, digits.metadata().computeUnits()),
                    PackageRunner.inputBytes(digits)));
        }
        await(pending);
        List<Wallet> wallets = new ArrayList<>();
        for (int i = 0; i < keys.computeNodes().size(); i++) {
            PrivateKey key = keys.computeNodes().get(i);
            Wallet w = new Wallet(client, key);
            wallets.add(w);
            if (!exists(() -> client.node(key.publicKey()))) {
                List<VerificationMode> modes = teeNode(i) ? List.of(VerificationMode.NONE, VerificationMode.TEE)
                        : List.of(VerificationMode.NONE);
                List<Hash> served = teeNode(i) ? List.of(model) : List.of(model, integerModel);
                pending.add(w.registerNode(STAKES[i % STAKES.length] * Params.BASE_UNITS_PER_TOKEN, served, modes,
                        Hardware.cpuOnly(System.getProperty("os.arch") + " CPU (devnet)", Runtime.getRuntime().availableProcessors())));
            }
        }
        await(pending);
        for (int i = 0; i < wallets.size(); i++) {
            DevEnclave enclave = null;
            if (teeNode(i)) {
                // A fresh enclave key on every start, as a restarted enclave would have; it replaces the old one.
                enclave = DevEnclave.launch(platform, DevnetGenesis.CHAIN_ID, wallets.get(i).publicKey(), build);
                pending.add(wallets.get(i).registerEnclave(enclave.publicKey(), enclave.attestation()));
            }
            // The CPU-only nodes answer every job with the bit-exact integer engine where they can.
            ModelRunners r = new ModelRunners(store, teeNode(i) ? EnginePolicy.FAST_WHERE_TRUSTED : EnginePolicy.INTEGER_ALWAYS);
            r.forModel(model); // load the ONNX session now, as a node loads the models it declares before it serves
            if (!teeNode(i)) {
                r.forModel(integerModel);
            }
            runners.add(r);
            ComputeWorker worker = new ComputeWorker(client, wallets.get(i), r, enclave, ComputeWorker.Config.defaults());
            nodes.add(new ComputeNode(keys.computeNodes().get(i), teeNode(i), worker));
        }
        await(pending);
        nodes.forEach(n -> n.worker().start());
    }

    /** The first two compute nodes run an enclave; the others serve NONE only. */
    private static boolean teeNode(int index) {
        return index < 2;
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

    @Override
    public void close() {
        nodes.forEach(n -> n.worker().close());
        runners.forEach(ModelRunners::close);
        api.close();
        consensus.close();
        chain.close();
    }
}
