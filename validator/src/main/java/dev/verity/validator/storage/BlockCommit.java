package dev.verity.validator.storage;

import dev.verity.core.ByteKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a block changes, written atomically by {@link ChainStore#commitBlock}.
 *
 * @param height      the block height; must be greater than the current head height
 * @param blockHash   the 32-byte block hash
 * @param blockBytes  the encoded block
 * @param txHashes    32-byte hashes of the block's transactions, in block order (the list position is the tx index);
 *                    they are also removed from the mempool
 * @param stateWrites state changes: key bytes to new value bytes, or to {@code null} to delete the key
 * @param events      the block's events in order (the list position is the event index)
 * @param headMeta    opaque bytes describing the new head, returned by {@link ChainStore#headMeta()}; may be null
 * @param refusals    transactions refused while the block was built: they leave the mempool and their refusals are
 *                    stored (see {@link ChainStore#refusal})
 * @param archive     the jobs that left the live state in this block, for the job archive (see {@link ChainStore#archivedJob})
 */
public record BlockCommit(
        long height,
        byte[] blockHash,
        byte[] blockBytes,
        List<byte[]> txHashes,
        Map<ByteKey, byte[]> stateWrites,
        List<EventWrite> events,
        byte[] headMeta,
        List<StoredRefusal> refusals,
        List<ArchiveWrite> archive) {

    public BlockCommit {
        if (height < 0) throw new IllegalArgumentException("negative height " + height);
        Keys.requireHash(blockHash, "blockHash");
        Objects.requireNonNull(blockBytes, "blockBytes");
        txHashes = List.copyOf(txHashes);
        txHashes.forEach(h -> Keys.requireHash(h, "tx hash"));
        // Copied by hand: Map.copyOf rejects the null values that mean "delete".
        stateWrites = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(stateWrites, "stateWrites")));
        stateWrites.keySet().forEach(k -> Objects.requireNonNull(k, "state key"));
        events = List.copyOf(events);
        refusals = List.copyOf(refusals);
        archive = List.copyOf(archive);
    }

    /** A block that retired no job. */
    public BlockCommit(long height, byte[] blockHash, byte[] blockBytes, List<byte[]> txHashes,
                       Map<ByteKey, byte[]> stateWrites, List<EventWrite> events, byte[] headMeta, List<StoredRefusal> refusals) {
        this(height, blockHash, blockBytes, txHashes, stateWrites, events, headMeta, refusals, List.of());
    }

    /** A block that refused nothing. */
    public BlockCommit(long height, byte[] blockHash, byte[] blockBytes, List<byte[]> txHashes,
                       Map<ByteKey, byte[]> stateWrites, List<EventWrite> events, byte[] headMeta) {
        this(height, blockHash, blockBytes, txHashes, stateWrites, events, headMeta, List.of(), List.of());
    }
}
