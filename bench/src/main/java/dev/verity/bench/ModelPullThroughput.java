package dev.verity.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.cli.load.CliProcess;
import dev.verity.compute.model.BundledModels;
import dev.verity.compute.model.ModelPuller;
import dev.verity.core.Hash;
import dev.verity.devnet.ShippedSchemas;
import dev.verity.service.model.ModelStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Model pull throughput: {@code verity model pull} (a fresh process each time, as an operator runs it) and
 * {@link ModelPuller} in this JVM, from a {@code verity validator} process over loopback, for the bundled
 * all-MiniLM-L6-v2 (quantized, 23 MB) and a synthetic file of {@code --size-mb} MB (pseudo-random bytes, stored in the
 * validator's model store under their SHA-256 as {@code <sha256>.onnx}, as {@link ModelStore} names every model file,
 * and registered on chain so that the validator serves it). Then an interrupted pull of the synthetic file: the
 * process is killed (SIGKILL) when half the file has arrived, and a second {@code verity model pull} resumes from the
 * part file it left.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
 *     -cp 'bench/target/classes:bench/target/lib/*' dev.verity.bench.ModelPullThroughput \
 *     [--size-mb 200] [--repeats 3] [--launcher dist/verity-VERSION/bin/verity] [--dir DIR] [--keep]
 * </pre>
 *
 * Every process it starts is stopped at the end, also when it fails.
 */
