/** Export of a trained decoder to ONNX in the Hugging Face decoder layout, with a key/value cache. */
package dev.verity.modelhub.lm.export;
