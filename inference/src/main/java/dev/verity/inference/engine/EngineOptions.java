package dev.verity.inference.engine;

/**
 * How this machine runs a program. Nothing here changes a result: the step plan and every byte of every
 * state are the same for every choice.
 *
 * @param vectorized use the Vector API kernels ({@link Kernels#vector()}) instead of the scalar ones
 */
public record EngineOptions(boolean vectorized) {
    public static final EngineOptions SCALAR = new EngineOptions(false);
    public static final EngineOptions VECTORIZED = new EngineOptions(true);
}
