package dev.verity.ledger.state;

import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.core.trie.TrieProof;

/**
 * A row of the state proven against a state root: {@code value} is the encoded row, or null for a row that is
 * absent. Anyone holding the root (from a block header) checks it with {@link #verify()} alone.
 */
public record StateProof(Hash root, byte[] key, byte[] value, TrieProof proof) {
    public boolean verify() {
        Hash keyPath = Sha256.digest(key);
        return value == null ? proof.provesAbsent(root, keyPath) : proof.provesPresent(root, keyPath, Sha256.digest(value));
    }
}
