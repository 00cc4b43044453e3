package dev.verity.inference.engine;

/**
 * How this machine runs a program. Nothing here changes a result: the step plan and every byte of every
 * state are the same for every choice.
 *
 * @param vectorized use the Vector API kernels ({@link Kernels#vector()}) instead of the scalar ones, when the
 *        JVM has the {@code jdk.incubator.vector} module; without it the engine falls back to the scalar
 *        kernels (same bytes; {@link IntegerEngine#kernels()} tells which run)
 */
public record EngineOptions(boolean vectorized) {
    public static final EngineOptions SCALAR = new EngineOptions(false);
    public static final EngineOptions VECTORIZED = new EngineOptions(true);
}