public final class ModelPullThroughput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(5);

    private ModelPullThroughput() {}

    public static void main(String[] args) throws Exception {
        int sizeMb = 200;
        int repeats = 3;
        Path launcher = null;
        Path dirOption = null;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--keep")) {
                keep = true;
                continue;
            }
            String v = i + 1 < args.length ? args[++i] : "";
            switch (a) {
                case "--size-mb" -> sizeMb = Integer.parseInt(v);
                case "--repeats" -> repeats = Integer.parseInt(v);
                case "--launcher" -> launcher = Path.of(v).toAbsolutePath();
                case "--dir" -> dirOption = Path.of(v).toAbsolutePath();
                default -> {
                    System.err.println("unknown option " + a + "; options: --size-mb N --repeats N --launcher bin/verity --dir DIR --keep");
                    System.exit(2);
                }
            }
        }
        OperatorNetwork.machine().forEach(ComputeNodeThroughput::say);
        Path dir = dirOption != null ? Files.createDirectories(dirOption) : Files.createTempDirectory("verity-model-pull");
        List<String> report = new ArrayList<>();
        try (OperatorNetwork net = new OperatorNetwork(dir, launcher, 1, List.of(), 200)) {
            BundledModels.BundledModel miniLm = BundledModels.installMiniLm(net.validatorModels());
            Hash small = Hash.fromHex(miniLm.sha256Hex());
            long started = System.nanoTime();
            Hash large = Hash.fromHex(writeSynthetic(net.validatorModels(), sizeMb * 1_000_000L));
            ComputeNodeThroughput.say(String.format(Locale.ROOT, "synthetic file %s.onnx: %,d bytes, written and hashed in %.1f s",
                    large.hex(), sizeMb * 1_000_000L, (System.nanoTime() - started) / 1e9));
            net.startValidator(500);
            net.registerModel(small, miniLm.name(), miniLm.inputDescription(), miniLm.outputDescription(),
                    miniLm.info().computeUnits(), ShippedSchemas.SENTENCE_TEXT);
            net.registerModel(large, "synthetic-" + sizeMb + "mb", "bytes", "bytes", 1, ShippedSchemas.SENTENCE_TEXT);

            report.add("| file | how | pulls | MB/s (the puller's own figure: download and SHA-256) | seconds | process wall time |");
            report.add("|---|---|---|---|---|---|");
            for (Hash model : List.of(small, large)) {
                String name = model.equals(small) ? "all-MiniLM-L6-v2-q (" + mb(size(net, model)) + ")"
                        : "synthetic (" + mb(size(net, model)) + ")";
                double primed = prime(net.apiUrl(), model);
                ComputeNodeThroughput.say(String.format(Locale.ROOT, "%s: the validator's first hash of the file (HEAD) %.2f s", name, primed));
                report.add(String.format(Locale.ROOT, "| %s | the validator's first hash of the file, before the first pull | 1 | | %.2f s | |",
                        name, primed));
                List<double[]> cold = new ArrayList<>();
                for (int r = 0; r < repeats; r++) {
                    Path store = dir.resolve("cold-" + model.hex().substring(0, 8) + "-" + r);
                    cold.add(pullProcess(net, model, store));
                    OperatorNetwork.deleteTree(store);
                    ComputeNodeThroughput.say(String.format(Locale.ROOT, "%s: verity model pull %.1f MB/s, %.2f s, process %.2f s", name,
                            cold.get(r)[0], cold.get(r)[1], cold.get(r)[2]));
                }
                report.add(row(name, "`verity model pull`, a new process each time", cold, true));
                List<double[]> warm = new ArrayList<>();
                ModelStore store = new ModelStore(dir.resolve("warm-" + model.hex().substring(0, 8)));
                ModelPuller puller = new ModelPuller(store, List.of(net.apiUrl()));
                for (int r = 0; r < repeats + 1; r++) {
                    store.discard(model.hex(), ModelStore.MODEL_SUFFIX);
                    ModelPuller.Result res = puller.pull(model);
                    if (r > 0) { // the first warms this JVM's HTTP client and code paths up
                        warm.add(new double[] {res.megabytesPerSecond(), res.seconds(), 0});
                    }
                    ComputeNodeThroughput.say(String.format(Locale.ROOT, "%s: ModelPuller in this JVM%s %.1f MB/s, %.2f s", name,
                            r == 0 ? " (first, not counted)" : "", res.megabytesPerSecond(), res.seconds()));
                }
                OperatorNetwork.deleteTree(store.dir());
                report.add(row(name, "`ModelPuller` in a warm JVM (after one pull not counted)", warm, false));
            }
            report.addAll(resume(net, large, dir.resolve("resume")));
        } finally {
            if (!keep) {
                OperatorNetwork.deleteTree(dir);
            } else {
                ComputeNodeThroughput.say("kept " + dir);
            }
        }
        System.out.println();
        report.forEach(System.out::println);
    }

    /** Pseudo-random bytes (a fixed seed), streamed into the store; returns their SHA-256 hex, the file's name. */
    static String writeSynthetic(ModelStore store, long bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(20_261_124L);
        try (InputStream in = new InputStream() {
            long left = bytes;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                for (int i = 0; i < n; i += 8) {
                    long v = random.nextLong();
                    for (int k = 0; k < 8 && i + k < n; k++) {
                        b[off + i + k] = (byte) (v >>> (8 * k));
                    }
                }
                left -= n;
                return n;
            }
        }) {
            return store.put(in, ModelStore.MODEL_SUFFIX);
        }
    }

    /** One HEAD request, timed: the validator hashes a file before it first serves it. */
    private static double prime(String api, Hash model) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long started = System.nanoTime();
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(api.replaceAll("/+$", "") + "/v1/models/" + model.hex()
                + "/file")).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HEAD of model " + model.hex() + " answered " + r.statusCode());
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** {@code verity model pull ID --json} into a fresh store: the puller's MB/s and seconds, and the process's wall time. */
    private static double[] pullProcess(OperatorNetwork net, Hash model, Path store) throws IOException, InterruptedException {
        JsonNode doc = pull(net, model, store, "pull");
        return new double[] {doc.path("megabytesPerSecond").asDouble(), doc.path("seconds").asDouble(), doc.path("wall").asDouble()};
    }

    /** Runs {@code verity model pull} to its end; its JSON document, with the process's wall time added as {@code wall}. */
    private static JsonNode pull(OperatorNetwork net, Hash model, Path store, String name) throws IOException, InterruptedException {
        Path out = net.dir().resolve(name + ".json");
        Path log = net.dir().resolve(name + ".log");
        long started = System.nanoTime();
        int exit = CliProcess.run(net.command(List.of("model", "pull", model.hex(), "--api", net.apiUrl(), "--store", store.toString(),
                "--json")), out, log, PULL_TIMEOUT);
        double wall = (System.nanoTime() - started) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("verity model pull exited with " + exit + ": " + Files.readString(out) + "; see " + log);
        }
        JsonNode doc = JSON.readTree(out.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc).put("wall", wall);
        return doc;
    }

    /** Kills a pull of {@code model} half way, then pulls again: how long the resumed pull takes. */
    private static List<String> resume(OperatorNetwork net, Hash model, Path storeDir) throws IOException, InterruptedException {
        ModelStore store = new ModelStore(storeDir);
        Path part = store.partFile(model.hex());
        long total = size(net, model);
        CliProcess p = net.start("interrupted-pull", List.of("model", "pull", model.hex(), "--api", net.apiUrl(), "--store",
                storeDir.toString(), "--json"), null);
        long deadline = System.nanoTime() + PULL_TIMEOUT.toNanos();
        while (p.isAlive() && System.nanoTime() < deadline && (!Files.exists(part) || Files.size(part) < total / 2)) {
            Thread.sleep(1);
        }
        p.kill();
        net.stop(p);
        long kept = Files.exists(part) ? Files.size(part) : 0;
        if (kept == 0 || kept >= total) {
            return List.of("", "(the interrupted pull could not be cut half way: " + kept + " of " + total + " bytes)");
        }
        ComputeNodeThroughput.say(String.format(Locale.ROOT, "killed the pull with %,d of %,d bytes in %s", kept, total, part.getFileName()));
        JsonNode doc = pull(net, model, storeDir, "resumed-pull");
        ComputeNodeThroughput.say("resumed pull: " + doc);
        List<String> out = new ArrayList<>();
        out.add("");
        out.add(String.format(Locale.ROOT, "Interrupted pull of the synthetic file: `verity model pull` killed (SIGKILL) with %s of %s in "
                + "its part file; the next `verity model pull` resumed from byte %,d, downloaded %s in **%.2f s** (%.1f MB/s over the "
                + "downloaded bytes, including re-hashing the %s already there), process wall time %.2f s.", mb(kept), mb(total),
                doc.path("resumedFrom").asLong(), mb(doc.path("downloaded").asLong()), doc.path("seconds").asDouble(),
                doc.path("megabytesPerSecond").asDouble(), mb(kept), doc.path("wall").asDouble()));
        OperatorNetwork.deleteTree(storeDir);
        return out;
    }

    private static String row(String name, String how, List<double[]> runs, boolean process) {
        List<Double> rates = runs.stream().map(r -> r[0]).sorted().toList();
        List<Double> secs = runs.stream().map(r -> r[1]).sorted().toList();
        List<Double> walls = runs.stream().map(r -> r[2]).sorted().toList();
        return String.format(Locale.ROOT, "| %s | %s | %d | **%.1f** (%.1f to %.1f) | %.2f | %s |", name, how, runs.size(), median(rates),
                rates.get(0), rates.get(rates.size() - 1), median(secs),
                process ? String.format(Locale.ROOT, "%.2f s (%.2f to %.2f)", median(walls), walls.get(0), walls.get(walls.size() - 1)) : "");
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static long size(OperatorNetwork net, Hash model) throws IOException {
        return Files.size(net.validatorModels().find(model.hex()).orElseThrow());
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
