package dev.verity.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Real TEE attestation vectors (AMD SEV-SNP and Intel TDX; sources and licenses in {@code tee/README.md} of this
 * module's resources), for tests above the proofs module. {@link #file} copies a vector to a file once per JVM, for
 * commands that take paths.
 */
public final class TeeVectors {
    private static Path extracted;

    private TeeVectors() {
    }

    /** The bytes of vector {@code name}, e.g. {@code "sev-snp/attestation.bin"}. */
    public static byte[] bytes(String name) {
        try (InputStream in = TeeVectors.class.getResourceAsStream("/tee/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no TEE vector 'tee/" + name + "' in the test kit");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Vector {@code name} (a file, or a folder such as {@code "sev-snp"}) on disk: every vector is copied once per JVM
     * into one temporary folder (listed in {@code tee/INDEX}), so a command that reads a vector's siblings finds them.
     */
    public static synchronized Path file(String name) {
        try {
            if (extracted == null) {
                Path root = Files.createTempDirectory("verity-tee-vectors");
                for (String entry : new String(bytes("INDEX"), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                    if (!entry.isBlank()) {
                        Path file = root.resolve(entry.strip());
                        Files.createDirectories(file.getParent());
                        Files.write(file, bytes(entry.strip()));
                    }
                }
                extracted = root;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(root), "tee-vectors-cleanup"));
            }
            Path file = extracted.resolve(name);
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("no TEE vector 'tee/" + name + "' in the test kit (tee/INDEX lists them)");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at exit
        }
    }
}
