package dev.verity.ledger.rules;

import dev.verity.ledger.RejectCode;
import dev.verity.ledger.TransactionRejectedException;

/** Shorthand for refusing a transaction. */
final class Rejections {
    private Rejections() {}

    static TransactionRejectedException reject(RejectCode code, String message) {
        return new TransactionRejectedException(code, message);
    }

    static void require(boolean condition, RejectCode code, String message) {
        if (!condition) {
            throw new TransactionRejectedException(code, message);
        }
    }
}
