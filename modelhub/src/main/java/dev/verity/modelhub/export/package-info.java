/** Writing the model hub's {@link dev.verity.modelhub.graph.Graph} back out as ONNX model bytes. */
package dev.verity.modelhub.export;
