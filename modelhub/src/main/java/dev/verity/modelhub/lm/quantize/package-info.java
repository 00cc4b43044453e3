/**
 * Quantizing a {@link dev.verity.modelhub.lm.DecoderWeights decoder} into the integer engine's one-token step program
 * ({@link dev.verity.inference.generate.DecoderStep}): activation ranges from a float pass over calibration sequences,
 * symmetric int8 weights, fixed-point factors. Floating point is allowed here, at import; the program holds none.
 */
package dev.verity.modelhub.lm.quantize;
