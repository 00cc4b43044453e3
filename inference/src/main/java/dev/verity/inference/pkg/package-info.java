/**
 * Model packages: the original ONNX bytes, the quantized program and metadata in one canonical binary
 * format, identified by the SHA-256 of its bytes ({@link dev.verity.inference.pkg.ModelPackage}).
 */
package dev.verity.inference.pkg;
