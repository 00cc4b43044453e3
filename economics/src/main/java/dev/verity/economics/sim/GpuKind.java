package dev.verity.economics.sim;

import java.util.Locale;

/**
 * The GPUs a simulated fleet is made of, with their inference throughput relative to an H100 (dense FP16
 * tensor TFLOPS over the H100 SXM's 989: A100 312, L40S 362, RTX 4090 165, RTX 3090 71; H200 has the H100's
 * tensor cores). An H100 computes {@value #H100_COMPUTE_UNITS_PER_SECOND} compute units per second (Llama 3.1 8B
 * with vLLM at about 12 500 tokens/s, 8 x 10^9 multiply-accumulates per token).
 */
public enum GpuKind {
    H100("H100", "H100 80GB SXM", 1.0),
    H200("H200", "H200 141GB", 1.0),
    A100("A100", "A100 80GB", 0.315),
    L40S("L40S", "L40S 48GB", 0.366),
    RTX_4090("RTX 4090", "RTX 4090 24GB", 0.167),
    RTX_3090("RTX 3090", "RTX 3090 24GB", 0.072);

    public static final double H100_COMPUTE_UNITS_PER_SECOND = 1e14;

    private final String id;
    private final String displayName;
    private final double relativeThroughput;

    GpuKind(String id, String displayName, double relativeThroughput) {
        this.id = id;
        this.displayName = displayName;
        this.relativeThroughput = relativeThroughput;
    }

    /** The GPU's id in the GPU data file and on chain ({@code Hardware.gpuModel}). */
    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public double relativeThroughput() {
        return relativeThroughput;
    }

    public double computeUnitsPerSecond() {
        return relativeThroughput * H100_COMPUTE_UNITS_PER_SECOND;
    }

    /** The GPU named {@code name} (its id, display name or enum name, any case), or an error listing the known ones. */
    public static GpuKind parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('_', ' ');
        for (GpuKind g : values()) {
            if (g.id.toLowerCase(Locale.ROOT).equals(n) || g.displayName.toLowerCase(Locale.ROOT).equals(n)
                    || g.name().toLowerCase(Locale.ROOT).replace('_', ' ').equals(n)) {
                return g;
            }
        }
        StringBuilder known = new StringBuilder();
        for (GpuKind g : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(g.id);
        }
        throw new IllegalArgumentException("unknown GPU '" + name + "'; known GPUs: " + known);
    }
}
