package dev.verity.ledger.state;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;

/**
 * A provable result waiting to settle: the node that posted it, its trace root, its phase and the
 * height at which the phase ends ({@code phaseEnds}); {@code windowEnds} is the end of the challenge
 * window of an {@code OPTIMISTIC} result (0 for {@code SAMPLED}); {@code auditor} and
 * {@code auditAttempts} concern {@code SAMPLED} audits.
 */
public record ResultClaim(Hash job, PublicKey node, Hash root, ClaimPhase phase, long postedAt, long phaseEnds,
                          long windowEnds, PublicKey auditor, int auditAttempts) {

    public ResultClaim inPhase(ClaimPhase next, long ends) {
        return new ResultClaim(job, node, root, next, postedAt, ends, windowEnds, auditor, auditAttempts);
    }

    public ResultClaim auditedBy(PublicKey who, long ends, int attempts) {
        return new ResultClaim(job, node, root, ClaimPhase.AUDITING, postedAt, ends, windowEnds, who, attempts);
    }
}
