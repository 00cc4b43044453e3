package dev.verity.ledger.state;

import dev.verity.core.Amounts;
import java.util.List;

/**
 * A validator's stake on its way out, after it left the set or was removed from it for an equivocation: unbonding
 * entries, oldest first, each withdrawable from its release height. Equivocation evidence still reaches them.
 */
public record ValidatorUnbonding(List<Unbonding> entries) {
    /** The most entries one validator has at once; a leave beyond it is refused until matured ones are withdrawn. */
    public static final int MAX_ENTRIES = 16;

    public ValidatorUnbonding {
        entries = List.copyOf(entries);
    }

    public long total() {
        long total = 0;
        for (Unbonding u : entries) {
            total = Amounts.add(total, u.amount());
        }
        return total;
    }
}
