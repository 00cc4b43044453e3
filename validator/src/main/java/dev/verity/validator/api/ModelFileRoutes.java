package dev.verity.validator.api;

import dev.verity.core.Hash;
import dev.verity.service.model.ModelStore;
import dev.verity.validator.chain.ChainNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET|HEAD /v1/models/{id}/file}: the file of a model the chain knows, from the validator's content-addressed
 * {@link ModelStore} ({@code <id>.onnx}, else {@code <id>.vpkg}), streamed from disk.
 *
 * <p>Every answer carries {@code Content-Length}, {@code ETag: "<id>"} and {@code Accept-Ranges: bytes}. A
 * {@code Range: bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} header is answered 206 with {@code Content-Range};
 * of several ranges only the first is served (206 with that range's {@code Content-Range}, never a multipart body). A
 * range that starts at or past the end, or {@code -0}, is 416 {@code RANGE_NOT_SATISFIABLE} with
 * {@code Content-Range: bytes *}{@code /size}; a malformed one is 400. Unknown model, no store, no file: 404.
 *
 * <p>The file is hashed before it is first served and again whenever its size or modification time changes; a copy
 * that no longer hashes to its id is not served (404 naming both hashes). Clients check the hash themselves anyway.
 *
 * <p>{@code GET /v1/models/{id}/companions} lists the companion files this validator holds beside the model (name,
 * size, SHA-256; only names in {@link ModelStore#SERVED_COMPANIONS}, such as {@code tokenizer.json}), and
 * {@code GET /v1/models/{id}/companions/{name}} serves one whole. Any other name is 404, so a name can never reach
 * outside the store. Companions are not content-addressed: the listed hash is what this validator holds, no more.
 */
final class ModelFileRoutes {
    static final String RANGE_NOT_SATISFIABLE = "RANGE_NOT_SATISFIABLE";
    private static final Logger LOG = LoggerFactory.getLogger(ModelFileRoutes.class);
    private static final int BUFFER = 256 * 1024;

    private final ChainNode chain;
    private final Supplier<ModelStore> store;
    /** Files whose content was found to match their name, with the size and time they had then. */
    private final Map<Path, Stamp> verified = new ConcurrentHashMap<>();

    private record Stamp(long size, FileTime modified) {}

    /** A byte range, both ends inclusive. */
    record Range(long first, long last) {
        long length() {
            return last - first + 1;
        }
    }

    ModelFileRoutes(ChainNode chain, Supplier<ModelStore> store) {
        this.chain = chain;
        this.store = store;
    }

    void register(Javalin a) {
        a.get("/v1/models/{id}/file", this::file);
        a.head("/v1/models/{id}/file", this::file);
        a.get("/v1/models/{id}/companions", this::companions);
        a.get("/v1/models/{id}/companions/{name}", this::companion);
    }

    /** The model's store, after checking that the chain knows the model. */
    private ModelStore storeFor(Hash id) {
        if (chain.read(s -> s.models.find(id).isEmpty())) {
            throw ApiException.notFound("no model " + id.hex() + " on this chain");
        }
        ModelStore s = store.get();
        if (s == null) {
            throw ApiException.notFound("this validator holds no model files; ask another validator for model " + id.hex());
        }
        return s;
    }

    /**
     * {@code GET /v1/models/{id}/companions}: name, size and SHA-256 of each companion file (of the names in
     * {@link ModelStore#SERVED_COMPANIONS}) this validator holds beside the model; an empty list when it holds none.
     */
    private void companions(Context ctx) {
        Hash id = RequestParams.pathHash(ctx, "id", "a model id (the SHA-256 of the model file)");
        ModelStore s = storeFor(id);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : ModelStore.SERVED_COMPANIONS) {
            Optional<Path> file = s.companion(id.hex(), name);
            if (file.isPresent()) {
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("name", name);
                item.put("size", size(file.get()));
                item.put("sha256", ModelStore.sha256(file.get()));
                out.add(item);
            }
        }
        ctx.json(out);
    }

    /** {@code GET /v1/models/{id}/companions/{name}}: one companion file, whole; only the names in the served set. */
    private void companion(Context ctx) throws IOException {
        Hash id = RequestParams.pathHash(ctx, "id", "a model id (the SHA-256 of the model file)");
        String name = ctx.pathParam("name");
        if (!ModelStore.SERVED_COMPANIONS.contains(name)) {
            throw ApiException.notFound("no companion file '" + RequestParams.shorten(name) + "'; companions served are "
                    + String.join(", ", ModelStore.SERVED_COMPANIONS));
        }
        ModelStore s = storeFor(id);
        Path file = s.companion(id.hex(), name).orElseThrow(() -> ApiException.notFound(
                "this validator holds no " + name + " beside model " + id.hex()));
        long size = size(file);
        ctx.status(200);
        ctx.contentType(name.endsWith(".json") ? "application/json" : "application/octet-stream");
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        ctx.res().setContentLengthLong(size);
        stream(ctx, file, 0, size);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void file(Context ctx) throws IOException {
        Hash id = RequestParams.pathHash(ctx, "id", "a model id (the SHA-256 of the model file)");
        ModelStore s = storeFor(id);
        Optional<Path> found = s.find(id.hex());
        if (found.isEmpty()) {
            throw ApiException.notFound("this validator does not hold the file of model " + id.hex()
                    + "; ask another validator");
        }
        Path file = found.get();
        long size = checkIntact(file, id.hex());
        String etag = "\"" + id.hex() + "\"";
        ctx.header("ETag", etag);
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("Cache-Control", "public, max-age=31536000, immutable");
        Range range;
        try {
            range = range(ctx.header("Range"), size, id.hex());
        } catch (ApiException e) {
            if (e.status() == 416) {
                ctx.header("Content-Range", "bytes */" + size);
            }
            throw e;
        }
        String ifRange = ctx.header("If-Range");
        if (range != null && ifRange != null && !ifRange.strip().equals(etag)) {
            range = null; // a different representation: send it whole
        }
        ctx.contentType("application/octet-stream");
        ctx.header("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"");
        long first = 0;
        long length = size;
        if (range != null) {
            ctx.status(206);
            ctx.header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
            first = range.first();
            length = range.length();
        } else {
            ctx.status(200);
        }
        ctx.res().setContentLengthLong(length);
        if (ctx.method().name().equals("HEAD")) {
            return;
        }
        stream(ctx, file, first, length);
    }

    /** Copies {@code length} bytes from {@code first} on, a buffer at a time; a client that goes away ends it quietly. */
    private static void stream(Context ctx, Path file, long first, long length) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            OutputStream out = ctx.res().getOutputStream();
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(BUFFER, Math.max(1, length)));
            long pos = first;
            long left = length;
            while (left > 0) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                int n = in.read(buf, pos);
                if (n < 0) {
                    throw new IOException(file + " became shorter while it was being sent");
                }
                try {
                    out.write(buf.array(), 0, n);
                } catch (IOException e) {
                    LOG.debug("a client stopped reading {} after {} of {} bytes: {}", file.getFileName(), pos - first, length,
                            e.toString());
                    return;
                }
                pos += n;
                left -= n;
            }
            try {
                out.flush();
            } catch (IOException e) {
                LOG.debug("a client went away at the end of {}: {}", file.getFileName(), e.toString());
            }
        }
    }

    /** The file's size, after checking (once per size and modification time) that its content hashes to its name. */
    private long checkIntact(Path file, String hex) throws IOException {
        long size = Files.size(file);
        FileTime modified = Files.getLastModifiedTime(file);
        Stamp now = new Stamp(size, modified);
        if (now.equals(verified.get(file))) {
            return size;
        }
        String actual = ModelStore.sha256(file);
        if (!actual.equals(hex)) {
            verified.remove(file);
            LOG.warn("not serving {}: its content hashes to {}", file, actual);
            throw ApiException.notFound("this validator's copy of model " + hex + " is damaged (it hashes to " + actual
                    + ") and is not served; ask another validator");
        }
        verified.put(file, now);
        return size;
    }

    /**
     * The first range of a {@code Range} header over a file of {@code size} bytes; null when there is no header or it
     * is not in bytes (the whole file is sent).
     */
    static Range range(String header, long size, String hex) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String h = header.strip();
        int eq = h.indexOf('=');
        if (eq < 0 || !h.substring(0, eq).strip().equalsIgnoreCase("bytes")) {
            return null; // another unit: ignored, as RFC 9110 allows
        }
        String spec = h.substring(eq + 1);
        int comma = spec.indexOf(',');
        if (comma >= 0) {
            spec = spec.substring(0, comma); // several ranges: the first only
        }
        spec = spec.strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            throw malformed(header);
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        long first;
        long last;
        if (a.isEmpty()) {
            long n = number(b, header);
            if (n == 0 || size == 0) {
                throw unsatisfiable(header, size, hex);
            }
            first = Math.max(0, size - n);
            last = size - 1;
        } else {
            first = number(a, header);
            last = b.isEmpty() ? Long.MAX_VALUE : number(b, header);
            if (last < first) {
                throw malformed(header);
            }
            if (first >= size) {
                throw unsatisfiable(header, size, hex);
            }
            last = Math.min(last, size - 1);
        }
        return new Range(first, last);
    }

    private static long number(String text, String header) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed(header);
        }
        return Long.parseLong(text);
    }

    private static ApiException malformed(String header) {
        return ApiException.badRequest("header 'Range' must look like bytes=FIRST-LAST, bytes=FIRST- or bytes=-SUFFIX_LENGTH, got '"
                + RequestParams.shorten(header) + "'");
    }

    private static ApiException unsatisfiable(String header, long size, String hex) {
        return new ApiException(416, RANGE_NOT_SATISFIABLE, "the range '" + RequestParams.shorten(header) + "' is outside the file of model "
                + hex + ", which is " + size + " bytes (bytes 0 to " + (size - 1) + ")");
    }
}
