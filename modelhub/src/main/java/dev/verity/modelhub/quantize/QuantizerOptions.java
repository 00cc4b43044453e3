package dev.verity.modelhub.quantize;

/**
 * Quantizer settings.
 *
 * @param sliceElements the program's step granularity (see {@code Program.sliceElements}): more elements
 *        per step mean fewer steps and state hashes, fewer mean smaller steps and more parallelism
 */
public record QuantizerOptions(int sliceElements) {
    public static final int DEFAULT_SLICE_ELEMENTS = 4096;
    public static final QuantizerOptions DEFAULT = new QuantizerOptions(DEFAULT_SLICE_ELEMENTS);

    public QuantizerOptions {
        if (sliceElements < 1) {
            throw new IllegalArgumentException("sliceElements must be at least 1");
        }
    }
}
