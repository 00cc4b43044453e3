package dev.verity.cli.lm;

import dev.verity.cli.BaseCommand;
import dev.verity.cli.Output;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.modelhub.lm.ShippedLanguageModel;
import dev.verity.modelhub.lm.corpus.CorpusTokens;
import dev.verity.modelhub.lm.export.DecoderOnnxWeights;
import dev.verity.modelhub.lm.tokenizer.TokenizerFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code verity lm quantize}: the integer step program of a decoder, calibrated on windows of the training text, for the
 * provable modes.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Quantize a decoder into the integer engine's step program (one run per token) for OPTIMISTIC and "
                + "SAMPLED generation jobs.", "",
            "Reads the float weights from the ONNX initializers, runs the float decoder over --windows evenly spaced windows "
                + "of <corpus>/train.txt (one context each, tokenized whole as training did) to calibrate every activation, "
                + "and writes the program's canonical bytes. The same inputs give the same bytes.", "",
            "JSON: {\"out\", \"bytes\", \"sha256\", \"ops\", \"steps\", \"windows\", \"sliceElements\", \"millis\"}"},
        footer = {"", "Example (the shipped program):",
            "  verity lm quantize --corpus lm-corpus --out modelhub/src/main/resources/lm/integer-program.bin"})
public final class LmQuantizeCommand extends BaseCommand {
    @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "Directory with train.txt.")
    Path corpus;

    @Option(names = "--model", paramLabel = "FILE", description = "The ONNX decoder (default: the shipped model).")
    Path model;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "Its tokenizer.json (default: the shipped tokenizer).")
    Path tokenizer;

    @Option(names = "--windows", defaultValue = "32", description = "Calibration windows of one context each (default: ${DEFAULT-VALUE}).")
    int windows;

    @Option(names = "--slice-elements", defaultValue = "" + ShippedLanguageModel.SLICE_ELEMENTS,
            description = "Output elements per engine step (default: ${DEFAULT-VALUE}).")
    int sliceElements;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the program.")
    Path out;

    @Override
    protected int execute() throws IOException {
        if (windows < 1 || sliceElements < 1) {
            throw usage("--windows and --slice-elements must be positive");
        }
        if (model != null && !Files.isRegularFile(model)) {
            throw usage("no model file " + model + " (an ONNX decoder that 'verity lm train' exported)");
        }
        if (tokenizer != null && !Files.isRegularFile(tokenizer)) {
            throw usage("no tokenizer file " + tokenizer);
        }
        byte[] onnx = model == null ? ShippedLanguageModel.onnx() : Files.readAllBytes(model);
        int[] training;
        try (TokenizerFile t = tokenizer == null
                ? TokenizerFile.load(new ByteArrayInputStream(ShippedLanguageModel.tokenizer()), "tokenizer.json")
                : TokenizerFile.load(tokenizer)) {
            training = CorpusTokens.training(corpus, t);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        long start = System.nanoTime();
        DecoderStep step;
        try {
            int context = DecoderOnnxWeights.read(onnx).config().contextLength();
            step = ShippedLanguageModel.quantize(onnx, CorpusTokens.windows(training, windows, context), sliceElements);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        byte[] bytes = step.program().encode();
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(out, bytes);
        Map<String, Object> result = Output.object("out", out.toAbsolutePath().normalize().toString(), "bytes", bytes.length,
                "sha256", Sha256.digest(bytes).hex(), "ops", step.program().ops().size(),
                "steps", new IntegerEngine(step.program(), EngineOptions.SCALAR).plan().size(), "windows", windows,
                "sliceElements", sliceElements, "millis", (System.nanoTime() - start) / 1_000_000);
        if (out().json()) {
            out().printJson(result);
        } else {
            out().note(String.format(Locale.ROOT, "quantized %d calibration windows of %d tokens", windows, step.contextLength()));
            out().fields(result);
        }
        return 0;
    }
}
