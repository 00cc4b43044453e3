package dev.verity.ledger.rules;

import static dev.verity.ledger.rules.Rejections.reject;
import static dev.verity.ledger.rules.Rejections.require;

import dev.verity.core.Amounts;
import dev.verity.core.PublicKey;
import dev.verity.ledger.RejectCode;
import dev.verity.ledger.state.Account;
import dev.verity.ledger.state.LedgerState;

/** Moves base units between accounts and the treasury, refusing overdrafts and overflows. */
public final class Balances {
    private Balances() {}

    public static void debit(LedgerState state, PublicKey who, long amount, String what) {
        Account a = state.account(who);
        if (a.balance() < amount) {
            throw reject(RejectCode.INSUFFICIENT_FUNDS,
                    what + " needs " + amount + " base units but the balance of " + who.hex() + " is " + a.balance());
        }
        state.accounts.put(who, a.withBalance(a.balance() - amount));
    }

    public static void credit(LedgerState state, PublicKey who, long amount) {
        if (amount == 0) {
            return;
        }
        Account a = state.account(who);
        state.accounts.put(who, a.withBalance(Amounts.add(a.balance(), amount)));
    }

    public static void creditTreasury(LedgerState state, long amount) {
        state.setGlobal(LedgerState.GLOBAL_TREASURY, Amounts.add(state.global(LedgerState.GLOBAL_TREASURY), amount));
    }

    static void requirePositive(long amount, String what) {
        require(amount > 0, RejectCode.INVALID_AMOUNT, what + " must be more than zero, got " + amount);
    }
}
