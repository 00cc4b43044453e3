/**
 * Small, seeded, deterministic training in plain Java: the digits and Fashion-MNIST data sets, a
 * multi-layer perceptron and a small convolutional network with their backward passes written out,
 * Adam, and export of the trained network as an ONNX graph. The entry point is {@link
 * dev.verity.modelhub.train.ModelTraining}.
 *
 * <p>Determinism: weights come from {@code java.util.Random} seeded by the caller, mini-batch order
 * from a second seeded {@code Random}; the arithmetic is single-threaded float arithmetic with
 * {@code StrictMath}, so the same data, options and seed give bit-identical weights on any JVM.
 */
package dev.verity.modelhub.train;
