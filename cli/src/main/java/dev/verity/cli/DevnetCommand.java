package dev.verity.cli;

import dev.verity.node.devnet.Devnet;
import dev.verity.node.storage.DataDirectoryInUseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verity devnet}: a whole local network in this process, until Ctrl-C. */
@Command(name = "devnet", mixinStandardHelpOptions = true,
        description = {"Run a local network until Ctrl-C.", "",
            "One validator serving the API, compute nodes with stakes and workers running the bundled "
                    + "all-MiniLM-L6-v2 model (the first two with a development enclave for TEE jobs), and a funded "
                    + "client key. Everything lives in DIR, so it restarts as the same network."})
final class DevnetCommand extends BaseCommand {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "devnet-data",
            description = "Where keys, genesis, chain and models live (default: ./${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8645", description = "API port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--block-interval", paramLabel = "MS", defaultValue = "200",
            description = "Milliseconds between blocks (default: ${DEFAULT-VALUE}).")
    long blockInterval;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "3", description = "Compute nodes (1 to 5, default: ${DEFAULT-VALUE}).")
    int nodes;

    @Override
    protected int execute() throws Exception {
        if (port < 0 || port > 65535) {
            throw usage("--port must be 0 to 65535, got " + port);
        }
        if (blockInterval < 1) {
            throw usage("--block-interval must be at least 1 ms, got " + blockInterval);
        }
        if (nodes < 1 || nodes > 5) {
            throw usage("--nodes must be 1 to 5, got " + nodes);
        }
        out().note("starting a local network in " + dir.toAbsolutePath() + " (1 validator, " + nodes + " compute node"
                + (nodes == 1 ? "" : "s") + ", 1 client)...");
        Devnet net;
        try {
            net = Devnet.start(new Devnet.Options(dir, port, blockInterval, nodes));
        } catch (DataDirectoryInUseException e) {
            throw new CliException("DATA_DIR_IN_USE", "the devnet in " + dir + " is already running (its data directory is in use)");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(net::close, "verity-devnet-shutdown"));
        Path keys = dir.toAbsolutePath().resolve("keys");
        String chainId = net.client().status().chainId();
        List<String> nodeKeys = new ArrayList<>();
        for (int i = 1; i <= net.nodes().size(); i++) {
            nodeKeys.add(keys.resolve("node-" + i + ".json").toString());
        }
        String clientKey = keys.resolve("client.json").toString();
        String example = "VERITY_API=" + net.apiUrl() + " VERITY_KEY=" + clientKey + " ./verity job submit --model "
                + net.model().hex() + " --mode TEE --input FILE --wait";
        if (out().json()) {
            Map<String, Object> doc = Output.object("api", net.apiUrl(), "chainId", chainId, "model", net.model().hex(),
                    "clientKey", clientKey, "nodeKeys", nodeKeys, "dataDir", dir.toAbsolutePath().toString(), "example", example);
            out().printJson(doc);
        } else {
            out().fields(Output.object("API", net.apiUrl(), "chain id", chainId, "model", net.model().hex() + " (all-MiniLM-L6-v2)",
                    "client key", clientKey, "node keys", String.join(", ", nodeKeys)));
            out().line();
            out().line("Try (from another terminal):");
            out().line("  echo 'The cat sits on the mat.' > input.txt");
            out().line("  " + example.replace("FILE", "input.txt"));
            out().line();
            out().line("Running; press Ctrl-C to stop.");
        }
        new CountDownLatch(1).await();
        return 0;
    }
}
