package dev.verity.validator.storage;

import java.util.Objects;

/**
 * A finished job for the archive: its id, the height it was submitted at (the archive lists newest first by it) and
 * its encoded record.
 */
public record ArchiveWrite(byte[] jobId, long submittedAt, byte[] record) {
    public ArchiveWrite {
        Keys.requireHash(jobId, "jobId");
        Keys.requireHeight(submittedAt);
        Objects.requireNonNull(record, "record");
    }
}
