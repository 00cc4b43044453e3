/**
 * Proving one transition of an execution trace, for disputes the chain settles by re-running a single step:
 * exact float32/int8 conversion of job bytes ({@link dev.verity.inference.trace.IoQuantization}), a Merkle
 * commitment to a program with one leaf per op ({@link dev.verity.inference.trace.ProgramCommitment}), a
 * job's trace values ({@link dev.verity.inference.trace.TraceValues}), witnesses
 * ({@link dev.verity.inference.trace.StepWitness}, built by {@link dev.verity.inference.trace.OneStepProver}) and
 * the check itself ({@link dev.verity.inference.trace.OneStepVerifier}). Pure, like the engine.
 */
package dev.verity.inference.trace;
