/**
 * ONNX import: {@link dev.verity.modelhub.onnx.OnnxParser} reads ONNX model and tensor files straight off the protobuf
 * wire format into the model hub's {@link dev.verity.modelhub.graph.Graph}, validating them as it goes (limits in
 * {@link dev.verity.modelhub.onnx.OnnxLimits}); every problem is an
 * {@link dev.verity.modelhub.onnx.OnnxFormatException}.
 */
package dev.verity.modelhub.onnx;
