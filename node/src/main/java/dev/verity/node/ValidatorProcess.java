package dev.verity.node;

import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.node.api.ApiServer;
import dev.verity.node.api.ApiServerConfig;
import dev.verity.node.chain.ChainNode;
import dev.verity.node.chain.NodeConfig;
import dev.verity.node.consensus.SingleValidatorConsensus;
import dev.verity.sdk.KeyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A validator node as its own process: {@code --data-dir DIR --key FILE [--genesis FILE]
 * [--port P | --listen HOST:PORT] [--block-interval MS]}. The API listens on 127.0.0.1 unless
 * {@code --listen} names another address. Prints {@code VERITY-NODE READY port=P} once it serves
 * the API. Used by multi-process tests and by {@code verity validator}.
 */
public final class ValidatorProcess implements AutoCloseable {
    public static final String READY = "VERITY-NODE READY port=";

    private final ChainNode chain;
    private final SingleValidatorConsensus consensus;
    private final ApiServer api;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    public ValidatorProcess(Path dataDir, PrivateKey key, Genesis genesis, int port, long blockIntervalMillis) {
        this(dataDir, key, genesis, ApiServerConfig.loopback(port), blockIntervalMillis);
    }

    /** A validator whose API listens and limits clients as {@code api} says. */
    public ValidatorProcess(Path dataDir, PrivateKey key, Genesis genesis, ApiServerConfig apiConfig, long blockIntervalMillis) {
        chain = ChainNode.open(NodeConfig.defaults(dataDir).withBlockInterval(blockIntervalMillis), genesis, key);
        try {
            consensus = new SingleValidatorConsensus(chain, blockIntervalMillis);
            api = new ApiServer(chain, apiConfig);
            api.start();
        } catch (RuntimeException e) {
            chain.close();
            throw e;
        }
        consensus.start();
    }

    public int port() {
        return api.port();
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
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--key" -> keyFile = Path.of(value);
                case "--genesis" -> genesisFile = Path.of(value);
                case "--port" -> port = Integer.parseInt(value);
                case "--listen" -> listen = ApiServerConfig.parseListen(value);
                case "--block-interval" -> interval = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (dataDir == null || keyFile == null) {
            throw new IllegalArgumentException("usage: --data-dir DIR --key FILE [--genesis FILE] [--port P | --listen HOST:PORT] "
                    + "[--block-interval MS]");
        }
        Genesis genesis = genesisFile == null ? null : Genesis.decode(Files.readAllBytes(genesisFile));
        ApiServerConfig apiConfig = listen == null ? ApiServerConfig.loopback(port) : ApiServerConfig.listen(listen.host(), listen.port());
        ValidatorProcess node = new ValidatorProcess(dataDir, KeyFiles.load(keyFile), genesis, apiConfig, interval);
        Runtime.getRuntime().addShutdownHook(new Thread(node::close));
        System.out.println(READY + node.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
