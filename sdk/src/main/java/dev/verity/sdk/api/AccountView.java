package dev.verity.sdk.api;

/** An account: balance in base units, the next nonce the chain expects, and the next nonce counting pending transactions. */
public record AccountView(String id, long balance, long nonce, long nextNonce) {}
