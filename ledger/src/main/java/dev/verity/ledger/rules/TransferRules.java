package dev.verity.ledger.rules;

import dev.verity.core.PublicKey;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.LedgerState;
import dev.verity.protocol.tx.Payload;

/** Plain transfers between accounts. */
public final class TransferRules {
    private TransferRules() {}

    public static void transfer(LedgerState state, PublicKey sender, Payload.Transfer t) {
        Balances.requirePositive(t.amount(), "a transfer amount");
        Balances.debit(state, sender, t.amount(), "the transfer");
        Balances.credit(state, t.to(), t.amount());
        state.emit(LedgerEvent.of(EventType.TRANSFER, null, null, t.to(), t.amount(), "transfer from " + sender.hex()));
    }
}
