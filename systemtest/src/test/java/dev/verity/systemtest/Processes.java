package dev.verity.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts {@code bin/verity} processes from the unpacked {@link Release} and stops every one it started: those started
 * during a test after that test, those started in {@code @BeforeAll} after the class, whatever the outcome (SIGTERM,
 * then SIGKILL after {@link VerityProcess#STOP_GRACE}). A JVM shutdown hook kills any left running when the test JVM
 * itself is stopped. Register it as a static field: {@code @RegisterExtension static final Processes processes = new
 * Processes();}.
 *
 * <p>Each process's stdout and stderr are kept under {@code target/system-test-logs/<test class>/} for a look after a
 * failure. The processes run with the test JVM's Java ({@code JAVA_HOME}), none of the caller's {@code VERITY_*}
 * settings, and a home folder of their own, so nothing reads or writes the real {@code ~/.verity}.
 */
final class Processes implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    /** How long a command that ends by itself ({@link #run}) may take. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(180);

    private static final Set<VerityProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(VerityProcess::kill), "verity-processes-kill"));
    }

    private final List<VerityProcess> classProcesses = new ArrayList<>();
    private final List<VerityProcess> testProcesses = new ArrayList<>();
    private final AtomicInteger started = new AtomicInteger();
    private volatile boolean inTest;
    private Path logs;

    /** What a command that ran to its end did. */
    record Result(String name, int exitCode, String stdout, String stderr, VerityProcess process) {
        /** Its stdout as one JSON document ({@code --json}). */
        JsonNode json() {
            return process.json();
        }

        /** Fails, with what it printed, unless it exited with status 0. */
        Result ok() {
            if (exitCode != 0) {
                throw new AssertionError(name + " failed: " + process.describe());
            }
            return this;
        }

        @Override
        public String toString() {
            return process.describe();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        String root = System.getProperty("verity.systemtest.logs", "target/system-test-logs");
        logs = Path.of(root).toAbsolutePath().resolve(context.getRequiredTestClass().getSimpleName());
        Release.deleteTree(logs);
        Files.createDirectories(logs.resolve("home"));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        inTest = true;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        inTest = false;
        stopAll(testProcesses);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAll(testProcesses);
        stopAll(classProcesses);
    }

    private static void stopAll(List<VerityProcess> list) {
        List<VerityProcess> copy;
        synchronized (list) {
            copy = new ArrayList<>(list);
            list.clear();
        }
        // SIGTERM to all first, so that they stop side by side, then wait for each (SIGKILL after its grace period).
        copy.forEach(VerityProcess::requestStop);
        for (VerityProcess p : copy) {
            p.stop();
            RUNNING.remove(p);
        }
    }

    /** The release under test (unpacked on first use; fails when there is no archive). */
    Release release() {
        return Release.get();
    }

    /** Starts {@code bin/verity args...} and returns at once. {@code env} is added to the process's environment. */
    VerityProcess start(String name, Map<String, String> env, List<String> args) {
        Release release = release();
        int n = started.incrementAndGet();
        String file = String.format("%02d-%s", n, name.replaceAll("[^A-Za-z0-9._-]", "_"));
        Path out = logs.resolve(file + ".out");
        Path err = logs.resolve(file + ".err");
        List<String> command = new ArrayList<>();
        command.add(release.launcher().toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.directory(logs.toFile());
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("VERITY_"));
        e.put("JAVA_HOME", System.getProperty("java.home"));
        // Log lines with the time, to follow the processes side by side.
        String opts = "-Duser.home=" + logs.resolve("home") + " -Dorg.slf4j.simpleLogger.showDateTime=true"
                + " -Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS " + env.getOrDefault("VERITY_JAVA_OPTS", "");
        e.putAll(env);
        e.put("VERITY_JAVA_OPTS", opts.strip());
        VerityProcess p;
        try {
            p = new VerityProcess(name, command, pb.start(), out, err);
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot start " + command, ex);
        }
        RUNNING.add(p);
        List<VerityProcess> scope = inTest ? testProcesses : classProcesses;
        synchronized (scope) {
            scope.add(p);
        }
        return p;
    }

    VerityProcess start(String name, String... args) {
        return start(name, Map.of(), Arrays.asList(args));
    }

    /**
     * JVM options for commands that run to their end: the quick-starting compiler and the serial collector, so that a
     * command costs less processor time on a small machine that also runs the network. Long-running programs (the
     * validator, the compute nodes) run as shipped.
     */
    static final Map<String, String> COMMAND_ENV = Map.of("VERITY_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");

    /** Starts a command that runs to its end ({@link #COMMAND_ENV}); {@link #finish} waits for it. */
    VerityProcess startCommand(String name, List<String> args) {
        return start(name, COMMAND_ENV, args);
    }

    /** Runs {@code bin/verity args...} to its end (at most {@link #COMMAND_TIMEOUT}). */
    Result run(String name, String... args) {
        return finish(startCommand(name, Arrays.asList(args)));
    }

    /** Waits for a command started with {@link #start} to end (at most {@link #COMMAND_TIMEOUT}). */
    Result finish(VerityProcess p) {
        int exit = p.awaitExit(COMMAND_TIMEOUT);
        RUNNING.remove(p);
        System.out.printf("[system test] %s: exit %d after %d ms%n", p.name(), exit, p.millisSinceStart());
        return new Result(p.name(), exit, p.stdout(), p.stderr(), p);
    }

    /** The folder that holds the processes' output for this test class. */
    Path logs() {
        return logs;
    }
}
