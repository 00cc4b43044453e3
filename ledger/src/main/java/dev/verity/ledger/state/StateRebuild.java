package dev.verity.ledger.state;

import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * Rebuilds the state trie from a state's rows alone, as a validator does with a snapshot it received: it hashes every
 * row as the ledger does (key path SHA-256 of the storage key, value hash SHA-256 of the value), builds the trie from
 * nothing, and hands the rows and the trie's nodes to {@code sink}. The root it returns is what the rows commit to, so
 * comparing it with a certified state root checks every byte of the snapshot.
 */
public final class StateRebuild {
    private StateRebuild() {}

    /**
     * @param rows the state's rows (storage key, value), none of them a trie node
     * @throws IllegalArgumentException when a row is a trie node or a key repeats
     */
    public static Hash rebuild(List<StateBackend.Row> rows, StateSink sink) {
        TrieChange[] changes = new TrieChange[rows.size()];
        MessageDigest md = Sha256.newDigest();
        for (int i = 0; i < changes.length; i++) {
            StateBackend.Row row = rows.get(i);
            if (row.key().length == 0 || (row.key()[0] & 0xFF) == StateKeys.TRIE_NAMESPACE) {
                throw new IllegalArgumentException("row " + i + " is not a state row (empty key, or a trie node's)");
            }
            md.update(row.key());
            byte[] keyPath = md.digest();
            md.update(row.value());
            changes[i] = new TrieChange(keyPath, Sha256.finish(md));
        }
        Arrays.sort(changes);
        for (int i = 1; i < changes.length; i++) {
            if (Arrays.equals(changes[i - 1].keyPath(), changes[i].keyPath())) {
                throw new IllegalArgumentException("a row's key appears twice");
            }
        }
        StateTrie trie = new StateTrie(new MemoryBackend());
        if (changes.length > 0) {
            trie.update(changes);
        }
        Hash root = trie.root();
        for (StateBackend.Row row : rows) {
            sink.write(row.key(), row.value());
        }
        trie.drain(sink);
        return root;
    }
}
