package dev.verity.compute.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.service.model.ModelStore;
import dev.verity.service.model.ModelStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls model files by their hash from validators ({@code GET /v1/models/{id}/file}) into a content-addressed
 * {@link ModelStore}, as a compute node does for the models it serves.
 *
 * <p>A download goes to {@code <store>/<id>.part}. When that file is already there (an earlier download was cut
 * off) the download resumes from its length with a {@code Range} request; a validator that ignores the range sends
 * the whole file again and the part is started over. The SHA-256 of the whole file is computed while it arrives and
 * must equal the id: only then is the part moved into place, atomically, as {@code <id>.onnx} or, for a model package
 * (it starts with the package magic), {@code <id>.vpkg}. A file whose hash differs is refused: the part is deleted
 * and the error names both hashes. The validators are tried in order; a validator that is down, does not hold the
 * file, breaks off or sends wrong bytes hands over to the next, which resumes from what has arrived (wrong bytes are
 * never kept).
 *
 * <p>A file already in the store is checked ({@link ModelStore#path}) before it is used; one that no longer hashes
 * to its name is deleted and pulled again. One puller per store and model at a time.
 *
 * <p>{@link #ensure} also pulls the model's companion files, such as the {@code tokenizer.json} a sentence-embedding
 * model needs beside it ({@link #ensureCompanions}).
 */
public final class ModelPuller {
    /** The first bytes of every model package. */
    private static final byte[] PACKAGE_MAGIC = {'V', 'R', 'T', 'Y', 'M', 'P', 'K', 'G'};
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final Logger LOG = LoggerFactory.getLogger(ModelPuller.class);
    private static final int BUFFER = 256 * 1024;
    private static final long PROGRESS_EVERY_NANOS = 250_000_000L;
    private static final long MAX_COMPANION_BYTES = 64L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Told how a download goes: bytes in the part so far, and the whole file's size (-1 when unknown). */
    @FunctionalInterface
    public interface Progress {
        void update(Hash model, String source, long bytesSoFar, long totalBytes);
    }

    /**
     * What {@link #ensure} or {@link #pull} did: the file in the store and its size; {@code downloaded} bytes came over
     * the network in {@code elapsed}, after {@code resumedFrom} bytes already in a part file; {@code source} is the
     * validator that sent them (null when the file was already present, intact).
     */
    public record Result(Hash model, Path path, long bytes, long downloaded, long resumedFrom, Duration elapsed, String source,
                         boolean alreadyPresent, boolean repaired) {
        public double seconds() {
            return elapsed.toNanos() / 1e9;
        }

        /** Network throughput of this pull in MB/s (10^6 bytes), 0 when nothing was downloaded. */
        public double megabytesPerSecond() {
            double s = seconds();
            return downloaded == 0 || s <= 0 ? 0 : downloaded / 1e6 / s;
        }
    }

    private final ModelStore store;
    private final List<URI> sources;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Progress progress;

    /** A puller into {@code store} from the validators at {@code apiUrls}, tried in order. */
    public ModelPuller(ModelStore store, List<String> apiUrls) {
        this(store, apiUrls, VerityClient.DEFAULT_CONNECT_TIMEOUT, VerityClient.DEFAULT_REQUEST_TIMEOUT, null);
    }

    public ModelPuller(ModelStore store, List<String> apiUrls, Duration connectTimeout, Duration requestTimeout,
                       Progress progress) {
        this.store = Objects.requireNonNull(store, "store");
        if (apiUrls == null || apiUrls.isEmpty()) {
            throw new IllegalArgumentException("give at least one validator API URL to pull models from");
        }
        List<URI> s = new ArrayList<>();
        for (String url : apiUrls) {
            try (VerityClient c = new VerityClient(url)) { // checks the URL the same way every client does
                s.add(c.baseUrl());
            }
        }
        this.sources = List.copyOf(s);
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.progress = progress;
    }

    public ModelStore store() {
        return store;
    }

    /** {@link #ensure} for each model, in order; the first that cannot be had stops it. */
    public List<Result> ensureAll(Collection<Hash> models) {
        List<Result> out = new ArrayList<>();
        for (Hash m : models) {
            out.add(ensure(m));
        }
        return out;
    }

    /**
     * The model's file in the store, checked: an intact copy is used as it is; a damaged one (its content no longer
     * hashes to its name) is deleted and pulled again; a missing one is pulled.
     *
     * @throws ModelPullException when no validator could supply a file with the right hash
     */
    public Result ensure(Hash model) {
        String hex = model.hex();
        long started = System.nanoTime();
        Optional<Path> present = store.find(hex);
        boolean repaired = false;
        if (present.isPresent()) {
            Path file = present.get();
            String suffix = file.getFileName().toString().substring(hex.length());
            try {
                Path ok = store.path(hex, suffix);
                try {
                    ensureCompanions(model);
                } catch (ModelPullException e) {
                    LOG.warn("model {} is present but its companion files could not be pulled: {}", hex, e.getMessage());
                }
                return new Result(model, ok, size(ok), 0, 0, Duration.ofNanos(System.nanoTime() - started), null, true, false);
            } catch (ModelStoreException e) {
                LOG.warn("{}; deleting it and pulling the model again", e.getMessage());
                store.discard(hex, suffix);
                repaired = true;
            }
        }
        Result r = pull(model);
        ensureCompanions(model);
        return repaired ? new Result(r.model(), r.path(), r.bytes(), r.downloaded(), r.resumedFrom(), r.elapsed(), r.source(),
                false, true) : r;
    }

    /**
     * Downloads the model's file into the store from the first validator that can supply it, resuming from a part
     * file left by an earlier attempt.
     *
     * @throws ModelPullException when none could (the message says what each one answered)
     */
    public Result pull(Hash model) {
        List<String> failures = new ArrayList<>();
        boolean mismatch = false;
        for (URI source : sources) {
            try {
                return pullFrom(model, source);
            } catch (ModelPullException e) {
                mismatch |= e.hashMismatch();
                failures.add(e.getMessage());
                LOG.warn("pulling model {}: {}", model.hex(), e.getMessage());
            } catch (VerityApiException e) {
                failures.add(source + ": " + e.getMessage() + (e.status() > 0 ? " (HTTP " + e.status() + ")" : ""));
                LOG.warn("pulling model {} from {}: {}", model.hex(), source, e.getMessage());
            } catch (IOException | UncheckedIOException e) {
                failures.add(source + ": " + e.getMessage());
                LOG.warn("pulling model {} from {}: {}", model.hex(), source, e.toString());
            }
        }
        Path part = store.partFile(model.hex());
        String kept = Files.isRegularFile(part) ? "; " + size(part) + " bytes are kept in " + part + " to resume from" : "";
        throw new ModelPullException("could not pull model " + model.hex() + " from "
                + (sources.size() == 1 ? "the validator" : "any of " + sources.size() + " validators") + ": "
                + String.join("; ", failures) + kept, mismatch);
    }

    private Result pullFrom(Hash model, URI source) throws IOException {
        String hex = model.hex();
        Path part = store.partFile(hex);
        long started = System.nanoTime();
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        try (VerityClient client = new VerityClient(source, connectTimeout, requestTimeout)) {
            HttpResponse<InputStream> res;
            try {
                res = client.modelFile(model, have);
            } catch (VerityApiException e) {
                if (e.status() != 416 || have == 0) {
                    throw e;
                }
                // The part is as long as the file, or longer: finish with it if it is whole, else start over.
                if (ModelStore.sha256(part).equals(hex)) {
                    LOG.info("model {}: the part file {} is already complete", hex, part);
                    Path placed = store.adoptVerified(part, hex, suffixOf(placedHead(part)));
                    return new Result(model, placed, size(placed), 0, have, Duration.ofNanos(System.nanoTime() - started),
                            source.toString(), false, false);
                }
                Files.deleteIfExists(part);
                have = 0;
                res = client.modelFile(model, 0);
            }
            try (InputStream body = res.body()) {
                long total;
                long resumedFrom;
                if (res.statusCode() == 206) {
                    String cr = res.headers().firstValue("Content-Range").orElse("");
                    Matcher m = CONTENT_RANGE.matcher(cr.strip());
                    if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                        throw new IOException("asked for the bytes from " + have + " on, the validator answered Content-Range '"
                                + cr + "'");
                    }
                    total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
                    resumedFrom = have;
                } else {
                    total = res.headers().firstValueAsLong("Content-Length").orElse(-1);
                    resumedFrom = 0; // the whole file: whatever the part held is replaced
                }
                MessageDigest sha = Sha256.newDigest();
                if (resumedFrom > 0) {
                    hashInto(part, sha);
                    LOG.info("model {}: resuming from byte {} of {} from {}", hex, resumedFrom, total, source);
                } else {
                    LOG.info("model {}: downloading {} bytes from {}", hex, total, source);
                }
                long downloaded = copy(body, part, resumedFrom > 0, sha, model, source.toString(), resumedFrom, total);
                long size = resumedFrom + downloaded;
                if (total >= 0 && size != total) {
                    throw new IOException("the download ended after " + size + " of " + total + " bytes; the part is kept "
                            + "to resume from");
                }
                String actual = HexFormat.of().formatHex(sha.digest());
                if (!actual.equals(hex)) {
                    Files.deleteIfExists(part);
                    throw new ModelPullException(source + " sent a file whose SHA-256 is " + actual + ", not the model id "
                            + hex + ": refused, and the " + size + " downloaded bytes were deleted", true);
                }
                Path placed = store.adoptVerified(part, hex, suffixOf(placedHead(part)));
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                Result r = new Result(model, placed, size, downloaded, resumedFrom, elapsed, source.toString(), false, false);
                LOG.info("model {}: {} bytes in {} s ({} MB/s) from {} into {}", hex, downloaded,
                        String.format("%.2f", r.seconds()), String.format("%.1f", r.megabytesPerSecond()), source, placed);
                return r;
            }
        }
    }

    /**
     * Pulls the companion files of the model ({@link ModelStore#SERVED_COMPANIONS}, its {@code tokenizer.json} say) that
     * the store lacks: the first validator that lists any of them ({@code GET /v1/models/{id}/companions}) sends each
     * ({@code GET /v1/models/{id}/companions/{name}}), whose size and SHA-256 must match its listing before it is placed
     * beside the model as {@code <id>.<name>}. A validator that lists none (or answers 404) hands over to the next; when
     * none lists any, the model has none and nothing is pulled.
     *
     * <p>The listing comes from the same validator as the file, so the check catches damage in transit and a short
     * read, not a validator that serves the wrong companion on purpose: unlike the model, a companion is not named by
     * its hash on the chain.
     *
     * @return the names placed (empty when none were missing or none are offered)
     * @throws ModelPullException when no validator answered, or a listed companion could not be had intact from any
     *         that answered
     */
    public List<String> ensureCompanions(Hash model) {
        String hex = model.hex();
        List<String> missing = ModelStore.SERVED_COMPANIONS.stream().filter(n -> store.companion(hex, n).isEmpty()).toList();
        if (missing.isEmpty()) {
            return List.of();
        }
        List<String> failures = new ArrayList<>();
        boolean answered = false;
        boolean offeredButBad = false;
        HttpClient http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
        for (URI source : sources) {
            try {
                List<String> placed = companionsFrom(http, model, source, missing);
                answered = true;
                if (!placed.isEmpty()) {
                    return placed;
                }
            } catch (BadCompanion e) {
                offeredButBad = true;
                failures.add(source + ": " + e.getMessage());
                LOG.warn("pulling the companion files of model {} from {}: {}", hex, source, e.getMessage());
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                failures.add(source + ": " + why);
                LOG.warn("pulling the companion files of model {} from {}: {}", hex, source, why);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelPullException("interrupted while pulling the companion files of model " + hex, false);
            }
        }
        if (answered && !offeredButBad) {
            return List.of(); // no validator that answered offers any: the model has none
        }
        throw new ModelPullException("could not pull the companion files of model " + hex + ": " + String.join("; ", failures),
                offeredButBad);
    }

    /** A validator listed a companion but could not send it intact. */
    private static final class BadCompanion extends IOException {
        BadCompanion(String message) {
            super(message);
        }
    }

    private List<String> companionsFrom(HttpClient http, Hash model, URI source, List<String> missing)
            throws IOException, InterruptedException {
        String base = source.toString().replaceAll("/+$", "") + "/v1/models/" + model.hex() + "/companions";
        HttpResponse<byte[]> list = http.send(HttpRequest.newBuilder(URI.create(base)).timeout(requestTimeout)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (list.statusCode() == 404) {
            return List.of(); // the validator does not hold the model's companions
        }
        if (list.statusCode() != 200) {
            throw new IOException("listing the companions answered HTTP " + list.statusCode());
        }
        JsonNode items = JSON.readTree(list.body());
        if (!items.isArray()) {
            throw new IOException("the companion listing is not a JSON array");
        }
        record Listed(String name, long size, String sha256) {}
        List<Listed> wanted = new ArrayList<>();
        for (JsonNode item : items) {
            String name = item.path("name").asText("");
            if (missing.contains(name)) {
                long size = item.path("size").asLong(-1);
                String sha = item.path("sha256").asText("");
                if (size < 0 || size > MAX_COMPANION_BYTES || !sha.matches("[0-9a-f]{64}")) {
                    throw new IOException("the listing of companion " + name + " is unusable (size " + size + ", sha256 '"
                            + sha + "')");
                }
                wanted.add(new Listed(name, size, sha));
            }
        }
        // Fetch and check every one before placing any, so a bad source leaves nothing behind.
        List<byte[]> contents = new ArrayList<>();
        for (Listed c : wanted) {
            HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(URI.create(base + "/" + c.name()))
                    .timeout(requestTimeout).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] bytes;
            try (InputStream in = res.body()) {
                if (res.statusCode() != 200) {
                    throw new BadCompanion("companion " + c.name() + " answered HTTP " + res.statusCode());
                }
                bytes = in.readNBytes((int) c.size() + 1);
            }
            String actual = Sha256.digest(bytes).hex();
            if (bytes.length != c.size() || !actual.equals(c.sha256())) {
                throw new BadCompanion("companion " + c.name() + " arrived as " + bytes.length + " bytes hashing to " + actual
                        + ", but was listed as " + c.size() + " bytes hashing to " + c.sha256() + ": refused");
            }
            contents.add(bytes);
        }
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            Path file = store.putCompanion(model.hex(), wanted.get(i).name(), contents.get(i));
            LOG.info("model {}: companion {} ({} bytes) from {} into {}", model.hex(), wanted.get(i).name(),
                    contents.get(i).length, source, file);
            placed.add(wanted.get(i).name());
        }
        return placed;
    }

    /** Appends (or writes afresh) the body to the part, hashing as it goes; returns the bytes written. */
    private long copy(InputStream body, Path part, boolean append, MessageDigest sha, Hash model, String source, long from,
                      long total) throws IOException {
        byte[] buf = new byte[BUFFER];
        long written = 0;
        long lastReport = System.nanoTime();
        StandardOpenOption mode = append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
        try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            int n;
            while ((n = body.read(buf)) > 0) {
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
                written += n;
                if (progress != null && System.nanoTime() - lastReport >= PROGRESS_EVERY_NANOS) {
                    lastReport = System.nanoTime();
                    progress.update(model, source, from + written, total);
                }
            }
        } catch (IOException e) {
            throw new IOException("the download from " + source + " broke off after " + (from + written) + (total >= 0
                    ? " of " + total : "") + " bytes (" + e.getMessage() + "); the part is kept to resume from", e);
        }
        if (progress != null) {
            progress.update(model, source, from + written, total);
        }
        return written;
    }

    private static byte[] placedHead(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(PACKAGE_MAGIC.length);
        }
    }

    private static String suffixOf(byte[] head) {
        return Arrays.equals(head, PACKAGE_MAGIC) ? ModelStore.PACKAGE_SUFFIX : ModelStore.MODEL_SUFFIX;
    }

    private static void hashInto(Path file, MessageDigest sha) throws IOException {
        byte[] buf = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
    }


    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

}
