package dev.verity.validator.storage;

import java.nio.file.Path;

/**
 * A stored entry the node cannot read. The message names the data directory, the table and the entry (its key in
 * hex, or a block height), why it is unreadable, and what the operator can do about it.
 */
public final class CorruptStoreException extends StorageException {
    private final Path dataDir;
    private final String table;
    private final String entry;
    private final boolean repairable;
    private final String why;

    public CorruptStoreException(Path dataDir, String table, String entry, String why, boolean repairable, Throwable cause) {
        super(message(dataDir, table, entry, why, repairable), cause);
        this.dataDir = dataDir;
        this.table = table;
        this.entry = entry;
        this.repairable = repairable;
        this.why = why;
    }

    /** A stored mempool entry that cannot be read; {@code verity chain repair} drops it. */
    public static CorruptStoreException mempoolEntry(Path dataDir, String keyHex, String why, Throwable cause) {
        return new CorruptStoreException(dataDir, "mempool", keyHex, why, true, cause);
    }

    /** A state row that cannot be read: not repairable in place. */
    public static CorruptStoreException stateRow(Path dataDir, String keyHex, String why, Throwable cause) {
        return new CorruptStoreException(dataDir, "state", keyHex, why, false, cause);
    }

    /** A block that cannot be read: not repairable in place. */
    public static CorruptStoreException block(Path dataDir, long height, String why, Throwable cause) {
        return new CorruptStoreException(dataDir, "blocks", "at height " + height, why, false, cause);
    }

    private static String message(Path dataDir, String table, String entry, String why, boolean repairable) {
        String what = switch (table) {
            case "mempool" -> "stored mempool entry " + entry;
            case "state" -> "state row " + entry;
            case "blocks" -> "block " + entry;
            default -> table + " entry " + entry;
        };
        String advice = repairable
                ? "run `verity chain repair --data-dir " + dataDir + "` to drop it"
                : "it cannot be repaired in place: restore the data directory from a backup or re-sync it from genesis "
                        + "(`verity chain repair --data-dir " + dataDir + "` lists every problem)";
        return "data directory " + dataDir + ": " + what + " is unreadable: " + why + "; " + advice;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The store's table: {@code mempool}, {@code state} or {@code blocks}. */
    public String table() {
        return table;
    }

    /** The entry: a key in hex, or "at height N". */
    public String entry() {
        return entry;
    }

    /** Why the entry is unreadable. */
    public String why() {
        return why;
    }

    /** True when {@code verity chain repair} can fix it (by dropping the entry). */
    public boolean repairable() {
        return repairable;
    }
}
