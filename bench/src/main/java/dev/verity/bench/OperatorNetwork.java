package dev.verity.bench;

import ai.onnxruntime.OrtEnvironment;
import dev.verity.cli.load.CliProcess;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.protocol.Params;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.TransactionReceipt;
import dev.verity.service.model.ModelStore;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.ValidatorProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A one-validator network for the operator benchmarks, as an operator runs it: keys and a genesis written to files, a
 * model store, and {@code verity validator} as its own process (from this JVM's class path or a release's
 * {@code bin/verity}). The benchmark JVM is the client. {@link #close()} stops every process it started.
 */
final class OperatorNetwork implements AutoCloseable {
    static final long VRT = Params.BASE_UNITS_PER_TOKEN;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration RECEIPT_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Path launcher;
    private final List<PrivateKey> clients;
    private final ModelStore validatorModels;
    private final List<CliProcess> processes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread onExit = new Thread(this::stopAll, "operator-network-stop");
    private CliProcess validator;
    private VerityClient client;

    /**
     * Writes the validator's key and a genesis that funds {@code clients} fresh client accounts and each key of
     * {@code funded} with 1,000,000 VRT; the parameters are the defaults except {@code maxQueueBlocks} (how long a queued
     * job waits for a node before it expires), set to {@code maxQueueBlocks}.
     */
    OperatorNetwork(Path dir, Path launcher, int clients, List<PrivateKey> funded, long maxQueueBlocks) {
        this.dir = dir;
        this.launcher = launcher;
        PrivateKey validatorKey = KeyFiles.generate();
        KeyFiles.save(dir.resolve("validator.json"), validatorKey);
        this.clients = new ArrayList<>();
        TestGenesis g = TestGenesis.chain("verity-bench").at(System.currentTimeMillis()).validator(validatorKey)
                .params(p -> withComponent(p, "maxQueueBlocks", maxQueueBlocks));
        for (int i = 0; i < clients; i++) {
            PrivateKey c = KeyFiles.generate();
            this.clients.add(c);
            g.fund(c, 1_000_000 * VRT);
        }
        for (PrivateKey k : funded) {
            g.fund(k, 1_000_000 * VRT);
        }
        write(dir.resolve("genesis.bin"), g.build().encode());
        this.validatorModels = new ModelStore(dir.resolve("validator-models"));
        Runtime.getRuntime().addShutdownHook(onExit); // Ctrl-C or SIGTERM: the processes stop too
    }

    /** The validator's model store ({@code --models}): put files there before {@link #startValidator}. */
    ModelStore validatorModels() {
        return validatorModels;
    }

    /** Starts {@code verity validator} with {@code blockIntervalMillis} between blocks and waits until it serves the API. */
    void startValidator(long blockIntervalMillis) throws IOException, InterruptedException {
        List<String> args = List.of("validator", "--data-dir", dir.resolve("chain").toString(), "--key",
                dir.resolve("validator.json").toString(), "--genesis", dir.resolve("genesis.bin").toString(), "--port", "0",
                "--models", validatorModels.dir().toString(), "--block-interval", Long.toString(blockIntervalMillis));
        validator = start("validator", args, line -> line.startsWith(ValidatorProcess.READY));
        int port = Integer.parseInt(validator.readyLine().substring(ValidatorProcess.READY.length()).strip());
        client = new VerityClient("http://127.0.0.1:" + port);
    }

    /** Starts {@code verity ARGS} as its own process, stopped by {@link #close()} at the latest. */
    CliProcess start(String name, List<String> args, java.util.function.Predicate<String> ready)
            throws IOException, InterruptedException {
        CliProcess p = CliProcess.start(command(args), dir.resolve(name + ".log"), ready, START_TIMEOUT);
        processes.add(p);
        return p;
    }

    /** The command line of {@code verity ARGS}. */
    List<String> command(List<String> args) {
        return CliProcess.command(launcher, List.of(), args);
    }

    String apiUrl() {
        return client.baseUrl().toString();
    }

    VerityClient client() {
        return client;
    }

    List<PrivateKey> clients() {
        return clients;
    }

    Path dir() {
        return dir;
    }

    /** Registers a model by its file's hash, sent by the first client, and waits until a block includes it. */
    void registerModel(Hash model, String name, String input, String output, long computeUnits, InputSchema schema) {
        included(new Wallet(client, clients.get(0)).registerModel(model, name, input, output, computeUnits, schema), "registering " + name);
    }

    /** Waits until a block includes {@code tx}; fails with the receipt otherwise. */
    void included(Hash tx, String what) {
        TransactionReceipt r = client.awaitReceipt(tx, RECEIPT_TIMEOUT);
        if (!"INCLUDED".equals(r.status())) {
            throw new IllegalStateException(what + " failed: " + r.status() + " " + r.code() + ": " + r.message());
        }
    }

    /** Stops {@code p} now (SIGTERM, then kill) and forgets it. */
    void stop(CliProcess p) {
        p.close();
        processes.remove(p);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    /** Stops every process still running, the compute nodes before the validator (as an operator stops them). */
    private void stopAll() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            CliProcess p = processes.get(i);
            p.close();
            processes.remove(p);
        }
    }

    /** {@code p} with one parameter replaced (by its record component's name). */
    static Params withComponent(Params p, String name, Object value) {
        RecordComponent[] cs = Params.class.getRecordComponents();
        Object[] values = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        boolean found = false;
        try {
            for (int i = 0; i < cs.length; i++) {
                types[i] = cs[i].getType();
                found |= cs[i].getName().equals(name);
                values[i] = cs[i].getName().equals(name) ? value : cs[i].getAccessor().invoke(p);
            }
            if (!found) {
                throw new IllegalArgumentException("Params has no parameter " + name);
            }
            return Params.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set " + name + " in Params", e);
        }
    }

    /** The machine and runtime, as the benchmark's first lines. */
    static List<String> machine() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst()
                    .orElse(cpu);
        } catch (IOException | UncheckedIOException e) {
            // not Linux: leave it unknown
        }
        long memory = 0;
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            memory = lines.filter(l -> l.startsWith("MemTotal:")).map(l -> l.replaceAll("[^0-9]", "")).mapToLong(Long::parseLong)
                    .findFirst().orElse(0) / 1024 / 1024;
        } catch (IOException | UncheckedIOException e) {
            // not Linux
        }
        String ort;
        try {
            ort = OrtEnvironment.getEnvironment().getVersion() + " " + OrtEnvironment.getAvailableProviders();
        } catch (RuntimeException | LinkageError e) {
            ort = "unavailable (" + e + ")";
        }
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return List.of(
                String.format(Locale.ROOT, "machine: %d processors (%s), %d GiB RAM, %s %s", Runtime.getRuntime().availableProcessors(),
                        cpu, memory, System.getProperty("os.name"), System.getProperty("os.version")),
                "java: " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
                        + "; ONNX Runtime " + ort,
                String.format(Locale.ROOT, "load average at the start: %.2f", load));
    }

    /** Deletes a folder and everything under it (quietly: what cannot be deleted stays). */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // leave it
        }
    }

    static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
