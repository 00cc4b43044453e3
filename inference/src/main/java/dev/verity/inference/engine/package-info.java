/**
 * The integer engine: runs a program as an ordered plan of steps (ops, or slices of an op's output), each
 * step re-runnable alone from the state before it and followed by the SHA-256 of the complete state
 * ({@link dev.verity.inference.engine.IntegerEngine}, {@link dev.verity.inference.engine.State}). Scalar and
 * Vector API kernels ({@link dev.verity.inference.engine.Kernels}) give identical bytes.
 */
package dev.verity.inference.engine;
