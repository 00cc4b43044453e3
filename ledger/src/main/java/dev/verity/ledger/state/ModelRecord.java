package dev.verity.ledger.state;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.protocol.schema.InputSchema;

/** A model registered by the SHA-256 of its file, with the schema every job input must match. */
public record ModelRecord(Hash id, PublicKey owner, String name, String inputDescription, String outputDescription,
                          long computeUnits, InputSchema inputSchema, long registeredAt) {}
