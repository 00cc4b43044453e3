package dev.verity.economics.sim;

import dev.verity.economics.calculator.GpuCatalog;
import dev.verity.economics.calculator.GpuSpec;

/** The GPU data file ({@code gpus.json}) as the simulator reads it: names, throughput and cost figures. */
public final class Gpus {
    /** The bundled catalog, read once. */
    public static final GpuCatalog CATALOG = GpuCatalog.load();

    private Gpus() {}

    /** The GPU named {@code name} (id, name or alias), or an error listing the known ones. */
    public static GpuSpec get(String name) {
        return CATALOG.get(name);
    }

    /** Compute units per second of {@code gpu}: an H100's (the data file's figure) times its relative throughput. */
    public static double computeUnitsPerSecond(GpuSpec gpu) {
        return CATALOG.h100ComputeUnitsPerSecond().value() * gpu.relativeThroughput().value();
    }
}
