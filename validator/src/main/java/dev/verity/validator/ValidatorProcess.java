package dev.verity.validator;

import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.sdk.KeyFiles;
import dev.verity.service.metrics.ReadinessCheck;
import dev.verity.service.model.ModelStore;
import dev.verity.validator.api.ApiServer;
import dev.verity.validator.api.ApiServerConfig;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.NodeConfig;
import dev.verity.validator.consensus.Consensus;
import dev.verity.validator.consensus.SingleValidatorConsensus;
import dev.verity.validator.consensus.ratis.ReplicatedConsensus;
import dev.verity.validator.consensus.ratis.ValidatorPeer;
import dev.verity.validator.metrics.ValidatorMetrics;
import dev.verity.validator.storage.DiskFull;
import dev.verity.validator.storage.Retention;
import dev.verity.validator.storage.StoreFaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A validator node as its own process: {@code --data-dir DIR --key FILE [--genesis FILE]
 * [--port P | --listen HOST:PORT] [--block-interval MS] [--models DIR] [--retain-blocks N] [--accept-wal-loss]
 * [--peer KEY=HOST:PORT ...]}. With {@code --peer} (every validator of the replicated log, this one included) it replicates
 * the chain with the others over Apache Ratis; without, it produces blocks alone. The
 * API listens on 127.0.0.1 unless {@code --listen} names another address; {@code --models} is a model store whose files
 * it serves by hash; {@code --retain-blocks N} makes it a pruned validator that keeps the newest N blocks (without it,
 * an archive that keeps every block). Prints {@code VERITY-NODE READY port=P} once it serves the API. Used by multi-process tests and by
 * {@code verity validator}.
 *
 * <p>Fail-stop: when the chain halts after a storage failure the process logs the cause and exits with
 * {@link #EXIT_STORAGE_FAILED}; when block production stops for another reason it exits with
 * {@link #EXIT_BLOCK_PRODUCTION_FAILED}. Restarted on the same data directory, it continues from the last committed
 * block with every acknowledged transaction.
 */
public final class ValidatorProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ValidatorProcess.class);

    public static final String READY = "VERITY-NODE READY port=";
    /** Exit status after a failed write to the store (a full disk, an I/O error): fix the disk and restart. */
    public static final int EXIT_STORAGE_FAILED = 74;
    /** Exit status after block production failed for another reason. */
    public static final int EXIT_BLOCK_PRODUCTION_FAILED = 70;
    /** Exit status of {@link #main} when the node cannot start (a damaged store, a bad key file, a bad option). */
    public static final int EXIT_CANNOT_START = 3;

    /**
     * <b>Test seam</b>, for the system tests that run the validator from the release archive (where no test code can
     * reach into the process): the system property {@code verity.test.diskFullAtCommit=N} (given to {@code bin/verity}
     * as {@code VERITY_JAVA_OPTS=-Dverity.test.diskFullAtCommit=N}) makes this process's N-th block commit fail as a full
     * disk does ("No space left on device"), and every write after it ({@link DiskFull}; 1 is the genesis commit of a
     * new data directory). Unset, as in production, the store writes everything.
     */
    public static final String DISK_FULL_AT_COMMIT = "verity.test.diskFullAtCommit";

    private final ChainNode chain;
    private final Consensus consensus;
    private final ApiServer api;
    private final AtomicBoolean exiting = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    public ValidatorProcess(Path dataDir, PrivateKey key, Genesis genesis, int port, long blockIntervalMillis) {
        this(dataDir, key, genesis, ApiServerConfig.loopback(port), blockIntervalMillis, null, false);
    }

    /** A validator whose API listens and limits clients as {@code apiConfig} says. */
    public ValidatorProcess(Path dataDir, PrivateKey key, Genesis genesis, ApiServerConfig apiConfig, long blockIntervalMillis) {
        this(dataDir, key, genesis, apiConfig, blockIntervalMillis, null, false);
    }

    /**
     * Starts the node, serving the model files of the store in {@code modelDir} (null: none) by their hash;
     * {@code acceptWalLoss} starts it even when the store's write-ahead log is damaged, keeping what precedes the
     * damage (otherwise such a store refuses to start, naming the loss and how to recover).
     */
    public ValidatorProcess(Path dataDir, PrivateKey key, Genesis genesis, ApiServerConfig apiConfig, long blockIntervalMillis,
                            Path modelDir, boolean acceptWalLoss) {
        this(dataDir, key, genesis, apiConfig, blockIntervalMillis, modelDir, acceptWalLoss, Retention.ARCHIVE);
    }

    /**
     * As above, keeping the newest {@code retainBlocks} blocks (a pruned validator), or every block with
     * {@link Retention#ARCHIVE}. A data directory that was pruned refuses to start as an archive.
     */
    public ValidatorProcess(Path dataDir, PrivateKey key, Genesis genesis, ApiServerConfig apiConfig, long blockIntervalMillis,
                            Path modelDir, boolean acceptWalLoss, long retainBlocks) {
        this(dataDir, key, genesis, apiConfig, blockIntervalMillis, modelDir, acceptWalLoss, retainBlocks, List.of());
    }

    /**
     * As above; with {@code peers} (every validator of the log, this one included, as key and replication address) the
     * validator replicates the chain with them over Apache Ratis instead of producing blocks alone.
     */
    public ValidatorProcess(Path dataDir, PrivateKey key, Genesis genesis, ApiServerConfig apiConfig, long blockIntervalMillis,
                            Path modelDir, boolean acceptWalLoss, long retainBlocks, List<ValidatorPeer> peers) {
        chain = ChainNode.open(NodeConfig.defaults(dataDir).withBlockInterval(blockIntervalMillis).withRetainBlocks(retainBlocks),
                genesis, key, acceptWalLoss, storeFaults());
        try {
            chain.onHalt(reason -> exit(EXIT_STORAGE_FAILED, "the validator stopped after a storage failure: " + reason
                    + ". Nothing acknowledged is lost: fix the cause (free disk space, check the disk) and restart it on "
                    + dataDir + "."));
            if (peers.isEmpty()) {
                SingleValidatorConsensus single = new SingleValidatorConsensus(chain, blockIntervalMillis);
                single.onFailure(e -> {
                    if (chain.isHealthy()) {
                        exit(EXIT_BLOCK_PRODUCTION_FAILED, "the validator stopped producing blocks: " + e.getMessage());
                    }
                });
                ValidatorMetrics.of(chain).addReadinessCheck(ReadinessCheck.unless(single::failed,
                        "block production stopped after an error; the log says why"));
                consensus = single;
            } else {
                ReplicatedConsensus replicated = new ReplicatedConsensus(chain, peers, dataDir.resolve("raft"), blockIntervalMillis);
                replicated.onFailure(why -> exit(EXIT_BLOCK_PRODUCTION_FAILED, why + "; restart it on " + dataDir
                        + " and it catches up from the others."));
                ValidatorMetrics.of(chain).addReadinessCheck(ReadinessCheck.unless(replicated::failed,
                        "the replicated log stopped under this validator; the log says why"));
                consensus = replicated;
            }
            api = new ApiServer(chain, apiConfig).serveModelFiles(modelDir == null ? null : new ModelStore(modelDir));
            api.start();
        } catch (RuntimeException e) {
            chain.close();
            throw e;
        }
        consensus.start();
    }

    /** {@link StoreFaults#NONE}, unless the test seam {@link #DISK_FULL_AT_COMMIT} is set. */
    private static StoreFaults storeFaults() {
        String n = System.getProperty(DISK_FULL_AT_COMMIT);
        if (n == null || n.isBlank()) {
            return StoreFaults.NONE;
        }
        int commit;
        try {
            commit = Integer.parseInt(n.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + DISK_FULL_AT_COMMIT + " takes a block commit number, got '" + n + "'");
        }
        if (commit < 1) {
            throw new IllegalArgumentException("-D" + DISK_FULL_AT_COMMIT + " counts block commits from 1, got " + commit);
        }
        LOG.warn("TEST SEAM -D{}={}: block commit {} of this process fails as a full disk would, and every write after it",
                DISK_FULL_AT_COMMIT, commit, commit);
        return DiskFull.atCommit(commit);
    }

    public int port() {
        return api.port();
    }

    /** The chain this process serves (for health checks: {@link ChainNode#failure()}). */
    public ChainNode chain() {
        return chain;
    }

    /** Logs the cause loudly and exits the JVM with {@code status} from a fresh thread (shutdown hooks take the locks). */
    private void exit(int status, String message) {
        if (!exiting.compareAndSet(false, true)) {
            return;
        }
        LOG.error("FATAL: {} Exiting with status {}.", message, status);
        System.err.println("verity validator: FATAL: " + message + " Exiting with status " + status + ".");
        System.err.flush();
        Thread t = new Thread(() -> System.exit(status), "verity-validator-exit");
        t.setDaemon(false);
        t.start();
    }


    /** A URL of the API that works from this machine. */
    public String url() {
        return api.url();
    }

    /** Where the API listens and what it allows clients. */
    public ApiServerConfig apiConfig() {
        return api.config();
    }

    /** Stops the API, block production and the chain; a second call does nothing. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        api.close();
        consensus.close();
        chain.close();
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dataDir = null;
        Path keyFile = null;
        Path genesisFile = null;
        int port = 8645;
        ApiServerConfig.ListenAddress listen = null;
        long interval = 500;
        boolean acceptWalLoss = false;
        Path models = null;
        long retainBlocks = Retention.ARCHIVE;
        List<ValidatorPeer> peers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--accept-wal-loss")) {
                acceptWalLoss = true;
                continue;
            }
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--key" -> keyFile = Path.of(value);
                case "--genesis" -> genesisFile = Path.of(value);
                case "--port" -> port = Integer.parseInt(value);
                case "--listen" -> listen = ApiServerConfig.parseListen(value);
                case "--block-interval" -> interval = Long.parseLong(value);
                case "--models" -> models = Path.of(value);
                case "--peer" -> peers.add(ValidatorPeer.parse(value));
                case "--retain-blocks" -> {
                    retainBlocks = Long.parseLong(value);
                    if (retainBlocks < 1) {
                        throw new IllegalArgumentException("--retain-blocks must be at least 1, got " + value);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (dataDir == null || keyFile == null) {
            throw new IllegalArgumentException("usage: --data-dir DIR --key FILE [--genesis FILE] [--port P | --listen HOST:PORT]"
                    + " [--block-interval MS] [--models DIR] [--retain-blocks N] [--accept-wal-loss] [--peer KEY=HOST:PORT ...]");
        }
        ValidatorProcess node;
        try {
            Genesis genesis = genesisFile == null ? null : Genesis.decode(Files.readAllBytes(genesisFile));
            ApiServerConfig apiConfig = listen == null ? ApiServerConfig.loopback(port)
                    : ApiServerConfig.listen(listen.host(), listen.port());
            node = new ValidatorProcess(dataDir, KeyFiles.load(keyFile), genesis, apiConfig, interval, models, acceptWalLoss,
                    retainBlocks, peers);
        } catch (RuntimeException e) {
            LOG.error("cannot start the validator", e);
            System.err.println("verity validator: cannot start: " + e.getMessage());
            System.err.flush();
            System.exit(EXIT_CANNOT_START);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::close));
        System.out.println(READY + node.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
