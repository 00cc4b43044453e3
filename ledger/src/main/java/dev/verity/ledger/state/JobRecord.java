package dev.verity.ledger.state;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.protocol.VerificationMode;
import java.util.List;

/**
 * A job. {@code mode} is the mode in force (it moves down {@code fallbackModes} when no node can
 * serve it); {@code fee} is what settlement will charge, fixed when the mode is chosen.
 * {@code missedBy} lists nodes that let it expire, so it is not handed back to them. {@code basePrice}
 * and {@code tip} (base units per 10^15 compute units) are the fee market's price when it was submitted and
 * the client's tip; the fee of whichever mode it ends up in is computed from them.
 */
public record JobRecord(
        Hash id,
        PublicKey client,
        Hash model,
        Hash inputHash,
        VerificationMode mode,
        List<VerificationMode> fallbackModes,
        long maxFee,
        long fee,
        long basePrice,
        long tip,
        long deadlineBlocks,
        JobStatus status,
        PublicKey assignedNode,
        long assignedAt,
        long deadlineHeight,
        int reassignments,
        List<PublicKey> missedBy,
        long submittedAt,
        long queuedAt,
        Hash outputHash,
        long settledAt) {

    public JobRecord {
        fallbackModes = List.copyOf(fallbackModes);
        missedBy = List.copyOf(missedBy);
    }

    public JobRecord assigned(PublicKey node, long height, VerificationMode m, List<VerificationMode> fallbacks, long newFee) {
        return new JobRecord(id, client, model, inputHash, m, fallbacks, maxFee, newFee, basePrice, tip, deadlineBlocks, JobStatus.ASSIGNED,
                node, height, height + deadlineBlocks, reassignments, missedBy, submittedAt, queuedAt, outputHash, settledAt);
    }

    public JobRecord requeued(List<PublicKey> missed, long height) {
        return new JobRecord(id, client, model, inputHash, mode, fallbackModes, maxFee, fee, basePrice, tip, deadlineBlocks, JobStatus.QUEUED,
                null, 0, 0, reassignments + 1, missed, submittedAt, height, outputHash, settledAt);
    }

    /** The same job charged {@code newFee} at settlement (a generation job pays for the tokens it generated). */
    public JobRecord withFee(long newFee) {
        return new JobRecord(id, client, model, inputHash, mode, fallbackModes, maxFee, newFee, basePrice, tip, deadlineBlocks, status,
                assignedNode, assignedAt, deadlineHeight, reassignments, missedBy, submittedAt, queuedAt, outputHash, settledAt);
    }

    public JobRecord settled(Hash output, long height) {
        return new JobRecord(id, client, model, inputHash, mode, fallbackModes, maxFee, fee, basePrice, tip, deadlineBlocks, JobStatus.SETTLED,
                assignedNode, assignedAt, deadlineHeight, reassignments, missedBy, submittedAt, queuedAt, output, height);
    }

    /** A provable result was posted: it waits for its window or audit in {@code status} (VERIFYING or DISPUTED). */
    public JobRecord withStatus(JobStatus next, Hash output) {
        return new JobRecord(id, client, model, inputHash, mode, fallbackModes, maxFee, fee, basePrice, tip, deadlineBlocks, next,
                assignedNode, assignedAt, deadlineHeight, reassignments, missedBy, submittedAt, queuedAt, output, settledAt);
    }

    /** Back to the queue in the next mode of its ladder, after its enclave was revoked. */
    public JobRecord movedDown(VerificationMode next, List<VerificationMode> rest, long height) {
        return new JobRecord(id, client, model, inputHash, next, rest, maxFee, fee, basePrice, tip, deadlineBlocks, JobStatus.QUEUED,
                null, 0, 0, reassignments, missedBy, submittedAt, height, outputHash, settledAt);
    }

    /** Its node's failure report for the input was accepted: final, paid like a result. */
    public JobRecord failed(long height) {
        return new JobRecord(id, client, model, inputHash, mode, fallbackModes, maxFee, fee, basePrice, tip, deadlineBlocks, JobStatus.FAILED,
                assignedNode, assignedAt, deadlineHeight, reassignments, missedBy, submittedAt, queuedAt, outputHash, height);
    }

    public JobRecord cancelled(long height) {
        return new JobRecord(id, client, model, inputHash, mode, fallbackModes, maxFee, fee, basePrice, tip, deadlineBlocks, JobStatus.CANCELLED,
                null, assignedAt, deadlineHeight, reassignments, missedBy, submittedAt, queuedAt, outputHash, height);
    }

    public JobRecord expired(long height, List<PublicKey> missed) {
        return new JobRecord(id, client, model, inputHash, mode, fallbackModes, maxFee, fee, basePrice, tip, deadlineBlocks, JobStatus.EXPIRED,
                null, assignedAt, deadlineHeight, reassignments, missed, submittedAt, queuedAt, outputHash, height);
    }
}
