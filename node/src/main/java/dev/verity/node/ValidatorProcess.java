package dev.verity.node;

import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.node.api.ApiServer;
import dev.verity.node.chain.ChainNode;
import dev.verity.node.chain.NodeConfig;
import dev.verity.node.consensus.SingleValidatorConsensus;
import dev.verity.node.model.ModelStore;
import dev.verity.sdk.KeyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A validator node as its own process: {@code --data-dir DIR --key FILE [--genesis FILE]
 * [--port P] [--block-interval MS] [--models DIR]} (a model store whose files it serves by hash). Prints {@code VERITY-NODE READY port=P} once it serves the
 * API. Used by multi-process tests and by {@code verity validator}.
 */
public final class ValidatorProcess implements AutoCloseable {
    public static final String READY = "VERITY-NODE READY port=";

    private final ChainNode chain;
    private final SingleValidatorConsensus consensus;
    private final ApiServer api;

    public ValidatorProcess(Path dataDir, PrivateKey key, Genesis genesis, int port, long blockIntervalMillis) {
        this(dataDir, key, genesis, port, blockIntervalMillis, null);
    }

    /** As above, serving the model files of the store in {@code modelDir} (null: none) by their hash. */
    public ValidatorProcess(Path dataDir, PrivateKey key, Genesis genesis, int port, long blockIntervalMillis, Path modelDir) {
        chain = ChainNode.open(NodeConfig.defaults(dataDir).withBlockInterval(blockIntervalMillis), genesis, key);
        consensus = new SingleValidatorConsensus(chain, blockIntervalMillis);
        api = new ApiServer(chain, port).serveModelFiles(modelDir == null ? null : new ModelStore(modelDir));
        api.start();
        consensus.start();
    }

    public int port() {
        return api.port();
    }

    @Override
    public void close() {
        api.close();
        consensus.close();
        chain.close();
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path dataDir = null;
        Path keyFile = null;
        Path genesisFile = null;
        int port = 8645;
        long interval = 500;
        Path models = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--key" -> keyFile = Path.of(value);
                case "--genesis" -> genesisFile = Path.of(value);
                case "--port" -> port = Integer.parseInt(value);
                case "--block-interval" -> interval = Long.parseLong(value);
                case "--models" -> models = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (dataDir == null || keyFile == null) {
            throw new IllegalArgumentException("usage: --data-dir DIR --key FILE [--genesis FILE] [--port P] [--block-interval MS] [--models DIR]");
        }
        Genesis genesis = genesisFile == null ? null : Genesis.decode(Files.readAllBytes(genesisFile));
        ValidatorProcess node = new ValidatorProcess(dataDir, KeyFiles.load(keyFile), genesis, port, interval, models);
        Runtime.getRuntime().addShutdownHook(new Thread(node::close));
        System.out.println(READY + node.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
