package dev.verity.validator.storage;

import dev.verity.core.ByteKey;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finality rows to store (votes, certificates, the set that signs a height) and, when the chain is replicated, the log
 * position ({@code applied}, opaque; null for none) that the write completes; {@code snapshot} also records that
 * position as the replicated log's latest snapshot (the log may be purged up to it).
 */
public record FinalityWrite(Map<ByteKey, byte[]> rows, byte[] applied, boolean snapshot) {
    public static final FinalityWrite NONE = new FinalityWrite(Map.of(), null);

    public FinalityWrite {
        rows = java.util.Collections.unmodifiableMap(new TreeMap<>(rows));
        if (snapshot && applied == null) {
            throw new IllegalArgumentException("a snapshot needs its log position");
        }
    }

    public FinalityWrite(Map<ByteKey, byte[]> rows, byte[] applied) {
        this(rows, applied, false);
    }
}
