package dev.verity.ledger.state;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;

/** A model registered by the SHA-256 of its file; {@code inputBytes} is the exact job input size, 0 for any. */
public record ModelRecord(Hash id, PublicKey owner, String name, String inputDescription, String outputDescription,
                          long computeUnits, long inputBytes, long registeredAt) {}
