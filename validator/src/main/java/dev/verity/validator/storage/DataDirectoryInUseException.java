package dev.verity.validator.storage;

import java.nio.file.Path;

/** The data directory is locked by another open store (another process, or another handle in this one). */
public class DataDirectoryInUseException extends StorageException {

    private final Path dataDir;

    public DataDirectoryInUseException(Path dataDir, Throwable cause) {
        super("data directory " + dataDir + " is in use by another process", cause);
        this.dataDir = dataDir;
    }

    public Path dataDir() {
        return dataDir;
    }
}
