package dev.verity.validator.storage;

import java.util.List;

/**
 * Reads, from a stored block or event, the keys that index it in other tables, so that pruning can delete those rows
 * with it. The store keeps blocks and events as opaque bytes; the chain that wrote them knows their layout.
 */
public interface HistoryKeys {
    /** A block's 32-byte hash (its key in {@code blockHashes}) and its transactions' hashes (keys of {@code transactions}). */
    record BlockKeys(byte[] hash, List<byte[]> transactions) {
        public BlockKeys {
            transactions = List.copyOf(transactions);
        }
    }

    BlockKeys blockKeys(byte[] block);

    /** The subjects the event was listed under ({@link EventWrite#subjects()}). */
    List<byte[]> eventSubjects(byte[] event);
}
