package dev.verity.ledger.state;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Hardware;
import java.util.List;

/**
 * A compute node. Its id is the operator's account key. {@code earned} and {@code penalized} are
 * running totals so an operator sees them without replaying events. {@code capacity} is the most jobs it
 * declared it can run at once; {@code inFlight} the jobs assigned to it that wait for its answer (one per
 * deadline entry); the chain never assigns it more than its capacity.
 */
public record NodeRecord(
        PublicKey id,
        long stake,
        List<Hash> models,
        List<VerificationMode> modes,
        Hardware hardware,
        NodeStatus status,
        long jailedUntil,
        int missedDeadlines,
        List<Unbonding> unbonding,
        PublicKey enclaveKey,
        long registeredAt,
        long earned,
        long penalized,
        long jobsCompleted,
        int capacity,
        int inFlight) {

    public NodeRecord {
        models = List.copyOf(models);
        modes = List.copyOf(modes);
        unbonding = List.copyOf(unbonding);
    }

    public boolean serves(Hash model, VerificationMode mode) {
        return models.contains(model) && modes.contains(mode) && (mode != VerificationMode.TEE || enclaveKey != null);
    }

    public NodeRecord withCapacity(int c) {
        return new NodeRecord(id, stake, models, modes, hardware, status, jailedUntil, missedDeadlines, unbonding, enclaveKey,
                registeredAt, earned, penalized, jobsCompleted, c, inFlight);
    }

    /** One more ({@code +1}) or one fewer ({@code -1}) job waiting for this node's answer. */
    public NodeRecord withInFlight(int n) {
        return new NodeRecord(id, stake, models, modes, hardware, status, jailedUntil, missedDeadlines, unbonding, enclaveKey,
                registeredAt, earned, penalized, jobsCompleted, capacity, n);
    }

    /** Why the chain would not assign this node a job now, or null when it would (given room under its capacity). */
    public String notAssignableBecause(long minStake, long height) {
        if (status == NodeStatus.JAILED) {
            return "jailed until height " + jailedUntil + (height >= jailedUntil ? " (may unjail now)" : "");
        }
        if (stake < minStake) {
            return (unbonding.isEmpty() ? "stake " : "stake (unbonding the rest) ") + stake + " is below the minimum " + minStake;
        }
        if (inFlight >= capacity) {
            return "at capacity: " + inFlight + " of " + capacity + " jobs in flight";
        }
        return null;
    }

    public NodeRecord withStake(long s) {
        return new NodeRecord(id, s, models, modes, hardware, status, jailedUntil, missedDeadlines, unbonding, enclaveKey,
                registeredAt, earned, penalized, jobsCompleted, capacity, inFlight);
    }

    public NodeRecord withUnbonding(long s, List<Unbonding> u) {
        return new NodeRecord(id, s, models, modes, hardware, status, jailedUntil, missedDeadlines, u, enclaveKey,
                registeredAt, earned, penalized, jobsCompleted, capacity, inFlight);
    }

    public NodeRecord withStatus(NodeStatus st, long until, int misses) {
        return new NodeRecord(id, stake, models, modes, hardware, st, until, misses, unbonding, enclaveKey,
                registeredAt, earned, penalized, jobsCompleted, capacity, inFlight);
    }

    public NodeRecord withEnclave(PublicKey key) {
        return new NodeRecord(id, stake, models, modes, hardware, status, jailedUntil, missedDeadlines, unbonding, key,
                registeredAt, earned, penalized, jobsCompleted, capacity, inFlight);
    }

    public NodeRecord paid(long amount) {
        return new NodeRecord(id, stake, models, modes, hardware, status, jailedUntil, missedDeadlines, unbonding, enclaveKey,
                registeredAt, earned + amount, penalized, jobsCompleted + 1, capacity, inFlight);
    }

    /** Stake (and unbonding entries) reduced by a slash of {@code amount} in total. */
    public NodeRecord slashed(long newStake, List<Unbonding> newUnbonding, long amount) {
        return new NodeRecord(id, newStake, models, modes, hardware, status, jailedUntil, missedDeadlines, newUnbonding,
                enclaveKey, registeredAt, earned, penalized + amount, jobsCompleted, capacity, inFlight);
    }

    public NodeRecord penalizedBy(long amount, int misses) {
        return new NodeRecord(id, stake - amount, models, modes, hardware, status, jailedUntil, misses, unbonding, enclaveKey,
                registeredAt, earned, penalized + amount, jobsCompleted, capacity, inFlight);
    }
}
