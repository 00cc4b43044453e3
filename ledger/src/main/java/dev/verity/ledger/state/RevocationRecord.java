package dev.verity.ledger.state;

import dev.verity.protocol.governance.RevocationTarget;

/** A revocation in force: what, why, and since which height. */
public record RevocationRecord(RevocationTarget target, String reason, long height) {}
