package dev.verity.modelhub.lm.train;

import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderWeights;
import dev.verity.modelhub.lm.export.DecoderOnnxExport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One training run end to end: tokenize the training and held-out text, train, measure the held-out loss beside a
 * bigram baseline, generate sample continuations, and write {@value #MODEL_FILE}, {@value #CHECKPOINT_FILE} and
 * {@value #REPORT_FILE} into the output directory.
 */
public final class LanguageModelTraining {
    public static final String MODEL_FILE = "model.onnx";
    public static final String CHECKPOINT_FILE = "decoder.ckpt";
    public static final String REPORT_FILE = "TRAINING.md";
    /** The bigram's add-k constant: a common default, deliberately not tuned on the held-out text. */
    public static final double BIGRAM_K = 0.1;
    public static final List<String> PROMPTS = List.of("In the beginning", "And the LORD said unto Moses,",
            "It is a truth universally acknowledged", "Elizabeth", "\"My dear Mr. Bennet,\"");
    public static final int SAMPLE_TOKENS = 48;
    public static final double TOP_P = 0.9;
    public static final long SAMPLE_SEED = 7;

    /** What to train on and how. */
    public record Inputs(String trainText, String heldOutText, TextCodec codec, DecoderConfig config,
                         DecoderTrainingOptions options) {}

    /** A sample continuation. */
    public record Sample(String prompt, String strategy, String continuation) {}

    /** The figures of a finished run. */
    public record Outcome(DecoderConfig config, DecoderTrainingOptions options, DecoderTrainer.Result training,
                          int trainTokens, long trainBytes, int heldOutTokens, Evaluation heldOut, Evaluation bigram,
                          Evaluation initial, long heldOutBytes, List<Sample> samples, long modelBytes,
                          long checkpointBytes, long tokenizeMillis, String codec) {
        public Outcome {
            samples = List.copyOf(samples);
        }
    }

    private LanguageModelTraining() {}

    public static Outcome run(Inputs inputs, Path outDir, String commandLine, String machine,
                              Consumer<String> notes, Consumer<TrainingProgress> progress) throws IOException {
        DecoderConfig config = inputs.config();
        TextCodec codec = inputs.codec();
        if (codec.vocabularySize() > config.vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + codec.vocabularySize() + " tokens; the model only "
                    + config.vocabSize());
        }
        long start = System.nanoTime();
        int[] train = codec.encode(inputs.trainText());
        int[] heldOut = codec.encode(inputs.heldOutText());
        long tokenizeMillis = (System.nanoTime() - start) / 1_000_000;
        notes.accept(String.format(java.util.Locale.ROOT, "tokenized %,d training and %,d held-out tokens in %.1f s",
                train.length, heldOut.length, tokenizeMillis / 1000.0));
        int length = inputs.options().sequenceLength();
        int threads = inputs.options().threads();
        ParameterLayout layout = ParameterLayout.of(config);
        float[] values = DecoderInitializer.initialize(layout, inputs.options().seed());
        Evaluation initial = DecoderTrainer.evaluate(layout.toWeights(values), heldOut, length,
                inputs.options().evaluationWindows(), threads);
        DecoderTrainer.Result result = DecoderTrainer.train(layout, values, train, heldOut, inputs.options(), progress);
        DecoderWeights weights = result.weights();

        notes.accept("measuring the held-out loss over every window");
        Evaluation heldOutLoss = DecoderTrainer.evaluate(weights, heldOut, length, Integer.MAX_VALUE, threads);
        Evaluation bigram = BigramBaseline.count(train, config.vocabSize(), BIGRAM_K).evaluate(heldOut, length);
        long heldOutBytes = predictedBytes(codec, heldOut, length);

        List<Sample> samples = new ArrayList<>();
        TextGenerator generator = new TextGenerator(weights);
        for (String prompt : PROMPTS) {
            int[] tokens = codec.encode(prompt);
            // a tiny context keeps only the prompt's tail, leaving room to continue
            tokens = Arrays.copyOfRange(tokens, Math.max(0, tokens.length - Math.max(1, config.contextLength() / 2)),
                    tokens.length);
            samples.add(new Sample(prompt, "greedy", codec.decode(generator.continuation(tokens, SAMPLE_TOKENS,
                    new TextGenerator.Strategy.Greedy(), 0))));
            samples.add(new Sample(prompt, "top-p " + TOP_P + ", seed " + SAMPLE_SEED, codec.decode(generator.continuation(
                    tokens, SAMPLE_TOKENS, new TextGenerator.Strategy.TopP(TOP_P, 1.0, SAMPLE_SEED), 0))));
        }

        Files.createDirectories(outDir);
        byte[] model = DecoderOnnxExport.toBytes(weights);
        Files.write(outDir.resolve(MODEL_FILE), model);
        byte[] checkpoint = DecoderCheckpoint.toBytes(weights);
        Files.write(outDir.resolve(CHECKPOINT_FILE), checkpoint);
        Outcome outcome = new Outcome(config, inputs.options(), result, train.length,
                inputs.trainText().getBytes(StandardCharsets.UTF_8).length, heldOut.length, heldOutLoss, bigram, initial,
                heldOutBytes, samples, model.length, checkpoint.length, tokenizeMillis, codec.description());
        Files.writeString(outDir.resolve(REPORT_FILE), TrainingReport.markdown(outcome, commandLine, machine));
        return outcome;
    }

    /** UTF-8 bytes of the text of the predicted tokens, {@code tokens[1 .. windows·length]}. */
    static long predictedBytes(TextCodec codec, int[] tokens, int length) {
        int predictions = DecoderTrainer.windowStarts(tokens.length, length, Integer.MAX_VALUE).length * length;
        return codec.decode(Arrays.copyOfRange(tokens, 1, predictions + 1)).getBytes(StandardCharsets.UTF_8).length;
    }
}
