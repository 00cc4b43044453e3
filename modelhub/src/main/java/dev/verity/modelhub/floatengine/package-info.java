/**
 * The float reference engine: a plain-Java, deterministic interpreter of ONNX graphs
 * ({@link dev.verity.modelhub.floatengine.FloatEngine}) over {@link dev.verity.modelhub.floatengine.FloatTensor}s. It
 * is the oracle that quantized models are measured against and the source of calibration activations
 * ({@link dev.verity.modelhub.floatengine.ActivationObserver}).
 */
package dev.verity.modelhub.floatengine;
