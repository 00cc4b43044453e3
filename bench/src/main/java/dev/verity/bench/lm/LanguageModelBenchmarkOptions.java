package dev.verity.bench.lm;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The language-model benchmark's options.
 *
 * @param model          the ONNX decoder, or null for the shipped {@code /lm/model.onnx}
 * @param corpus         the directory {@code verity lm corpus} wrote ({@code train.txt}, {@code heldout.txt})
 * @param prompts        held-out windows for the quality comparison
 * @param runs           measured runs per figure (medians), after as many warm-up runs
 * @param promptLengths  prompt lengths for the speed figures
 * @param generated      tokens generated per prompt
 * @param calibration    training windows of a full context that calibrate the quantizer
 * @param sliceElements  the step program's slice size
 */
public record LanguageModelBenchmarkOptions(Path model, Path corpus, int prompts, int runs, List<Integer> promptLengths,
                                            int generated, int calibration, int sliceElements) {
    public static final String USAGE = "options: --corpus DIR (required: what 'verity lm corpus --out DIR' wrote) "
            + "[--model PATH (default: the shipped model)] [--prompts 50] [--runs 5] [--prompt-lengths 16,64] "
            + "[--generated 32] [--calibration 32] [--slice-elements 16384]";

    public static LanguageModelBenchmarkOptions parse(String[] args) {
        Path model = null;
        Path corpus = null;
        int prompts = 50;
        int runs = 5;
        List<Integer> lengths = List.of(16, 64);
        int generated = 32;
        int calibration = 32;
        int slice = dev.verity.modelhub.lm.ShippedLanguageModel.SLICE_ELEMENTS;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value; " + USAGE);
            }
            String v = args[++i];
            switch (a) {
                case "--model" -> model = Path.of(v);
                case "--corpus" -> corpus = Path.of(v);
                case "--prompts" -> prompts = positive(a, v);
                case "--runs" -> runs = positive(a, v);
                case "--prompt-lengths" -> lengths = Arrays.stream(v.split(",")).map(s -> positive(a, s.strip())).toList();
                case "--generated" -> generated = positive(a, v);
                case "--calibration" -> calibration = positive(a, v);
                case "--slice-elements" -> slice = positive(a, v);
                default -> throw new IllegalArgumentException("unknown option " + a + "; " + USAGE);
            }
        }
        if (corpus == null) {
            throw new IllegalArgumentException("--corpus DIR is required; " + USAGE);
        }
        if (generated < 2) {
            throw new IllegalArgumentException("--generated must be at least 2 to time generation after the first token");
        }
        return new LanguageModelBenchmarkOptions(model, corpus, prompts, runs, lengths, generated, calibration, slice);
    }

    private static int positive(String option, String value) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not '" + value + "'");
        }
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, not " + n);
        }
        return n;
    }
}
