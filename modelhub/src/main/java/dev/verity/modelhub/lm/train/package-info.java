/**
 * Training of the GPT-2-style decoder ({@link dev.verity.modelhub.lm.DecoderConfig}) in plain Java: a flat parameter
 * layout with Hugging Face names, the forward and backward pass written out by hand with vectorised kernels, AdamW with
 * warm-up and cosine decay, global-norm clipping, a checkpoint file, a bigram baseline and sampling. The entry point
 * is {@link dev.verity.modelhub.lm.train.LanguageModelTraining}.
 *
 * <p>Determinism: initial weights and batch offsets come from {@code java.util.Random} seeded by the caller; a batch
 * is cut into a fixed number of chunks whose gradients are summed in order, so the weights do not depend on the
 * thread count. They do depend on the chunk count and on the machine's vector width (the order of additions inside a
 * vector); training is not part of the provable path, only its exported weights are.
 */
package dev.verity.modelhub.lm.train;
