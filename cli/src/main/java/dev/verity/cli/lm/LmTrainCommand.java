package dev.verity.cli.lm;

import dev.verity.cli.BaseCommand;
import dev.verity.cli.CliException;
import dev.verity.cli.Output;
import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.corpus.LanguageModelCorpus;
import dev.verity.modelhub.lm.train.DecoderTrainingOptions;
import dev.verity.modelhub.lm.train.Evaluation;
import dev.verity.modelhub.lm.train.LanguageModelTraining;
import dev.verity.modelhub.lm.train.TextCodec;
import dev.verity.modelhub.lm.train.TrainingProgress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verity lm train}: trains the small decoder on a corpus directory ({@code train.txt}, {@code heldout.txt}),
 * writes {@code model.onnx}, the checkpoint and {@code TRAINING.md}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a small GPT-2-style decoder in Java and export it as ONNX in the Hugging Face decoder layout.", "",
            "Reads <corpus>/train.txt and <corpus>/heldout.txt, tokenizes them, trains, and writes <out>/model.onnx, "
                + "<out>/decoder.ckpt and <out>/TRAINING.md (held-out loss beside a bigram baseline, sample text). "
                + "For a given seed the weights do not depend on --threads. Progress goes to stderr.", "",
            "JSON: {\"out\", \"parameters\", \"steps\", \"trainingMillis\", \"heldOutNatsPerToken\", \"heldOutPerplexity\", "
                + "\"heldOutBitsPerByte\", \"bigramNatsPerToken\", \"bigramPerplexity\", \"modelBytes\"}"},
        footer = {"", "Example:", "  verity lm train --corpus lm-corpus --tokenizer tokenizer.json --out lm --steps 2000"})
public final class LmTrainCommand extends BaseCommand {
    /** For the command line as typed, which the report quotes. */
    @Spec
    CommandSpec commandSpec;

    @Option(names = "--corpus", required = true, paramLabel = "DIR", description = "Directory with train.txt and heldout.txt.")
    Path corpus;

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "A Hugging Face tokenizer.json.")
    Path tokenizer;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the model, checkpoint and report.")
    Path out;

    @Option(names = "--steps", defaultValue = "2000", description = "Optimiser steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--seed", defaultValue = "1", description = "Initialisation and batch sampling seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Worker threads (default: the processor count).")
    Integer threads;

    @Option(names = "--batch", defaultValue = "16", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--learning-rate", defaultValue = "2e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--context", defaultValue = "128", description = "Context length (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--layers", defaultValue = "4", description = "Transformer blocks (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--width", defaultValue = "128", description = "Model width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--mlp", defaultValue = "512", description = "MLP width (default: ${DEFAULT-VALUE}).")
    int mlp;

    @Option(names = "--vocab", defaultValue = "2048",
            description = "Embedding rows; at least the tokenizer's vocabulary (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--byte-level", description = "Development only: ignore --tokenizer and use one token per byte.")
    boolean byteLevel;

    @Override
    protected int execute() throws IOException {
        Path trainFile = corpus.resolve(LanguageModelCorpus.TRAIN_FILE);
        Path heldOutFile = corpus.resolve(LanguageModelCorpus.HELD_OUT_FILE);
        for (Path file : new Path[] {trainFile, heldOutFile}) {
            if (!Files.isRegularFile(file)) {
                throw usage("no " + file.getFileName() + " in " + corpus + " (write the corpus with 'verity lm corpus --out "
                        + corpus + "')");
            }
        }
        if (!byteLevel && !Files.isRegularFile(tokenizer)) {
            throw usage("no tokenizer file " + tokenizer + " (write one with 'verity lm tokenizer')");
        }
        int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        DecoderConfig config = new DecoderConfig(vocab, context, layers, heads, width, mlp);
        DecoderTrainingOptions d = DecoderTrainingOptions.defaults(steps, context, seed, threadCount);
        DecoderTrainingOptions options = new DecoderTrainingOptions(steps, batch, context, learningRate, learningRate / 10,
                d.warmupSteps(), d.weightDecay(), d.beta1(), d.beta2(), d.clipNorm(), seed, d.chunks(), threadCount,
                d.evaluationInterval(), d.evaluationWindows());
        String commandLine = "verity " + String.join(" ", commandSpec.commandLine().getParseResult().originalArgs());
        out().note(String.format(Locale.ROOT, "training %s (%,d parameters) for %d steps on %d threads", config,
                config.parameterCount(), steps, threadCount));
        LanguageModelTraining.Outcome outcome;
        TextCodec codec = byteLevel ? new ByteLevelCodec() : TokenizerCodec.load(tokenizer);
        try {
            outcome = LanguageModelTraining.run(new LanguageModelTraining.Inputs(
                            Files.readString(trainFile, StandardCharsets.UTF_8), Files.readString(heldOutFile, StandardCharsets.UTF_8),
                            codec, config, options), out, commandLine, machine(threadCount), out()::note,
                    progress -> report(out(), progress));
        } catch (IllegalArgumentException e) {
            throw new CliException("TRAINING_FAILED", e.getMessage(), null, e);
        } finally {
            if (codec instanceof TokenizerCodec closable) {
                closable.close();
            }
        }
        Evaluation model = outcome.heldOut();
        Evaluation bigram = outcome.bigram();
        long bytes = outcome.heldOutBytes();
        Map<String, Object> result = Output.object("out", out.toAbsolutePath().normalize().toString(),
                "parameters", config.parameterCount(), "steps", steps, "trainingMillis", outcome.training().millis(),
                "heldOutNatsPerToken", round(model.meanNats()), "heldOutPerplexity", round(model.perplexity()),
                "heldOutBitsPerByte", round(model.bitsPerByte(bytes)), "bigramNatsPerToken", round(bigram.meanNats()),
                "bigramPerplexity", round(bigram.perplexity()), "modelBytes", outcome.modelBytes());
        if (out().json()) {
            out().printJson(result);
        } else {
            out().fields(result);
        }
        return 0;
    }

    private static String round(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static void report(Output output, TrainingProgress p) {
        if (p.hasHeldOutLoss()) {
            output.note(String.format(Locale.ROOT, "step %d  lr %.2e  train %.3f  held-out %.3f  grad norm %.2f  %.1f min",
                    p.step(), p.learningRate(), p.trainLoss(), p.heldOutLoss(), p.gradientNorm(), p.elapsedMillis() / 60000.0));
        }
    }

    /** The processor, core count and JVM, for the report. */
    static String machine(int threads) {
        String cpu = "unknown processor";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (IOException | RuntimeException e) {
            // not Linux: the JVM's own description below still says enough
        }
        return String.format(Locale.ROOT, "%s, %d cores visible to the JVM, %d training threads; %s %s on %s %s", cpu,
                Runtime.getRuntime().availableProcessors(), threads, System.getProperty("java.vm.name"),
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch"));
    }
}
