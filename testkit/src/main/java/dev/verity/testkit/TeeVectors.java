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

    /** Vector {@code name} as a file (the same file for every call in this JVM). */
    public static synchronized Path file(String name) {
        try {
            if (extracted == null) {
                extracted = Files.createTempDirectory("verity-tee-vectors");
                extracted.toFile().deleteOnExit();
            }
            Path file = extracted.resolve(name);
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.write(file, bytes(name));
                file.toFile().deleteOnExit();
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
