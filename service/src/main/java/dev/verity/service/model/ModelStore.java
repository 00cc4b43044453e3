package dev.verity.service.model;

import dev.verity.core.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A content-addressed folder of model files: each is stored as {@code <dir>/<sha256 hex><suffix>}, so a model's
 * name is its identity on the network, and {@link #path} re-hashes the file on every lookup so that a file changed
 * on disk is never served under its old name.
 *
 * <p>A model may have companion files beside it, {@code <hex>.<name>} (its {@code tokenizer.json}, say). They are
 * keyed by the model but not content-addressed, so they are not integrity-checked here.
 *
 * <p>Writes go to a temporary file in the same folder and are then moved into place, so a reader never sees a
 * half-written file and concurrent puts of the same content are harmless.
 */
public final class ModelStore {
    public static final String MODEL_SUFFIX = ".onnx";
    /** A model package (ONNX graph, integer program and metadata), stored under its package id. */
    public static final String PACKAGE_SUFFIX = ".vpkg";

    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SUFFIX = Pattern.compile("\\.[a-z0-9]{1,16}");
    private static final Pattern COMPANION = Pattern.compile("[a-z0-9][a-z0-9_-]*(\\.[a-z0-9_-]+)*");

    private final Path dir;

    /** Opens the store, creating the folder if needed. */
    public ModelStore(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create model store " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Stores a copy of an ONNX file; returns its SHA-256 in lower-case hex. */
    public String put(Path file) {
        return put(file, MODEL_SUFFIX);
    }

    /** Stores a copy of a file under the given suffix (like {@code ".onnx"}); returns its SHA-256 hex. */
    public String put(Path file, String suffix) {
        try (InputStream in = Files.newInputStream(file)) {
            return put(in, suffix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores the bytes under the given suffix (like {@code ".onnx"}); returns their SHA-256 hex. */
    public String put(byte[] bytes, String suffix) {
        Objects.requireNonNull(bytes, "bytes");
        checkSuffix(suffix);
        String hex = HexFormat.of().formatHex(Sha256.newDigest().digest(bytes));
        Path target = file(hex, suffix);
        if (!matches(target, hex)) {
            writeAtomically(target, out -> out.write(bytes));
        }
        return hex;
    }

    /**
     * Stores a stream's content under the given suffix; returns its SHA-256 hex. The stream is read once, hashing
     * while it is copied, and is left open.
     */
    public String put(InputStream content, String suffix) {
        Objects.requireNonNull(content, "content");
        checkSuffix(suffix);
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, ".incoming-", ".tmp");
            MessageDigest sha = Sha256.newDigest();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), sha)) {
                content.transferTo(out);
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            Path target = file(hex, suffix);
            if (!matches(target, hex)) {
                moveIntoPlace(temp, target);
                temp = null;
            }
            return hex;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store model in " + dir + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /** Whether a model file with this hash is present (without checking its content). */
    public boolean contains(String sha256Hex) {
        return contains(sha256Hex, MODEL_SUFFIX);
    }

    /** Whether a file with this hash and suffix is present (without checking its content). */
    public boolean contains(String sha256Hex, String suffix) {
        checkSuffix(suffix);
        return Files.isRegularFile(file(checkHex(sha256Hex), suffix));
    }

    /** The ONNX file with this hash, after checking that its content still hashes to it. */
    public Path path(String sha256Hex) {
        return path(sha256Hex, MODEL_SUFFIX);
    }

    /**
     * The file with this hash and suffix, after checking that its content still hashes to it.
     *
     * @throws ModelStoreException if there is no such file or its content does not match its name
     */
    public Path path(String sha256Hex, String suffix) {
        checkHex(sha256Hex);
        checkSuffix(suffix);
        Path file = file(sha256Hex, suffix);
        if (!Files.isRegularFile(file)) {
            throw new ModelStoreException("model " + sha256Hex + " is not in the store (no file " + file + ")");
        }
        String actual = sha256(file);
        if (!actual.equals(sha256Hex)) {
            throw new ModelStoreException("model " + sha256Hex + " failed its integrity check: " + file
                    + " now hashes to " + actual);
        }
        return file;
    }

    /** The suffixes a file served by hash may have, in the order they are looked for: an ONNX model, then a package. */
    public static final java.util.List<String> SERVED_SUFFIXES = java.util.List.of(MODEL_SUFFIX, PACKAGE_SUFFIX);
    /**
     * The companion files validators serve beside a model ({@code GET /v1/models/{id}/companions/{name}}): a tokenizer,
     * and a language model's integer step program (for the provable modes; a node checks it against the program the
     * chain registered before it serves the model in them).
     */
    public static final java.util.List<String> SERVED_COMPANIONS = java.util.List.of("tokenizer.json", "integer-program.bin");
    /** The suffix of a download under way ({@code <hex>.part}); never a model's own suffix. */
    public static final String PART_SUFFIX = ".part";

    /**
     * The stored file with this hash under one of {@link #SERVED_SUFFIXES} (the first present), without checking its
     * content; empty when there is none.
     */
    public Optional<Path> find(String sha256Hex) {
        checkHex(sha256Hex);
        for (String suffix : SERVED_SUFFIXES) {
            Path f = file(sha256Hex, suffix);
            if (Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** Where a download of the file with this hash is kept while under way: {@code <dir>/<hex>.part}. */
    public Path partFile(String sha256Hex) {
        return file(checkHex(sha256Hex), PART_SUFFIX);
    }

    /**
     * Moves a complete download into place as {@code <hex><suffix>}, after checking that its content hashes to
     * {@code sha256Hex}; the move is atomic where the file system allows it. A file whose content differs is deleted and
     * refused with a message naming both hashes.
     *
     * @throws ModelStoreException if the content does not hash to {@code sha256Hex}
     */
    public Path adopt(Path download, String sha256Hex, String suffix) {
        checkHex(sha256Hex);
        checkSuffix(suffix);
        String actual = sha256(download);
        if (!actual.equals(sha256Hex)) {
            deleteQuietly(download);
            throw new ModelStoreException("refused the download of model " + sha256Hex + ": its content hashes to " + actual
                    + " (expected " + sha256Hex + "); the partial file was deleted");
        }
        return adoptVerified(download, sha256Hex, suffix);
    }

    /** As {@link #adopt}, for a file the caller has already hashed to {@code sha256Hex} while writing it. */
    public Path adoptVerified(Path download, String sha256Hex, String suffix) {
        checkHex(sha256Hex);
        checkSuffix(suffix);
        Path target = file(sha256Hex, suffix);
        try {
            moveIntoPlace(download, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + download + " to " + target + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** Deletes the file with this hash and suffix (a copy found damaged, say); false when there was none. */
    public boolean discard(String sha256Hex, String suffix) {
        checkHex(sha256Hex);
        checkSuffix(suffix);
        try {
            return Files.deleteIfExists(file(sha256Hex, suffix));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(sha256Hex, suffix) + ": " + e.getMessage(), e);
        }
    }

    /** Stores (or replaces) a companion file {@code <hex>.<name>} of the model with this hash. */
    public Path putCompanion(String sha256Hex, String name, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Path target = companionFile(sha256Hex, name);
        try {
            if (Files.isRegularFile(target) && MessageDigest.isEqual(Files.readAllBytes(target), bytes)) {
                return target; // unchanged: leave the file (and its timestamp) alone
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + target + ": " + e.getMessage(), e);
        }
        writeAtomically(target, out -> out.write(bytes));
        return target;
    }

    /** The companion file {@code <hex>.<name>}, if present. */
    public Optional<Path> companion(String sha256Hex, String name) {
        Path file = companionFile(sha256Hex, name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** The SHA-256 of a file's content in lower-case hex, read in a streaming fashion. */
    public static String sha256(Path file) {
        MessageDigest sha = Sha256.newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    // ---- internals ----

    private Path file(String hex, String suffix) {
        return dir.resolve(hex + suffix);
    }

    private Path companionFile(String sha256Hex, String name) {
        checkHex(sha256Hex);
        Objects.requireNonNull(name, "name");
        if (!COMPANION.matcher(name).matches() || name.length() > 64) {
            throw new IllegalArgumentException("companion name must be a plain lower-case file name like "
                    + "\"tokenizer.json\", got \"" + name + "\"");
        }
        if (("." + name).equals(MODEL_SUFFIX)) {
            throw new IllegalArgumentException("companion name \"" + name + "\" would overwrite the model itself");
        }
        return dir.resolve(sha256Hex + "." + name);
    }

    /** True if the target exists with the right content; a damaged copy is reported as absent so put repairs it. */
    private static boolean matches(Path target, String hex) {
        return Files.isRegularFile(target) && sha256(target).equals(hex);
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private void writeAtomically(Path target, Writer writer) {
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, ".incoming-", ".tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                writer.write(out);
            }
            moveIntoPlace(temp, target);
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // a stray temp file is harmless; the original error matters more
            }
        }
    }

    private static String checkHex(String sha256Hex) {
        Objects.requireNonNull(sha256Hex, "sha256Hex");
        if (!HEX.matcher(sha256Hex).matches()) {
            throw new IllegalArgumentException("not a lower-case hex SHA-256: \"" + sha256Hex + "\"");
        }
        return sha256Hex;
    }

    private static void checkSuffix(String suffix) {
        Objects.requireNonNull(suffix, "suffix");
        if (!SUFFIX.matcher(suffix).matches()) {
            throw new IllegalArgumentException("suffix must look like \".onnx\", got \"" + suffix + "\"");
        }
    }

}
