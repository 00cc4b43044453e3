package dev.verity.ledger.rules;

import dev.verity.ledger.state.Unbonding;
import java.util.ArrayList;
import java.util.List;

/**
 * What is left of unbonding entries after a slash takes {@code amount} from them, newest entry first (the stake that
 * left last is the stake that was bonded last), as a list the caller may go on changing, and what could not be taken
 * ({@code left}).
 */
record UnbondingCut(List<Unbonding> entries, long left) {

    static UnbondingCut newestFirst(List<Unbonding> unbonding, long amount) {
        List<Unbonding> entries = new ArrayList<>(unbonding);
        long rest = amount;
        for (int i = entries.size() - 1; i >= 0 && rest > 0; i--) {
            Unbonding u = entries.get(i);
            long take = Math.min(rest, u.amount());
            rest -= take;
            if (take == u.amount()) {
                entries.remove(i);
            } else {
                entries.set(i, new Unbonding(u.amount() - take, u.releaseHeight()));
            }
        }
        return new UnbondingCut(entries, rest);
    }
}
