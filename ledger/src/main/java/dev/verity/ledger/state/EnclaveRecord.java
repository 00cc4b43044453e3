package dev.verity.ledger.state;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;

/** An enclave key registered by a node with a verified attestation. */
public record EnclaveRecord(PublicKey enclaveKey, PublicKey node, String format, Hash measurement, Hash attestationHash,
                            long registeredAt) {}
