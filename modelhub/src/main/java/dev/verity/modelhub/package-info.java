/** The model hub: ONNX import, the float reference engine, quantization, model packages, training and conformance. */
package dev.verity.modelhub;
