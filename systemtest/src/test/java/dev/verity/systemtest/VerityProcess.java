package dev.verity.systemtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code bin/verity} process started from the release: its command, and its stdout and stderr as files (read while
 * it runs, kept after it ends). {@link #stop()} ends it as a supervisor would (SIGTERM, then SIGKILL after a grace
 * period); {@link #kill()} ends it at once with SIGKILL, as a crash or power loss would.
 */
final class VerityProcess {
    /** How long a process may take to stop after SIGTERM before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long startedNanos = System.nanoTime();

    VerityProcess(String name, List<String> command, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.command = List.copyOf(command);
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    String name() {
        return name;
    }

    long millisSinceStart() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything it printed on stdout so far. */
    String stdout() {
        return read(stdout);
    }

    /** Everything it printed on stderr so far. */
    String stderr() {
        return read(stderr);
    }

    /** Its stdout as one JSON document (a command run with {@code --json}). */
    JsonNode json() {
        String out = stdout();
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new AssertionError(name + " did not print one JSON document on stdout: " + describe(), e);
        }
    }

    /**
     * Waits until stdout holds {@code text}; fails, with what the process printed, when it exits first or the time is
     * up.
     */
    VerityProcess awaitStdout(String text, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (stdout().contains(text)) {
                System.out.printf("[system test] %s printed '%s' %d ms after its start%n", name, text, millisSinceStart());
                return this;
            }
            if (!process.isAlive()) {
                if (stdout().contains(text)) {
                    return this;
                }
                throw new AssertionError(name + " exited with status " + process.exitValue() + " before it printed '" + text
                        + "': " + describe());
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(name + " did not print '" + text + "' within " + timeout.toSeconds() + " s: "
                        + describe());
            }
            sleep(50);
        }
    }

    /** Waits until stderr holds {@code text} (a log line); fails with what it printed when the time is up. */
    VerityProcess awaitStderr(String text, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!stderr().contains(text)) {
            if (System.nanoTime() > end) {
                throw new AssertionError(name + " did not log '" + text + "' within " + timeout.toSeconds() + " s: "
                        + describe());
            }
            sleep(50);
        }
        return this;
    }

    /** Waits for the process to end and returns its exit status; fails (and kills it) when it runs past {@code timeout}. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError(name + " still ran after " + timeout.toSeconds() + " s, and was killed: " + describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new AssertionError("interrupted while waiting for " + name, e);
        }
        return process.exitValue();
    }

    /** Sends SIGTERM and returns at once. */
    void requestStop() {
        process.destroy();
    }

    /** SIGTERM, then SIGKILL when it has not ended after {@link #STOP_GRACE}; returns its exit status. */
    int stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** SIGKILL (on Linux {@link Process#destroyForcibly()} sends it): no shutdown hook runs. Returns its exit status. */
    int kill() {
        process.destroyForcibly();
        try {
            process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** The command, the exit status when it ended, and the end of its output, for failure messages. */
    String describe() {
        String status = process.isAlive() ? "running" : "exit status " + process.exitValue();
        return "\n  command: " + String.join(" ", command) + "\n  " + status + "\n  stdout (" + stdout + "):\n"
                + indent(tail(stdout(), 3000)) + "\n  stderr (" + stderr + "):\n" + indent(tail(stderr(), 6000));
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String s, int max) {
        return s.length() <= max ? s : "..." + s.substring(s.length() - max);
    }

    private static String indent(String s) {
        return s.isEmpty() ? "    (nothing)" : "    " + s.strip().replace("\n", "\n    ");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
