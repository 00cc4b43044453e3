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
        List<String> cmd = CliProcess.command(null, List.of("-Xmx2g"), List.of("devnet", "--json", "--port", "0",
                "--nodes", Integer.toString(nodes), "--data-dir", dir.resolve("data").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        Process p = pb.start();
        CompletableFuture<JsonNode> ready = CompletableFuture.supplyAsync(() -> readDocument(p));
        try {
            JsonNode doc = ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (doc == null) {
                throw new IOException("the devnet process exited before it was ready (exit " + CliProcess.waitExit(p) + "); see " + log);
            }
            return new DevnetProcess(p, doc, log);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            CliProcess.destroy(p);
            throw new IOException("the devnet process did not become ready within " + startTimeout.toSeconds() + " s; see " + log, e);
        } catch (InterruptedException e) {
            CliProcess.destroy(p);
            throw e;
        }
    }

    /** Reads stdout until one whole JSON document has been printed; null if the process ends first. */
    private static JsonNode readDocument(Process p) {
        StringBuilder text = new StringBuilder();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        try {
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
                    CliProcess.drainInBackground(r);
                    return doc;
                }
            }
            return null;
        } catch (IOException e) {
            return null;
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
        CliProcess.destroy(process);
    }
}
