package dev.verity.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verity.core.PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * Ed25519 key files: JSON {@code {"publicKey": "<64 hex>", "seed": "<64 hex>"}}. The seed is the
 * secret; files are written readable by their owner only where the file system has POSIX
 * permissions, and a key file that its group or others may read or write is refused on load
 * (unless {@value #ALLOW_SHARED_KEYS_ENV}=1 is set in the environment).
 */
public final class KeyFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Environment variable that, set to {@code 1}, lets {@link #load} use key files that others may read. */
    public static final String ALLOW_SHARED_KEYS_ENV = "VERITY_ALLOW_SHARED_KEYS";
    private static final Set<PosixFilePermission> SHARED = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private KeyFiles() {}

    /** A new key from 32 bytes of {@link SecureRandom}. */
    public static PrivateKey generate() {
        byte[] seed = new byte[32];
        RANDOM.nextBytes(seed);
        return PrivateKey.fromSeed(seed);
    }

    /** Writes {@code key} to a new file; refuses to overwrite an existing one (it may hold the only copy of a key). */
    public static void save(Path path, PrivateKey key) {
        save(path, key, false);
    }

    /**
     * Writes {@code key} to {@code path} (owner-only permissions where supported), creating missing
     * parent directories. The file is written to a temporary file next to it and moved into place,
     * so a crash never leaves a half-written key file.
     */
    public static void save(Path path, PrivateKey key, boolean overwrite) {
        Path target = path.toAbsolutePath();
        if (!overwrite && Files.exists(target)) {
            throw new KeyFileException("key file " + path + " already exists; refusing to overwrite it (it may hold the only copy of a key)");
        }
        ObjectNode node = JSON.createObjectNode();
        node.put("publicKey", key.publicKey().hex());
        node.put("seed", key.seedHex());
        byte[] bytes;
        try {
            bytes = (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new KeyFileException("could not encode the key: " + e.getMessage(), e);
        }
        Path dir = target.getParent();
        Path tmp = null;
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            boolean posix = Files.getFileStore(dir == null ? target.getRoot() : dir).supportsFileAttributeView("posix");
            FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp", attrs);
            if (posix) {
                Files.setPosixFilePermissions(tmp, OWNER_ONLY);
            }
            Files.write(tmp, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            if (!overwrite && Files.exists(target)) {
                throw new KeyFileException("key file " + path + " already exists; refusing to overwrite it");
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (AccessDeniedException e) {
            throw new KeyFileException("cannot write key file " + path + ": permission denied", e);
        } catch (FileAlreadyExistsException e) {
            throw new KeyFileException("key file " + path + " already exists; refusing to overwrite it", e);
        } catch (IOException e) {
            throw new KeyFileException("cannot write key file " + path + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /**
     * Reads a key file written by {@link #save}.
     *
     * @throws KeyFileException when the file is missing or unreadable, its group or others may read
     *     or write it (unless {@value #ALLOW_SHARED_KEYS_ENV}=1), is not JSON, lacks a field,
     *     holds a seed that is not 32 bytes of hex, or names a public key that is not the seed's
     */
    public static PrivateKey load(Path path) {
        return load(path, "1".equals(System.getenv(ALLOW_SHARED_KEYS_ENV)));
    }

    /**
     * As {@link #load(Path)}; {@code allowShared} accepts a key file that its group or others may
     * read or write (the {@value #ALLOW_SHARED_KEYS_ENV}=1 override).
     */
    public static PrivateKey load(Path path, boolean allowShared) {
        if (!allowShared) {
            requireOwnerOnly(path);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new KeyFileException("no key file at " + path + "; check the path, or create a key first");
        } catch (AccessDeniedException e) {
            throw new KeyFileException("cannot read key file " + path + ": permission denied", e);
        } catch (IOException e) {
            throw new KeyFileException("cannot read key file " + path + ": " + e, e);
        }
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new KeyFileException("key file " + path + " is not valid JSON (expected {\"publicKey\": \"<hex>\", \"seed\": \"<hex>\"}): "
                    + why, e);
        }
        if (node == null || !node.isObject()) {
            throw new KeyFileException("key file " + path + " must hold a JSON object {\"publicKey\": \"<hex>\", \"seed\": \"<hex>\"}");
        }
        String seedHex = text(node, "seed", path);
        if (seedHex.length() != 64) {
            throw new KeyFileException("the seed in key file " + path + " must be 64 hex characters (32 bytes), got "
                    + seedHex.length() + " characters");
        }
        byte[] seed;
        try {
            seed = HexFormat.of().parseHex(seedHex);
        } catch (IllegalArgumentException e) {
            throw new KeyFileException("the seed in key file " + path + " is not hex");
        }
        PrivateKey key = PrivateKey.fromSeed(seed);
        String publicHex = text(node, "publicKey", path);
        if (!publicHex.equalsIgnoreCase(key.publicKey().hex())) {
            throw new KeyFileException("key file " + path + " is inconsistent: its publicKey " + publicHex
                    + " is not the key of its seed (" + key.publicKey().hex() + "); the file may be corrupted or edited");
        }
        return key;
    }

    /** Refuses a key file whose POSIX permissions let its group or others read or write it. */
    static void requireOwnerOnly(Path path) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException e) {
            return; // no POSIX permissions on this file system
        } catch (NoSuchFileException e) {
            throw new KeyFileException("no key file at " + path + "; check the path, or create a key first");
        } catch (IOException e) {
            throw new KeyFileException("cannot read the permissions of key file " + path + ": " + e, e);
        }
        Set<PosixFilePermission> shared = EnumSet.noneOf(PosixFilePermission.class);
        shared.addAll(permissions);
        shared.retainAll(SHARED);
        if (!shared.isEmpty()) {
            throw new KeyFileException("key file " + path + " is readable or writable by others (permissions "
                    + PosixFilePermissions.toString(permissions) + "); its seed is a secret. Run `chmod 600 " + path
                    + "` (and check who may have copied it), or set " + ALLOW_SHARED_KEYS_ENV + "=1 to use it anyway");
        }
    }

    private static String text(JsonNode node, String field, Path path) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new KeyFileException("key file " + path + " has no \"" + field + "\" field");
        }
        if (!v.isTextual()) {
            throw new KeyFileException("the \"" + field + "\" field of key file " + path + " must be a hex string");
        }
        return v.asText().strip();
    }
}
