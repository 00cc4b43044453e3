package dev.verity.ledger.state;

import dev.verity.core.ByteKey;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.core.trie.MemoryTrieStore;
import dev.verity.core.trie.MerkleTrie;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Checks stored state without trusting its stored trie: every row must decode with its table's codecs, and the root
 * is recomputed from the rows alone. {@code chain verify} and {@code chain repair} compare it with the stored trie's
 * root and the head block's.
 */
public final class StateAudit {
    private static final int CHUNK = 1024;
    private static final int BATCH = 50_000;

    /** A stored row that does not decode, and why. */
    public record BadRow(byte[] key, String why) {}

    /** The root recomputed from the rows, how many rows there are, and the rows that did not decode. */
    public record Result(Hash rowsRoot, long rows, List<BadRow> badRows) {
        public boolean clean() {
            return badRows.isEmpty();
        }
    }

    private StateAudit() {}

    public static Result recompute(StateBackend backend) {
        LedgerState layout = new LedgerState();
        MemoryTrieStore trie = new MemoryTrieStore();
        TreeMap<Hash, Hash> batch = new TreeMap<>();
        List<BadRow> bad = new ArrayList<>();
        long rows = 0;
        byte[] cursor = {1};
        byte[] end = {(byte) StateKeys.TRIE_NAMESPACE};
        while (true) {
            List<StateBackend.Row> chunk = backend.range(cursor, end, CHUNK);
            for (StateBackend.Row row : chunk) {
                rows++;
                String problem = layout.checkRow(row.key(), row.value());
                if (problem != null) {
                    bad.add(new BadRow(row.key(), problem));
                }
                batch.put(Sha256.digest(row.key()), Sha256.digest(row.value()));
                if (batch.size() >= BATCH) {
                    trie.apply(MerkleTrie.update(trie, batch));
                    batch.clear();
                }
            }
            if (chunk.size() < CHUNK) {
                break;
            }
            cursor = StateKeys.successor(new ByteKey(chunk.get(chunk.size() - 1).key())).bytes();
        }
        if (!batch.isEmpty()) {
            trie.apply(MerkleTrie.update(trie, batch));
        }
        return new Result(MerkleTrie.root(trie), rows, bad);
    }
}
