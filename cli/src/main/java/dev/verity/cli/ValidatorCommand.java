package dev.verity.cli;

import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.node.ValidatorProcess;
import dev.verity.sdk.KeyFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verity validator}: a validator node in the foreground, serving the API. */
@Command(name = "validator", mixinStandardHelpOptions = true,
        description = {"Run a validator node in the foreground (Ctrl-C stops it).", "",
            "It produces blocks and serves the API on 127.0.0.1. A new data directory needs --genesis; an existing "
                    + "one restarts from its stored chain. Prints '" + ValidatorProcess.READY + "P' once it serves the API."})
final class ValidatorCommand extends BaseCommand {
    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where the node keeps its chain.")
    Path dataDir;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The validator's key file.")
    Path keyFile;

    @Option(names = "--genesis", paramLabel = "FILE", description = "Genesis file (canonical encoding) for a new data directory.")
    Path genesisFile;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8645", description = "API port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--block-interval", paramLabel = "MS", defaultValue = "500",
            description = "Milliseconds between blocks (default: ${DEFAULT-VALUE}).")
    long blockInterval;

    @Override
    protected int execute() throws Exception {
        if (port < 0 || port > 65535) {
            throw usage("--port must be 0 to 65535, got " + port);
        }
        if (blockInterval < 1) {
            throw usage("--block-interval must be at least 1 ms, got " + blockInterval);
        }
        PrivateKey key = KeyFiles.load(keyFile);
        Genesis genesis = null;
        if (genesisFile != null) {
            if (!Files.isRegularFile(genesisFile)) {
                throw new CliException("NO_SUCH_FILE", "no such genesis file: " + genesisFile);
            }
            try {
                genesis = Genesis.decode(Files.readAllBytes(genesisFile));
            } catch (RuntimeException e) {
                throw new CliException("BAD_GENESIS", genesisFile + " is not a genesis file: " + Errors.message(e));
            }
        }
        ValidatorProcess node = new ValidatorProcess(dataDir, key, genesis, port, blockInterval);
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "verity-validator-shutdown"));
        String url = "http://127.0.0.1:" + node.port();
        if (out().json()) {
            out().printJson(Output.object("api", url, "port", node.port(), "validator", key.publicKey().hex(),
                    "dataDir", dataDir.toAbsolutePath().toString()));
        } else {
            out().out().println(ValidatorProcess.READY + node.port());
            out().out().flush();
            out().note("validator " + key.publicKey().hex() + " serving the API at " + url + " (Ctrl-C to stop)");
        }
        new CountDownLatch(1).await();
        return 0;
    }
}
