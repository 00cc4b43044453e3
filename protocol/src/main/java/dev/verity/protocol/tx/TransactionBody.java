package dev.verity.protocol.tx;

import dev.verity.core.PublicKey;

/** The signed part of a transaction. */
public record TransactionBody(String chainId, PublicKey sender, long nonce, Payload payload) {}
