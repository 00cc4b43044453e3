package dev.verity.receipt;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.protocol.consensus.ValidatorSet;
import java.util.Objects;

/**
 * The validator set a client trusts, where a receipt's checks start: the chain's id, the set, and the height of the
 * block whose state holds it ({@code fromHeight}; 0 for the genesis set). The set stored in the state after block
 * {@code h} signs block {@code h + 1} and the following ones, until the set changes; a receipt carries the changes
 * above {@code fromHeight} that its blocks need.
 *
 * <p>Where it comes from is the client's choice: a trust file written when the client joined (from a validator it
 * trusted, or the genesis file), or the set a validator serves at {@code GET /v1/validators} (trusted on first use).
 */
public record TrustedValidators(String chainId, ValidatorSet set, long fromHeight) {
    public TrustedValidators {
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(set, "set");
        int n = Bytes.utf8(chainId).length;
        if (n < 1 || n > JobReceipt.MAX_CHAIN_ID_BYTES) {
            throw new IllegalArgumentException("a chain id is 1 to " + JobReceipt.MAX_CHAIN_ID_BYTES + " bytes, got " + n);
        }
        if (set.members().isEmpty()) {
            throw new IllegalArgumentException("a trusted validator set holds at least one validator");
        }
        if (fromHeight < 0) {
            throw new IllegalArgumentException("the height of a trusted set is 0 (genesis) or more, got " + fromHeight);
        }
    }

    /** The hash that finality votes signed by this set name ({@link ValidatorSet#hash()}). */
    public Hash setHash() {
        return set.hash();
    }
}
