package dev.verity.ledger;

/** A transaction the ledger refuses. The state is left exactly as it was before the transaction. */
public final class TransactionRejectedException extends RuntimeException {
    private final RejectCode code;

    public TransactionRejectedException(RejectCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public RejectCode code() {
        return code;
    }
}
