package dev.verity.cli;

import dev.verity.compute.ComputeNodeProgram;
import dev.verity.compute.model.Device;
import dev.verity.compute.worker.EnginePolicy;
import dev.verity.protocol.tx.Payload;
import dev.verity.sdk.KeyFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verity node run}: a compute node in the foreground, on the operator's own machine. */
@Command(name = "run", mixinStandardHelpOptions = true, defaultValueProvider = ConfigFileDefaults.class,
        description = {"Run a compute node in the foreground: answer the jobs the chain assigns to the node of --key.", "",
            "Refuses to start, saying what to do, when the key is not a registered node, when a model the node declares is "
                    + "not in the store, or when it declares a mode this program cannot serve. Ctrl-C (SIGTERM) stops taking "
                    + "jobs and lets the running ones finish for up to --stop-timeout seconds."})
final class NodeRunCommand extends BaseCommand {
    @Option(names = "--api", paramLabel = "URL", split = ",",
            description = "Validator API URL(s), comma-separated: every call goes to the first that answers and moves to the next "
                    + "when its validator is unavailable (default: $VERITY_API, else " + ApiOptions.DEFAULT_API + ").")
    List<String> apis = new ArrayList<>();

    @Option(names = "--key", paramLabel = "FILE", defaultValue = "${env:VERITY_KEY}", description = "The node's key file (default: $VERITY_KEY).")
    Path key;

    @Mixin
    LocalModels.StoreOption store;

