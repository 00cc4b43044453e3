package dev.verity.modelhub.lm;

import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.program.Program;
import dev.verity.modelhub.lm.export.DecoderOnnxWeights;
import dev.verity.modelhub.lm.quantize.DecoderCalibration;
import dev.verity.modelhub.lm.quantize.DecoderQuantizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The language model that ships with the project, as class-path resources of this module: the ONNX decoder
 * ({@value #MODEL}), its tokenizer ({@value #TOKENIZER}) and its quantized integer step program ({@value #PROGRAM}, made by
 * {@code verity lm quantize}; see {@code lm/TRAINING.md}).
 */
public final class ShippedLanguageModel {
    public static final String MODEL = "/lm/model.onnx";
    public static final String TOKENIZER = "/lm/tokenizer.json";
    public static final String PROGRAM = "/lm/integer-program.bin";
    /** Elements per engine step: a whole key or value cache ([4, 128, 32]) is written in one step. */
    public static final int SLICE_ELEMENTS = 16_384;

    private ShippedLanguageModel() {}

    public static byte[] onnx() {
        return resource(MODEL);
    }

    public static byte[] tokenizer() {
        return resource(TOKENIZER);
    }

    /** The shipped step program's bytes ({@code Program.encode()}). */
    public static byte[] programBytes() {
        return resource(PROGRAM);
    }

    /** The shipped step program with its tensors' roles. */
    public static DecoderStep step() {
        return DecoderQuantizer.stepOf(Program.decode(programBytes()));
    }

    /**
     * The integer step program of an ONNX decoder that {@code verity lm train} exported, calibrated on {@code windows}
     * (token sequences from position 0), in slices of {@code sliceElements}: deterministic for the same inputs.
     */
    public static DecoderStep quantize(byte[] onnx, List<int[]> windows, int sliceElements) {
        DecoderWeights weights = DecoderOnnxWeights.read(onnx);
        return DecoderQuantizer.quantize(weights, DecoderCalibration.calibrate(weights, windows), sliceElements);
    }

    private static byte[] resource(String name) {
        try (InputStream in = ShippedLanguageModel.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("class path resource " + name + " is missing from the modelhub jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
