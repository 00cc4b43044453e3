package dev.verity.ledger.state;

import dev.verity.core.PublicKey;
import dev.verity.protocol.tx.FailureReason;

/** A node's accepted report that it could not run a job: why, in its words, and when. */
public record JobFailure(FailureReason reason, String message, PublicKey node, long height) {}
