package dev.verity.cli;

import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.sdk.KeyFiles;
import dev.verity.validator.ValidatorProcess;
import dev.verity.validator.api.ApiServerConfig;
import dev.verity.validator.consensus.ratis.ValidatorPeer;
import dev.verity.validator.storage.Retention;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verity validator}: a validator node in the foreground, serving the API. */
@Command(name = "validator", mixinStandardHelpOptions = true, defaultValueProvider = ConfigFileDefaults.class,
        description = {"Run a validator node in the foreground (Ctrl-C stops it).", "",
            "It produces blocks and serves the API on 127.0.0.1 (this machine only) unless --listen names another "
                    + "address: --listen 0.0.0.0:8645 makes it a public server, reachable from other machines, with "
                    + "per-client limits (docs/ARCHITECTURE.md). A new data directory needs --genesis; an existing "
                    + "one restarts from its stored chain. Prints '" + ValidatorProcess.READY + "P' once it serves the API.", "",
            "History: an archive validator (the default) keeps every block; --retain-blocks N makes a pruned one that keeps "
                    + "the newest N blocks with their transactions, events and finished jobs, answers 410 PRUNED for older "
                    + "ones, and keeps the whole live state (docs/ARCHITECTURE.md, \"Pruned and archive validators\"). A data "
                    + "directory that was pruned cannot run as an archive again.", "",
            "Exit status: " + ValidatorProcess.EXIT_STORAGE_FAILED + " after a storage failure (nothing acknowledged is lost; fix "
                    + "the disk and start it again), " + ValidatorProcess.EXIT_BLOCK_PRODUCTION_FAILED + " when block production "
                    + "stopped, " + ValidatorProcess.EXIT_CANNOT_START + " when it cannot start (a damaged store, a bad key or "
                    + "genesis file; the error says what to do), 2 bad usage."})
final class ValidatorCommand extends BaseCommand {
    @Option(names = ConfigFileDefaults.OPTION, paramLabel = "FILE",
            description = "Read the options from FILE: one 'option = value' a line, the option's long name without its "
                    + "dashes (data-dir = /var/lib/verity/chain; retain-blocks = 100000), '#' for comments. An option on the "
                    + "command line wins; an unknown key is refused. See docs/OPERATOR.md.")
    Path config;

    // Required, but checked in execute(): picocli would refuse them before reading them from --config.
    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the node keeps its chain (required).")
    Path dataDir;

    @Option(names = "--key", paramLabel = "FILE", description = "The validator's key file (required).")
    Path keyFile;

    @Option(names = "--genesis", paramLabel = "FILE", description = "Genesis file (canonical encoding) for a new data directory.")
    Path genesisFile;

    static final int DEFAULT_PORT = 8645;

