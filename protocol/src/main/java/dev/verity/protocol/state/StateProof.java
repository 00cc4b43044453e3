package dev.verity.protocol.state;

import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.core.trie.InvalidProofException;
import dev.verity.core.trie.TrieProof;
import java.util.Optional;

/**
 * A row of the state proven against a state root: {@code key} is the row's storage key ({@link StateTable#rowKey}),
 * {@code value} the encoded row, or null for a row that is absent. Anyone holding the root (from a block header)
 * checks it with {@link #verify()} alone; the ledger makes them and clients check them with this one definition.
 */
public record StateProof(Hash root, byte[] key, byte[] value, TrieProof proof) {
    public boolean verify() {
        return problem() == null;
    }

    /** Why this proof does not hold, in words, or null when it does. */
    public String problem() {
        Hash keyPath = Sha256.digest(key);
        Optional<Hash> proven;
        try {
            proven = proof.value(root, keyPath);
        } catch (InvalidProofException e) {
            return e.getMessage();
        }
        if (value == null) {
            return proven.isEmpty() ? null : "the proof shows the row present (value hash " + proven.get() + "), but it is "
                    + "claimed absent";
        }
        if (proven.isEmpty()) {
            return "the proof shows the row absent, but a value is claimed for it";
        }
        Hash valueHash = Sha256.digest(value);
        return proven.get().equals(valueHash) ? null : "the row's bytes hash to " + valueHash + ", but the proof holds value "
                + "hash " + proven.get();
    }
}
