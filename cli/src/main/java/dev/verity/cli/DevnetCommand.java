package dev.verity.cli;

import dev.verity.devnet.CheatMode;
import dev.verity.devnet.Devnet;
import dev.verity.devnet.DigitsPackage;
import dev.verity.validator.storage.DataDirectoryInUseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verity devnet}: a whole local network of separate processes, until Ctrl-C. */
@Command(name = "devnet", mixinStandardHelpOptions = true,
        description = {"Run a local network until Ctrl-C.", "",
            "The programs an operator runs, each its own process over HTTP on loopback: one `verity validator` serving "
                    + "the API and the model files (with --validators N, N of them replicating the chain over Apache Ratis, "
                    + "each with its own API; a block is final once validators holding more than 2/3 of the stake signed it), "
                    + "and one `verity node run` per compute node (logs in DIR/logs). Compute "
                    + "nodes with stakes and workers running the bundled "
                    + "all-MiniLM-L6-v2 model (the first two with a development enclave for TEE jobs) and the digits "
                    + "model with the integer engine (NONE, OPTIMISTIC and SAMPLED; its program is registered), and a funded "
                    + "client key. The integer-engine nodes watch OPTIMISTIC results, audit SAMPLED ones and play disputes; "
                    + "with --cheat and 4 or more nodes, the fourth cheats on its OPTIMISTIC results so the watchers have "
                    + "something to catch. Everything lives in DIR, so it restarts as the same network."})
final class DevnetCommand extends BaseCommand {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "devnet-data",
            description = "Where keys, genesis, chain and models live (default: ./${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8645", description = "API port (default: ${DEFAULT-VALUE}; 0 = any "
            + "free port). With several validators: the first validator's; the others' follow it (P+1, P+2, ...).")
    int port;

    @Option(names = "--validators", paramLabel = "N", defaultValue = "1", description = "Validators (1 to "
            + Devnet.Options.MAX_VALIDATORS + ", default: ${DEFAULT-VALUE}); a devnet keeps the number it was set up with.")
    int validators;

    @Option(names = "--block-interval", paramLabel = "MS", defaultValue = "200",
            description = "Milliseconds between blocks (default: ${DEFAULT-VALUE}).")
    long blockInterval;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "5", description = "Compute nodes (1 to 5, default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--cheat", paramLabel = "HOW", defaultValue = "OFF",
            description = "Make the fourth node cheat on its OPTIMISTIC results, for demonstration: WRONG_OUTPUT or WRONG_TRACE "
                    + "(default: ${DEFAULT-VALUE}, an honest network; only on this devnet, never elsewhere).")
    String cheat;

    @Option(names = "--no-watch", description = "Switch off the nodes' watchers (OPTIMISTIC results then go unchallenged).")
    boolean noWatch;

    @Option(names = "--no-audit", description = "Switch off the nodes' auditors (assigned audits are then missed and reassigned).")
    boolean noAudit;

    private CheatMode cheatMode() {
        String c = cheat.strip().toUpperCase(java.util.Locale.ROOT);
        if (c.equals("OFF")) {
            return null;
        }
        try {
            return CheatMode.valueOf(c);
        } catch (IllegalArgumentException e) {
            throw usage("--cheat must be WRONG_OUTPUT, WRONG_TRACE or OFF, got '" + cheat + "'");
        }
    }

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
        if (validators < 1 || validators > Devnet.Options.MAX_VALIDATORS) {
            throw usage("--validators must be 1 to " + Devnet.Options.MAX_VALIDATORS + ", got " + validators);
        }
        if (port != 0 && port + validators - 1 > 65535) {
            throw usage("--port " + port + " leaves no room for the APIs of " + validators + " validators (up to port 65535)");
        }
        CheatMode cheatMode = cheatMode();
        out().note("starting a local network in " + dir.toAbsolutePath() + " (" + validators + " validator"
                + (validators == 1 ? "" : "s") + ", " + nodes + " compute node" + (nodes == 1 ? "" : "s") + ", 1 client)...");
        Devnet net;
        try {
            net = Devnet.start(new Devnet.Options(dir, port, blockInterval, nodes).withCheat(cheatMode).withRoles(!noWatch, !noAudit)
                    .withLauncher(VerityCli.programLauncher()).withValidators(validators));
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
        String cheater = net.cheatingNode().map(n -> n.key().publicKey().hex()).orElse(null);
        if (out().json()) {
            Map<String, Object> doc = Output.object("api", net.apiUrl(), "chainId", chainId, "model", net.model().hex(),
                    "clientKey", clientKey, "nodeKeys", nodeKeys, "dataDir", dir.toAbsolutePath().toString(), "example", example);
            doc.put("validators", net.apiUrls());
            doc.put("integerModel", net.integerModel().hex());
            doc.put("cheatingNode", cheater);
            doc.put("chatModel", net.chatModel() == null ? null : net.chatModel().hex());
            doc.put("gateway", net.gatewayUrl());
            out().printJson(doc);
        } else {
            out().fields(Output.object("API", net.validators() == 1 ? net.apiUrl() : String.join(", ", net.apiUrls())
                            + " (" + net.validators() + " validators)", "chain id", chainId, "model", net.model().hex() + " (all-MiniLM-L6-v2)",
                    "integer model", net.integerModel().hex() + " (digits; NONE, OPTIMISTIC, SAMPLED)",
                    "client key", clientKey, "node keys", String.join(", ", nodeKeys),
                    "cheating node", cheater == null ? "none" : cheater + " (" + cheatMode + " on OPTIMISTIC results)",
                    "chat", net.gatewayUrl() == null ? "(in-process devnet: no gateway)"
                            : net.gatewayUrl() + "/v1 (OpenAI-compatible; model " + dev.verity.compute.model.BundledModels.CHAT_NAME
                                    + ", TEE)"));
            out().line();
            out().line("Try (from another terminal):");
            out().line("  echo 'The cat sits on the mat.' > input.txt");
            out().line("  " + example.replace("FILE", "input.txt"));
            if (net.gatewayUrl() != null) {
                out().line("Chat:   curl " + net.gatewayUrl() + "/v1/chat/completions -H 'Content-Type: application/json' -d '{\"model\":\""
                        + dev.verity.compute.model.BundledModels.CHAT_NAME + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Who was Emma?\"}]}'");
            }
            out().line("Provable modes: submit to --model " + DigitsPackage.NAME + " with --mode OPTIMISTIC or SAMPLED (the input is "
                    + "64 float32 little-endian, 256 bytes); follow the games with: verity dispute list");
            out().line();
            out().line("Running; press Ctrl-C to stop.");
        }
        new CountDownLatch(1).await();
        return 0;
    }
}