    @Mixin
    NodeRunOptions nodeRun;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the node keeps the answers it computed and the chain has not yet accepted, sent again after "
                    + "a restart (default: node-state next to the model store, e.g. ~/.verity/node-state).")
    Path stateDir;

    @Option(names = "--capacity", paramLabel = "N", defaultValue = "0",
            description = "Jobs at once; declared on chain when it differs (default: the capacity the node declared).")
    int capacity;

    @Option(names = "--stream", paramLabel = "[HOST:]PORT",
            description = "Serve the tokens of this node's generation jobs as it makes them (server-sent events at "
                    + "/v1/jobs/ID/tokens) on PORT of 127.0.0.1, or on HOST:PORT, and announce the URL on chain so that "
                    + "gateways stream them to their clients. Off unless given.")
    String stream;

    @Option(names = "--stream-url", paramLabel = "URL",
            description = "The URL to announce for --stream when clients reach the node by another address "
                    + "(default: http://HOST:PORT of --stream).")
    String streamUrl;

    @Option(names = "--engine", paramLabel = "fast|integer", defaultValue = "fast",
            description = "fast: ONNX Runtime for NONE jobs; integer: the bit-exact integer engine wherever a package allows "
                    + "(default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--device", paramLabel = "auto|cpu|cuda[:N]", defaultValue = "auto",
            description = "Where ONNX Runtime runs the models: auto (an NVIDIA GPU when the GPU build of ONNX Runtime and CUDA "
                    + "are installed, else the CPU; the log says which and why), cpu, or cuda[:N]. The integer engine always "
                    + "runs on the CPU (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--stop-timeout", paramLabel = "S", defaultValue = "30",
            description = "Seconds the running jobs may take to finish after a stop (default: ${DEFAULT-VALUE}).")
    long stopTimeout;

    @Option(names = "--register", description = "Register the key as a compute node first when it is not one, declaring "
            + "--stake, --model (repeat), --mode, the hardware (--gpu/--cpu, else this machine's CPUs) and --capacity.")
    boolean register;

    @Mixin
    RegistrationOptions registration;

    @Mixin
    EnclaveOptions enclave;

    @Option(names = "--no-watch", description = "Do not watch OPTIMISTIC results for fraud (the node still plays its own disputes).")
    boolean noWatch;

    @Option(names = "--no-audit", description = "Do not re-run SAMPLED jobs picked for audit.")
    boolean noAudit;

    @Option(names = "--poll-ms", paramLabel = "MS", defaultValue = "250", hidden = true,
            description = "How often the verification roles look at the chain.")
    long pollMillis;

    /** Printed once the node takes jobs, for scripts and the devnet that start it. */
    static final String READY = "VERITY-COMPUTE READY node=";

    /** --state-dir, else node-state beside the model store's folder. */
    Path stateDir() {
        if (stateDir != null) {
            return stateDir;
        }
        Path models = store.dir().toAbsolutePath();
        return models.getParent() == null ? models.resolve("node-state") : models.resolveSibling("node-state");
    }

    @Override
    protected int execute() throws Exception {
        nodeRun.applyConfig();
        if (key == null || key.toString().isBlank()) {
            throw usage("give the node's key file with --key FILE or set VERITY_KEY");
        }
        if (capacity < 0 || stopTimeout < 0) {
            throw usage("--capacity and --stop-timeout must not be negative");
        }
        EnginePolicy policy = switch (engine) {
            case "fast" -> EnginePolicy.FAST_WHERE_TRUSTED;
            case "integer" -> EnginePolicy.INTEGER_ALWAYS;
            default -> throw usage("--engine is fast or integer, got '" + engine + "'");
        };
        List<String> urls = new ArrayList<>(apis);
        if (urls.isEmpty()) {
            String env = System.getenv("VERITY_API");
            urls.add(env == null || env.isBlank() ? ApiOptions.DEFAULT_API : env.strip());
        }
        Device.Choice deviceChoice;
        try {
            deviceChoice = Device.choose(device);
        } catch (IllegalArgumentException e) {
            throw new CliException("DEVICE_UNAVAILABLE", e.getMessage());
        }
        out().note("device: " + deviceChoice.device().describe() + " (" + deviceChoice.why() + ")");
        ComputeNodeProgram.Extras extras = ComputeNodeProgram.Extras.NONE
                .withRoles(!noWatch, !noAudit, Duration.ofMillis(Math.max(20, pollMillis)))
                .withCheat(enclave.cheat);
        if (stream != null) {
            NodeRunOptions.MetricsAddress at;
            try {
                at = NodeRunOptions.MetricsAddress.parse(stream);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage().replace("--metrics", "--stream").replace("9464", "8090"));
            }
            extras = extras.withStream(new ComputeNodeProgram.StreamEndpoint(at.host(), at.port(), streamUrl));
        } else if (streamUrl != null) {
            throw usage("--stream-url needs --stream (where the node listens)");
        }
        if (register) {
            registration.requireStakeAndModels("node run --register", this::usage);
            extras = extras.withRegistration(new ComputeNodeProgram.NodeRegistration(registration.stake, registration.models,
                    registration.modes, registration.hardware(this::usage),
                    capacity > 0 ? capacity : Payload.RegisterNode.DEFAULT_CAPACITY));
        }
        try {
            extras = extras.withEnclaves(enclave.launcher(stateDir()));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        ComputeNodeProgram program;
        try {
            program = ComputeNodeProgram.start(new ComputeNodeProgram.Options(urls, KeyFiles.load(key), store.open(), capacity,
                    policy, Duration.ofSeconds(stopTimeout), stateDir(), deviceChoice.device()).with(extras));
        } catch (ComputeNodeProgram.CannotStartException e) {
            throw new CliException(e.code(), e.getMessage());
        }
        AutoCloseable monitor = nodeRun.startMonitor(program, urls, deviceChoice.device(), out());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            program.stop(Duration.ofSeconds(stopTimeout));
            stopped.countDown();
        }, "verity-node-stop"));
        out().fields(Output.object("node", program.node().id(), "validator", program.apiUrl(), "models",
                String.join(", ", program.node().models()), "modes", String.join(", ", program.node().modes()), "capacity",
                program.worker().config().capacity() + " jobs at once"));
        out().line("Running; press Ctrl-C to stop.");
        System.err.println(READY + program.node().id());
        System.err.flush();
        stopped.await();
        monitor.close();
        return 0;
    }
}
