package dev.verity.devnet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The devnet's programs as separate processes, each logging to its own file; {@link #close()} stops them all, the
 * compute nodes before the validators (SIGTERM, then a forced kill after a grace period).
 */
final class DevnetProcesses implements AutoCloseable {
    /** One started program. */
    record Program(String name, Process process, Path log) {
        long pid() {
            return process.pid();
        }
    }

    private static final Duration GRACE = Duration.ofSeconds(15);
    /** The names of the validators' programs start with this ({@code validator}, {@code validator-2}, ...). */
    static final String VALIDATOR = "validator";

    private final ProgramLauncher launcher;
    private final Path logs;
    private final List<Program> started = new ArrayList<>();

    DevnetProcesses(ProgramLauncher launcher, Path logs) {
        this.launcher = launcher;
        this.logs = logs;
    }

    /** Starts {@code args} as program {@code name}, its output (stdout and stderr) in {@code logs/NAME.log}. */
    synchronized Program start(String name, List<String> args) {
        try {
            Files.createDirectories(logs);
            Path log = logs.resolve(name + ".log");
            Files.deleteIfExists(log);
            ProcessBuilder builder = new ProcessBuilder(launcher.with(args)).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put(ProgramLauncher.PARENT_PID_ENV, Long.toString(ProcessHandle.current().pid()));
            Process p = builder.start();
            Program program = new Program(name, p, log);
            started.add(program);
            return program;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the devnet's " + name + ": " + e.getMessage(), e);
        }
    }

    /** The rest of the first log line of {@code program} that contains {@code marker}, waiting up to {@code timeout}. */
    static String awaitLine(Program program, String marker, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            String found = find(program.log(), marker);
            if (found != null) {
                return found;
            }
            if (!program.process().isAlive()) {
                throw new IllegalStateException("the devnet's " + program.name() + " exited with status "
                        + program.process().exitValue() + " before it was ready:\n" + tail(program.log()));
            }
            if (System.nanoTime() > end) {
                throw new IllegalStateException("the devnet's " + program.name() + " was not ready within "
                        + timeout.toSeconds() + " s:\n" + tail(program.log()));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the devnet's " + program.name(), e);
            }
        }
    }

    /** Stops ({@code STOP}) or resumes ({@code CONT}) a program, as a machine that freezes and comes back would. */
    static void signal(Program program, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(program.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + program.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String find(Path log, String marker) {
        try {
            if (!Files.exists(log)) {
                return null;
            }
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                int at = line.indexOf(marker);
                if (at >= 0) {
                    return line.substring(at + marker.length()).strip();
                }
            }
            return null;
        } catch (IOException | java.io.UncheckedIOException e) {
            return null; // a line half written; the next look sees it whole
        }
    }

    /** The last lines of a log, for an error message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(no log at " + log + ")";
        }
    }

    @Override
    public synchronized void close() {
        // The compute nodes first (they finish or hand back their jobs through the validators), then the validators.
        List<Program> validators = started.stream().filter(p -> p.name().startsWith(VALIDATOR)).toList();
        stop(started.stream().filter(p -> !p.name().startsWith(VALIDATOR)).toList());
        stop(validators);
        started.clear();
    }

    private static void stop(List<Program> programs) {
        for (Program p : programs) {
            if (p.process().isAlive()) {
                try {
                    signal(p, "CONT"); // a stopped process cannot handle SIGTERM
                } catch (RuntimeException ignored) {
                    // it exited meanwhile
                }
                p.process().destroy();
            }
        }
        for (Program p : programs) {
            try {
                if (!p.process().waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
