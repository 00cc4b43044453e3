package dev.verity.cli.load;

import dev.verity.devnet.ProgramLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A {@code verity} command (a validator, a compute node, a model pull) running as its own operating-system process:
 * started with this JVM's own java and class path (the devnet's {@link ProgramLauncher}), or with a release archive's
 * {@code bin/verity} launcher.
 * {@link #close()} stops it (SIGTERM, so its shutdown hooks run, then a kill after a grace period), so a test or
 * benchmark never leaves it behind. Its standard error goes to a log file; its standard output is read for the line
 * that says it is ready, then drained.
 */
public final class CliProcess implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Process process;
    private final String readyLine;
    private final Path log;

    private CliProcess(Process process, String readyLine, Path log) {
        this.process = process;
        this.readyLine = readyLine;
        this.log = log;
    }

    /**
     * The command line that runs {@code verity ARGS...}: with {@code launcher} (a release's {@code bin/verity}) when
     * it is not null, else with this JVM's java and class path ({@link ProgramLauncher#thisJvm}) and {@code jvmOptions}.
     */
    public static List<String> command(Path launcher, List<String> jvmOptions, List<String> args) {
        if (launcher != null) {
            List<String> cmd = new ArrayList<>();
            cmd.add(launcher.toString());
            cmd.addAll(args);
            return cmd;
        }
        return ProgramLauncher.thisJvm("dev.verity.cli.VerityCli", jvmOptions.toArray(String[]::new)).with(args);
    }

    /**
     * Starts {@code command} with its standard error in {@code log} and waits until a line of its standard output
     * matches {@code ready} (when {@code ready} is null, it does not wait: standard output is drained from the start);
     * the process is stopped when it exits first or does not get ready within {@code timeout}.
     */
    public static CliProcess start(List<String> command, Path log, Predicate<String> ready, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        if (ready == null) {
            drainInBackground(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            return new CliProcess(p, null, log);
        }
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> readUntil(p, ready));
        try {
            String found = line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (found == null) {
                throw new IOException("the process exited before it was ready (exit " + waitExit(p) + "); see " + log);
            }
            return new CliProcess(p, found, log);
        } catch (ExecutionException | TimeoutException e) {
            destroy(p);
            throw new IOException("the process did not get ready within " + timeout.toSeconds() + " s; see " + log, e);
        } catch (InterruptedException e) {
            destroy(p);
            throw e;
        }
    }

    /** Runs {@code command} to its end (standard output into {@code out}, standard error into {@code log}); its exit status. */
    public static int run(List<String> command, Path out, Path log, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("the process did not end within " + timeout.toSeconds() + " s; see " + log);
            }
            return p.exitValue();
        } finally {
            if (p.isAlive()) {
                destroy(p);
            }
        }
    }

    /** Reads stdout until a line passes {@code ready}, then drains the rest on a daemon thread; null if it ends first. */
    private static String readUntil(Process p, Predicate<String> ready) {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = r.readLine()) != null) {
                if (ready.test(line)) {
                    drainInBackground(r);
                    return line;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Keeps reading {@code r} on a daemon thread, so that a process that prints more never blocks on a full pipe. */
    static void drainInBackground(BufferedReader r) {
        Thread drain = new Thread(() -> {
            try (r) {
                while (r.readLine() != null) {
                    // nothing more is needed from it
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "verity-process-stdout");
        drain.setDaemon(true);
        drain.start();
    }

    static int waitExit(Process p) {
        try {
            return p.waitFor(5, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The line of standard output that said the process was ready (null when it was not waited for). */
    public String readyLine() {
        return readyLine;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Kills the process at once (SIGKILL), as a crash or a power cut would; waits for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Stops the process: SIGTERM, then a kill when it has not ended after a grace period. */
    @Override
    public void close() {
        destroy(process);
    }

    /** SIGTERM, then SIGKILL when {@code p} has not ended within 20 s. */
    public static void destroy(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
