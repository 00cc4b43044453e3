package dev.verity.protocol.tx;

/** A node's declared hardware profile. Counts may be zero (a CPU-only node has no GPU). */
public record Hardware(String gpuModel, int gpuCount, String cpuModel, int cpuCount) {
    public static final int MAX_NAME_LENGTH = 64;

    public static Hardware cpuOnly(String cpuModel, int cpuCount) {
        return new Hardware("", 0, cpuModel, cpuCount);
    }
}
