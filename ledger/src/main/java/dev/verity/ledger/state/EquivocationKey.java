package dev.verity.ledger.state;

import dev.verity.core.PublicKey;

/** A validator and the height at which it was slashed for signing two different votes. */
public record EquivocationKey(PublicKey validator, long height) implements Comparable<EquivocationKey> {
    @Override
    public int compareTo(EquivocationKey o) {
        int c = validator.compareTo(o.validator);
        return c != 0 ? c : Long.compare(height, o.height);
    }
}
