/**
 * Quantized integer programs: {@link dev.verity.inference.program.Program} (named int8/int16/int32 tensors
 * with fixed-point quantization, constants, and a straight-line list of
 * {@link dev.verity.inference.program.Op}s), their validation and canonical encoding
 * ({@link dev.verity.inference.program.ProgramCodec}). Reals appear only as fixed-point
 * {@link dev.verity.inference.program.Requantization}s computed at import.
 */
package dev.verity.inference.program;
