package dev.verity.cli.lm;

import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.train.DecoderTrainingOptions;
import dev.verity.modelhub.lm.train.Evaluation;
import dev.verity.modelhub.lm.train.LanguageModelTraining;
import dev.verity.modelhub.lm.train.TextCodec;
import dev.verity.modelhub.lm.train.TrainingProgress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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
                + "For a given seed the weights do not depend on --threads. Progress goes to stderr."},
        footer = {"", "Example:", "  verity lm train --corpus /work/lm-corpus --tokenizer tokenizer.json --out lm --steps 2000"})
public final class LmTrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        Path trainFile = corpus.resolve("train.txt");
        Path heldOutFile = corpus.resolve("heldout.txt");
        for (Path file : new Path[] {trainFile, heldOutFile}) {
            if (!Files.isRegularFile(file)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no " + file.getFileName() + " in " + corpus
                        + " (write the corpus first)");
            }
        }
        if (!byteLevel && !Files.isRegularFile(tokenizer)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no tokenizer file " + tokenizer);
        }
        int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        DecoderConfig config;
        DecoderTrainingOptions base;
        TextCodec codec;
        try {
            config = new DecoderConfig(vocab, context, layers, heads, width, mlp);
            DecoderTrainingOptions d = DecoderTrainingOptions.defaults(steps, context, seed, threadCount);
            base = new DecoderTrainingOptions(steps, batch, context, learningRate, learningRate / 10, d.warmupSteps(),
                    d.weightDecay(), d.beta1(), d.beta2(), d.clipNorm(), seed, d.chunks(), threadCount, d.evaluationInterval(),
                    d.evaluationWindows());
            codec = byteLevel ? new ByteLevelCodec() : TokenizerCodecs.load(tokenizer);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        String commandLine = "verity lm train " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        err.printf(Locale.ROOT, "training %s (%,d parameters) for %d steps on %d threads%n", config, config.parameterCount(),
                steps, threadCount);
        err.flush();
        LanguageModelTraining.Outcome outcome;
        try {
            outcome = LanguageModelTraining.run(new LanguageModelTraining.Inputs(
                            Files.readString(trainFile, StandardCharsets.UTF_8), Files.readString(heldOutFile, StandardCharsets.UTF_8),
                            codec, config, base), out, commandLine, machine(threadCount),
                    note -> {
                        err.println(note);
                        err.flush();
                    },
                    progress -> report(err, progress));
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        }
        Evaluation model = outcome.heldOut();
        Evaluation bigram = outcome.bigram();
        stdout.printf(Locale.ROOT, "held-out loss %.3f nats/token (perplexity %.1f, %.3f bits/byte); bigram %.3f (perplexity %.1f)%n",
                model.meanNats(), model.perplexity(), model.bitsPerByte(outcome.heldOutBytes()), bigram.meanNats(),
                bigram.perplexity());
        stdout.printf(Locale.ROOT, "trained in %.1f min; wrote %s (%,d bytes), %s and %s%n",
                outcome.training().millis() / 60000.0, out.resolve(LanguageModelTraining.MODEL_FILE), outcome.modelBytes(),
                LanguageModelTraining.CHECKPOINT_FILE, LanguageModelTraining.REPORT_FILE);
        stdout.flush();
        return 0;
    }

    private static void report(PrintWriter err, TrainingProgress p) {
        if (p.hasHeldOutLoss()) {
            err.printf(Locale.ROOT, "step %d  lr %.2e  train %.3f  held-out %.3f  grad norm %.2f  %.1f min%n", p.step(),
                    p.learningRate(), p.trainLoss(), p.heldOutLoss(), p.gradientNorm(), p.elapsedMillis() / 60000.0);
            err.flush();
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