    @Option(names = "--port", paramLabel = "P",
            description = "API port on 127.0.0.1 (default: " + DEFAULT_PORT + "; 0 = any free port). Same as --listen 127.0.0.1:P.")
    Integer port;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "Address and port of the API (default: 127.0.0.1:" + DEFAULT_PORT + ", this machine only). "
                    + "0.0.0.0:PORT listens on every interface, an interface's address on that one ([::1]:PORT for IPv6): "
                    + "a public server.")
    String listen;

    @Option(names = "--models", paramLabel = "DIR",
            description = "A model store whose files the API serves by hash (GET /v1/models/{id}/file), for compute nodes to pull.")
    Path models;

    @Option(names = "--accept-wal-loss",
            description = "Start even when the store's write-ahead log is damaged, keeping what precedes the damage (the "
                    + "writes after it are lost; see docs/OPERATOR.md).")
    boolean acceptWalLoss;

    @Option(names = "--block-interval", paramLabel = "MS", defaultValue = "500",
            description = "Milliseconds between blocks (default: ${DEFAULT-VALUE}).")
    long blockInterval;

    @Option(names = "--retain-blocks", paramLabel = "N",
            description = "Keep only the newest N blocks with their transactions, refusals, events and finished jobs, "
                    + "deleting older ones as the chain grows (a pruned validator). Default: keep every block (an archive).")
    Long retainBlocks;

    @Option(names = "--peer", paramLabel = "KEY=HOST:PORT", split = ",",
            description = "A validator of the replicated log: its public key (hex) and the host:port of its replication "
                    + "endpoint. Give every validator, this one included (repeat the option, or separate with commas); this "
                    + "validator listens on its own entry's port. Without --peer the validator produces blocks alone.")
    List<String> peers = new ArrayList<>();

    @Override
    protected int execute() throws Exception {
        if (spec.defaultValueProvider() instanceof ConfigFileDefaults d) {
            d.applyFlags(spec);
        }
        if (dataDir == null || keyFile == null) {
            throw usage("give " + (dataDir == null ? "--data-dir DIR" : "--key FILE") + " (on the command line or in --config)");
        }
        ApiServerConfig apiConfig = apiConfig();
        if (blockInterval < 1) {
            throw usage("--block-interval must be at least 1 ms, got " + blockInterval);
        }
        if (retainBlocks != null && retainBlocks < 1) {
            throw usage("--retain-blocks must be at least 1 (leave it out to keep every block), got " + retainBlocks);
        }
        PrivateKey key;
        ValidatorProcess node;
        try {
            key = KeyFiles.load(keyFile);
            List<ValidatorPeer> replicated = new ArrayList<>();
            for (String p : peers) {
                replicated.add(ValidatorPeer.parse(p));
            }
            node = new ValidatorProcess(dataDir, key, genesis(), apiConfig, blockInterval, models, acceptWalLoss,
                    retainBlocks == null ? Retention.ARCHIVE : retainBlocks, replicated);
        } catch (RuntimeException | java.io.IOException e) {
            // A damaged store, a bad key or genesis file: the validator's own exit status for "cannot start", so that
            // a supervisor tells it from a node that ran and stopped (74, 70).
            out().error(Errors.code(e), Errors.message(e));
            if (verbose) {
                e.printStackTrace(out().err());
                out().err().flush();
            }
            return ValidatorProcess.EXIT_CANNOT_START;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "verity-validator-shutdown"));
        String url = node.url();
        boolean isPublic = !apiConfig.isLoopback();
        String listening = new ApiServerConfig.ListenAddress(apiConfig.host(), node.port()).toString();
        if (out().json()) {
            Retention history = node.chain().retention();
            out().printJson(Output.object("api", url, "port", node.port(), "listen", listening, "public", isPublic,
                    "validator", key.publicKey().hex(), "dataDir", dataDir.toAbsolutePath().toString(),
                    "history", history.mode(), "retainBlocks", history.retainBlocks(), "lowestHeight", history.lowestHeight()));
        } else {
            out().out().println(ValidatorProcess.READY + node.port());
            out().out().flush();
            out().out().flush();
            out().note("validator " + key.publicKey().hex() + " serving the API at " + url + " (Ctrl-C to stop)");
            Retention history = node.chain().retention();
            out().note(history.archive() ? "history: archive, keeping every block"
                    : "history: pruned, keeping the newest " + history.retainBlocks() + " blocks (now from height "
                            + history.lowestHeight() + ")");
            out().note(isPublic
                    ? "PUBLIC: listening on " + listening + ", reachable from other machines; each client is limited to "
                            + apiConfig.maxConnectionsPerClient() + " connections, " + formatRate(apiConfig.requestsPerSecond())
                            + " requests per second and " + apiConfig.maxStreamsPerClient() + " event streams"
                    : "listening on " + listening + ": this machine only (--listen 0.0.0.0:PORT serves other machines)");
        }
        try {
            new CountDownLatch(1).await();
        } finally {
            node.close(); // interrupted (embedded use); a signal closes it through the shutdown hook
        }
        return 0;
    }

    /** The genesis of --genesis, or null when none was given. */
    private Genesis genesis() throws java.io.IOException {
        if (genesisFile == null) {
            return null;
        }
        if (!Files.isRegularFile(genesisFile)) {
            throw new CliException("NO_SUCH_FILE", "no such genesis file: " + genesisFile);
        }
        try {
            return Genesis.decode(Files.readAllBytes(genesisFile));
        } catch (RuntimeException e) {
            throw new CliException("BAD_GENESIS", genesisFile + " is not a genesis file: " + Errors.message(e));
        }
    }

    /** The API's listen address from --listen or --port (127.0.0.1:8645 when neither is given). */
    ApiServerConfig apiConfig() {
        if (listen != null && port != null) {
            throw usage("give --listen HOST:PORT or --port P, not both (--port P is --listen 127.0.0.1:P)");
        }
        if (listen != null) {
            ApiServerConfig.ListenAddress a;
            try {
                a = ApiServerConfig.parseListen(listen);
            } catch (IllegalArgumentException e) {
                throw usage("--listen: " + e.getMessage());
            }
            return ApiServerConfig.listen(a.host(), a.port());
        }
        int p = port == null ? DEFAULT_PORT : port;
        if (p < 0 || p > 65535) {
            throw usage("--port must be 0 to 65535, got " + p);
        }
        return ApiServerConfig.loopback(p);
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
