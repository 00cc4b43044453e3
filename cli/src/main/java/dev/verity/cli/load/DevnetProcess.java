package dev.verity.cli.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.TimeUnit;

/**
 * A devnet ({@code verity devnet --json}) running as a separate operating-system process on loopback, started
 * with this JVM's own java and class path. {@link #close()} stops it (SIGTERM, then kill after a grace period), so
 * a test or benchmark never leaves it behind.
 */
public final class DevnetProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final JsonNode info;
    private final Path log;

    private DevnetProcess(Process process, JsonNode info, Path log) {
        this.process = process;
        this.info = info;
        this.log = log;
    }

    /** Starts a devnet in {@code dir} on a free port and waits until it prints where its API is. */
    public static DevnetProcess start(Path dir, int nodes, Duration startTimeout) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path log = dir.resolve("devnet.log");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xmx2g", "-cp",
                classPath(), "dev.verity.cli.VerityCli", "devnet", "--json", "--port", "0",
                "--nodes", Integer.toString(nodes), "--data-dir", dir.resolve("data").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        Process p = pb.start();
        CompletableFuture<JsonNode> ready = CompletableFuture.supplyAsync(() -> readDocument(p));
        try {
            JsonNode doc = ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (doc == null) {
                throw new IOException("the devnet process exited before it was ready (exit " + waitExit(p) + "); see " + log);
            }
            return new DevnetProcess(p, doc, log);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            destroy(p);
            throw new IOException("the devnet process did not become ready within " + startTimeout.toSeconds() + " s; see " + log, e);
        } catch (InterruptedException e) {
            destroy(p);
            throw e;
        }
    }

    /** This JVM's class path (under Maven Surefire, the test class path it records; its own is a manifest jar). */
    private static String classPath() {
        String tests = System.getProperty("surefire.test.class.path");
        return tests != null && !tests.isBlank() ? tests : System.getProperty("java.class.path");
    }

    /** Reads stdout until one whole JSON document has been printed; null if the process ends first. */
    private static JsonNode readDocument(Process p) {
        StringBuilder text = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                text.append(line).append('\n');
                if (line.startsWith("{") || line.startsWith("}")) {
                    JsonNode doc;
                    try {
                        doc = JSON.readTree(text.toString());
                    } catch (IOException incomplete) {
                        continue; // a document printed over several lines: read on
                    }
                    Thread drain = new Thread(() -> drain(r), "devnet-stdout");
                    drain.setDaemon(true);
                    drain.start();
                    return doc;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void drain(BufferedReader r) {
        try {
            while (r.readLine() != null) {
                // the devnet prints nothing more on stdout; keep its pipe from filling
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private static int waitExit(Process p) {
        try {
            return p.waitFor(5, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public String apiUrl() {
        return info.path("api").asText();
    }

    public Path clientKey() {
        return Path.of(info.path("clientKey").asText());
    }

    public String textModel() {
        return info.path("model").asText();
    }

    public String integerModel() {
        return info.path("integerModel").asText();
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

    @Override
    public void close() {
        destroy(process);
    }

    private static void destroy(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
