package dev.verity.sdk.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A compute node as the API shows it. Amounts in base units. {@code capacity} is the most jobs it declared it runs at
 * once and {@code jobsInFlight} the jobs assigned to it that wait for its answer. {@code assignable} says whether the
 * chain would give it a job now; when not, {@code notAssignableBecause} says why (jailed, stake below the minimum,
 * or at capacity).
 */
public record NodeView(String id, long stake, List<String> models, List<String> modes, String gpuModel, int gpuCount,
                       String cpuModel, int cpuCount, String status, long jailedUntil, int missedDeadlines,
                       List<UnbondingView> unbonding, String enclaveKey, long registeredAt, long earned, long penalized,
                       long jobsCompleted, int capacity, int jobsInFlight, boolean assignable,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String notAssignableBecause,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String endpoint) {
    public record UnbondingView(long amount, long releaseHeight) {}
}
