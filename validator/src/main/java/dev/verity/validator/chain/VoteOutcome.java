package dev.verity.validator.chain;

import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.SignedVote;

/** What applying one finality vote did. */
public sealed interface VoteOutcome {
    /** Stored; the block is not final yet (or already was). */
    record Recorded(SignedVote vote) implements VoteOutcome {}

    /** The same vote again (a resend after a restart): nothing changes. */
    record Duplicate(SignedVote vote) implements VoteOutcome {}

    /** This vote completed the block's certificate. */
    record Certified(FinalityCertificate certificate) implements VoteOutcome {}

    /** The validator already voted differently at this height: evidence for the ledger to slash it. */
    record Equivocation(SignedVote first, SignedVote second) implements VoteOutcome {}

    /** Not counted, with the reason (another chain, not a member, a bad signature, a height not executed here). */
    record Ignored(String reason) implements VoteOutcome {}
}
