/**
 * Runs ONNX's backend conformance test data (model, inputs, expected outputs) on the float engine and reports
 * PASS / FAIL / UNSUPPORTED per test ({@link dev.verity.modelhub.conformance.ConformanceRunner}).
 */
package dev.verity.modelhub.conformance;
