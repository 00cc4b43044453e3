package dev.verity.validator.storage;

import dev.verity.core.ByteKey;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finality rows to store (votes, certificates, the set that signs a height) and, when the chain is replicated, the log
 * position ({@code applied}, opaque; null for none) that the write completes.
 */
public record FinalityWrite(Map<ByteKey, byte[]> rows, byte[] applied) {
    public static final FinalityWrite NONE = new FinalityWrite(Map.of(), null);

    public FinalityWrite {
        rows = java.util.Collections.unmodifiableMap(new TreeMap<>(rows));
    }
}
