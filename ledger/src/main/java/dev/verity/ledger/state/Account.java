package dev.verity.ledger.state;

/** A balance in base units and the next nonce the account must use. */
public record Account(long balance, long nonce) {
    public static final Account EMPTY = new Account(0, 0);

    public Account withBalance(long b) {
        return new Account(b, nonce);
    }

    public Account nextNonce() {
        return new Account(balance, nonce + 1);
    }
}
