/**
 * From float graphs to integer programs: calibration with the float engine
 * ({@link dev.verity.modelhub.quantize.Calibrator}), quantization
 * ({@link dev.verity.modelhub.quantize.Quantizer}; floating point is used here, at import, and never in the
 * program), fixed-point helpers and model package assembly.
 */
package dev.verity.modelhub.quantize;
