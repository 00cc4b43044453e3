package dev.verity.sdk.api;

import java.util.List;

/** A compute node as the API shows it. Amounts in base units. */
public record NodeView(String id, long stake, List<String> models, List<String> modes, String gpuModel, int gpuCount,
                       String cpuModel, int cpuCount, String status, long jailedUntil, int missedDeadlines,
                       List<UnbondingView> unbonding, String enclaveKey, long registeredAt, long earned, long penalized,
                       long jobsCompleted) {
    public record UnbondingView(long amount, long releaseHeight) {}
}
