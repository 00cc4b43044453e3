package dev.verity.cli;

import dev.verity.compute.model.InvalidModelException;
import dev.verity.sdk.KeyFileException;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.receipt.TrustFileException;
import dev.verity.validator.storage.DataDirectoryInUseException;
import dev.verity.validator.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into the CLI's error codes and one-line messages. */
final class Errors {
    private Errors() {}

    static String code(Throwable e) {
        return switch (e) {
            case CliException c -> c.code();
            case VerityApiException v -> v.code();
            case KeyFileException k -> "KEY_FILE";
            case TrustFileException t -> "TRUST_FILE";
            case InvalidModelException m -> "INVALID_MODEL";
            case DataDirectoryInUseException d -> "DATA_DIR_IN_USE";
            case StorageException s -> "STORAGE";
            case IllegalArgumentException i -> "BAD_USAGE";
            case UncheckedIOException u -> "IO_ERROR";
            case IOException i -> "IO_ERROR";
            default -> "ERROR";
        };
    }

    /** A readable message for {@code e}: its own message, or (for I/O failures) what happened to which file. */
    static String message(Throwable e) {
        Throwable t = e;
        if (t instanceof UncheckedIOException u && u.getCause() != null && u.getMessage() == null) {
            t = u.getCause();
        }
        if (t instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (t instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            Throwable c = t.getCause();
            if (c != null && c != t) {
                return message(c);
            }
            return t.getClass().getSimpleName();
        }
        // Keep it to one line.
        int nl = m.indexOf('\n');
        return nl < 0 ? m.strip() : m.substring(0, nl).strip();
    }
}
