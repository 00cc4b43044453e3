package dev.verity.bench;

import dev.verity.modelhub.lm.corpus.CorpusTokens;
import dev.verity.modelhub.lm.export.DecoderOnnxWeights;
import dev.verity.bench.lm.ForwardPassProfile;
import dev.verity.bench.lm.GenerationSpeed;
import dev.verity.bench.lm.GenerationTraceCost;
import dev.verity.bench.lm.IntegerLanguageModel;
import dev.verity.bench.lm.LanguageModelBenchmarkOptions;
import dev.verity.bench.lm.LanguageModelEngine;
import dev.verity.bench.lm.OnnxLanguageModel;
import dev.verity.bench.lm.QualityComparison;
import dev.verity.bench.lm.Timing;
import dev.verity.bench.lm.WatcherCost;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.generate.Generator;
import dev.verity.inference.program.Tensor;
import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderReference;
import dev.verity.modelhub.lm.DecoderWeights;
import dev.verity.modelhub.lm.quantize.DecoderCalibration;
import dev.verity.modelhub.lm.quantize.DecoderQuantizer;
import dev.verity.modelhub.lm.tokenizer.TokenizerFile;
import dev.verity.protocol.Params;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;

/**
 * The language model's figures, one thread each, printed as plain tables:
 * <ol>
 *   <li>speed: ONNX Runtime (float, one intra-op thread) against the integer engine (vector and scalar kernels), greedy
 *       generation after held-out prompts of a few lengths ({@link GenerationSpeed});</li>
 *   <li>quality: float against integer on held-out text, greedy agreement and teacher-forced perplexity
 *       ({@link QualityComparison}); the quantizer is calibrated on windows of the training text;</li>
 *   <li>watcher cost: one on-chain step of a token's forward pass against the whole pass ({@link WatcherCost}).</li>
 * </ol>
 * Run: {@code java --add-modules jdk.incubator.vector -cp 'bench/target/classes:bench/target/lib/*'
 * dev.verity.bench.LanguageModelBenchmark --corpus DIR}; {@link LanguageModelBenchmarkOptions} lists the options.
 */
public final class LanguageModelBenchmark {
    private static final String SHIPPED_MODEL = "/lm/model.onnx";
    private static final String SHIPPED_TOKENIZER = "/lm/tokenizer.json";

    private LanguageModelBenchmark() {}

    public static void main(String[] args) throws IOException {
        LanguageModelBenchmarkOptions o;
        try {
            o = LanguageModelBenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        OperatorNetwork.machine().forEach(LanguageModelBenchmark::say);
        say("options: " + o);

        Path onnx = o.model() != null ? o.model() : shippedModel();
        DecoderWeights weights = DecoderOnnxWeights.read(Files.readAllBytes(onnx));
        DecoderConfig c = weights.config();
        say("model: " + (o.model() != null ? o.model() : SHIPPED_MODEL) + ", " + c + ", " + c.parameterCount() + " parameters");

        int[] training;
        int[] heldOut;
        try (TokenizerFile tokenizer = shippedTokenizer()) {
            training = CorpusTokens.training(o.corpus(), tokenizer);
            heldOut = CorpusTokens.heldOut(o.corpus(), tokenizer);
        }
        say(String.format(Locale.ROOT, "corpus %s: %,d training tokens, %,d held-out tokens", o.corpus(), training.length,
                heldOut.length));

        long start = System.nanoTime();
        List<int[]> calibration = CorpusTokens.windows(training, o.calibration(), c.contextLength());
        DecoderStep step = DecoderQuantizer.quantize(weights, DecoderCalibration.calibrate(weights, calibration),
                o.sliceElements());
        say(String.format(Locale.ROOT, "quantized in %.1f s, calibrated on %d evenly spaced windows of %d tokens of train.txt"
                        + " (no held-out text); step program: %d ops, slices of %d elements", (System.nanoTime() - start) / 1e9,
                calibration.size(), c.contextLength(), step.program().ops().size(), o.sliceElements()));

        try (OnnxLanguageModel floatModel = new OnnxLanguageModel(onnx)) {
            IntegerLanguageModel vector = new IntegerLanguageModel("integer engine, vector kernels", step,
                    EngineOptions.VECTORIZED);
            IntegerLanguageModel scalar = new IntegerLanguageModel("integer engine, scalar kernels", step, EngineOptions.SCALAR);
            speed(o, heldOut, List.of(floatModel, vector, scalar));
            quality(o, heldOut, weights, floatModel, vector);
            watcher(o, heldOut, step, vector);
            generationTrace(o, heldOut, step, floatModel);
        }
    }

    private static void speed(LanguageModelBenchmarkOptions o, int[] heldOut, List<LanguageModelEngine> engines) {
        section("1. Speed: greedy generation of " + o.generated() + " tokens after held-out prompts, one thread, median of "
                + o.runs() + " runs after " + o.runs() + " warm-up runs (and a warm-up of every engine at every length first)");
        for (int length : o.promptLengths()) { // warm every engine up at every length before measuring any
            for (LanguageModelEngine e : engines) {
                GenerationSpeed.measure(e, CorpusTokens.windows(heldOut, 2, length), o.generated(), o.runs(), 1);
            }
        }
        List<GenerationSpeed> rows = new ArrayList<>();
        for (int length : o.promptLengths()) {
            List<int[]> prompts = CorpusTokens.windows(heldOut, Math.max(o.runs(), 2), length);
            for (LanguageModelEngine e : engines) {
                rows.add(GenerationSpeed.measure(e, prompts, o.generated(), o.runs(), o.runs()));
            }
        }
        table(List.of("engine", "prompt tokens", "time to first token", "prompt tokens/s", "generated tokens/s",
                "per generated token"), rows.stream().map(r -> List.of(r.engine(), Integer.toString(r.promptTokens()),
                ms(r.firstTokenMillis()), num(r.promptTokensPerSecond()), num(r.generatedTokensPerSecond()),
                ms(1000 / r.generatedTokensPerSecond()))).toList());
        say(load());
    }

    private static void quality(LanguageModelBenchmarkOptions o, int[] heldOut, DecoderWeights weights,
                                LanguageModelEngine floatModel, LanguageModelEngine integerModel) {
        int promptTokens = 32;
        int length = promptTokens + o.generated();
        section("2. Quality on held-out text: " + o.prompts() + " evenly spaced windows of " + length + " tokens of heldout.txt;"
                + " greedy continuations of " + o.generated() + " tokens after each window's first " + promptTokens
                + "; perplexity teacher-forced over each window's " + (length - 1) + " next-token predictions");
        List<int[]> windows = CorpusTokens.windows(heldOut, o.prompts(), length);
        say(String.format(Locale.ROOT, "check: float reference (DecoderReference) against ONNX Runtime on window 0: largest"
                + " logit difference %.2e", referenceDifference(weights, floatModel, windows.get(0))));
        QualityComparison q = QualityComparison.measure(floatModel, integerModel, windows, promptTokens, o.generated());
        table(List.of("greedy continuations, float (ONNX Runtime) against integer", "value"), List.of(
                List.of("prompts", Integer.toString(q.agreement().prompts())),
                List.of("positions compared (up to and including the first divergence)", Integer.toString(q.agreement().compared())),
                List.of("identical tokens among them", String.format(Locale.ROOT, "%d (%.1f%%)", q.agreement().matched(),
                        100 * q.agreement().tokenShare())),
                List.of("mean common prefix", String.format(Locale.ROOT, "%.1f of %d tokens", q.agreement().meanCommonPrefix(),
                        o.generated())),
                List.of("whole continuation identical", String.format(Locale.ROOT, "%d of %d (%.1f%%)",
                        q.agreement().wholeMatches(), q.agreement().prompts(), 100 * q.agreement().wholeShare()))));
        table(List.of("model", "positions", "nats/token", "perplexity"), List.of(
                List.of("float (ONNX Runtime)", Long.toString(q.floatPerplexity().positions()),
                        String.format(Locale.ROOT, "%.4f", q.floatPerplexity().meanNegativeLogLikelihood()),
                        String.format(Locale.ROOT, "%.2f", q.floatPerplexity().value())),
                List.of("integer engine (int32 logits x scale)", Long.toString(q.integerPerplexity().positions()),
                        String.format(Locale.ROOT, "%.4f", q.integerPerplexity().meanNegativeLogLikelihood()),
                        String.format(Locale.ROOT, "%.2f", q.integerPerplexity().value()))));
        say(load());
    }

    private static double referenceDifference(DecoderWeights weights, LanguageModelEngine floatModel, int[] window) {
        float[][] reference = new DecoderReference(weights).logits(window);
        double[] worst = {0};
        int[] p = {0};
        floatModel.teacherForced(window, logits -> {
            for (int v = 0; v < logits.length; v++) {
                worst[0] = Math.max(worst[0], Math.abs(logits[v] - reference[p[0]][v]));
            }
            p[0]++;
        });
        return worst[0];
    }

    private static void watcher(LanguageModelBenchmarkOptions o, int[] heldOut, DecoderStep step, IntegerLanguageModel model) {
        int position = Math.min(63, step.contextLength() - 1);
        section("3. Watcher cost: one on-chain step (OneStepVerifier.transition, witness decoding included, scalar kernels)"
                + " against one token's forward pass, for the token at position " + position + " of held-out window 0");
        int[] window = CorpusTokens.windows(heldOut, 1, position + 1).get(0);
        Generator g = model.generator();
        SortedMap<String, Tensor> caches = g.emptyCaches();
        for (int p = 0; p < position; p++) {
            RunResult r = model.engine().run(g.stepInputs(window[p], p, caches));
            caches = model.nextCaches(r);
        }
        SortedMap<String, Tensor> inputs = g.stepInputs(window[position], position, caches);
        ForwardPassProfile profile = ForwardPassProfile.measure(model.engine(), inputs, step.logitsOutput(),
                Math.max(o.runs(), 11));
        say(String.format(Locale.ROOT, "where one forward pass of the integer engine (vector kernels) goes, median per part;"
                + " besides its inputs, the trace hashes %,d bytes of new tensors per pass:", profile.hashedBytes()));
        List<List<String>> parts = new ArrayList<>();
        long whole = profile.inputNanos() + profile.stepNanos();
        parts.add(List.of("trace: the inputs (token, position, caches) copied in and hashed", "", us(profile.inputNanos()),
                percent(profile.inputNanos(), whole)));
        profile.kernelNanosByOp().forEach((op, nanos) -> parts.add(List.of("kernel: " + op,
                Integer.toString(profile.stepsByOp().get(op)), us(nanos), percent(nanos, whole))));
        parts.add(List.of("trace: the state after each step and its SHA-256 hash", "", us(profile.traceNanos()),
                percent(profile.traceNanos(), whole)));
        parts.add(List.of("the whole pass (IntegerEngine.initialState, then runStep per step)",
                Integer.toString(model.engine().plan().size()), us(whole), "100%"));
        table(List.of("part", "steps", "time", "share"), parts);
        WatcherCost.Result r = WatcherCost.measure(step, END_TOKEN, inputs, Math.max(o.runs(), 11));
        say(String.format(Locale.ROOT, "step program: %d ops, %d engine steps (trace indices 1..%d are op steps)", r.ops(),
                r.steps(), r.steps()));
        List<WatcherCost.StepCost> bySize = new ArrayList<>(r.costs());
        bySize.sort((a, b) -> Integer.compare(b.witnessBytes(), a.witnessBytes()));
        List<List<String>> rows = new ArrayList<>();
        for (WatcherCost.StepCost s : bySize.subList(0, Math.min(6, bySize.size()))) {
            rows.add(stepRow(s));
        }
        say("the steps with the largest witnesses:");
        table(List.of("step", "op", "output", "slice", "witness bytes", "of which op leaf", "verify"), rows);
        say("the steps that read the embedding tables (Gather, and the tied head's QMatMul into the logits):");
        table(List.of("step", "op", "output", "slice", "witness bytes", "of which op leaf", "verify"), r.costs().stream()
                .filter(s -> s.op().equals("Gather") || s.output().equals(step.logitsOutput())).map(LanguageModelBenchmark::stepRow)
                .toList());
        WatcherCost.StepCost slowest = r.slowest();
        say("the slowest step to verify:");
        table(List.of("step", "op", "output", "slice", "witness bytes", "of which op leaf", "verify"), List.of(stepRow(slowest)));
        WatcherCost.StepCost largest = r.largestWitness();
        table(List.of("what", "time", "÷ one forward pass (vector)"), List.of(
                List.of("one token's forward pass, integer engine, vector kernels (IntegerEngine.run)", us(r.forwardVectorNanos()),
                        "1"),
                List.of("one token's forward pass, integer engine, scalar kernels", us(r.forwardScalarNanos()),
                        ratio(r.forwardScalarNanos(), r.forwardVectorNanos())),
                List.of("one step on chain, largest witness (step " + largest.step() + ")", us(largest.verifyNanos()),
                        ratio(largest.verifyNanos(), r.forwardVectorNanos())),
                List.of("one step on chain, slowest (step " + slowest.step() + ")", us(slowest.verifyNanos()),
                        ratio(slowest.verifyNanos(), r.forwardVectorNanos())),
                List.of("every op step in turn (sum)", us(r.totalVerifyNanos()),
                        ratio(r.totalVerifyNanos(), r.forwardVectorNanos()))));
        int limit = Params.defaults().maxWitnessBytes();
        long over = r.costs().stream().filter(s -> s.witnessBytes() > limit).count();
        say(String.format(Locale.ROOT, "witnesses over the chain's default limit (Params.maxWitnessBytes, %,d bytes): %d of %d"
                + " steps", limit, over, r.steps()));
        say("the transitions between passes (a token fed, a draw, the output) are in section 4");
        say(load());
    }

    private static List<String> stepRow(WatcherCost.StepCost s) {
        return List.of(Integer.toString(s.step()), s.op(), s.output(), (s.slice() + 1) + "/" + s.sliceCount(),
                String.format(Locale.ROOT, "%,d", s.witnessBytes()), String.format(Locale.ROOT, "%,d", s.opLeafBytes()),
                us(s.verifyNanos()));
    }

    // ------------------------------------------------------------------------------------------ printing

    /** The shipped tokenizer's {@code <|endoftext|>}: the end token the chat model's commitment names. */
    static final int END_TOKEN = 0;

    private static void generationTrace(LanguageModelBenchmarkOptions o, int[] heldOut, DecoderStep step,
                                        LanguageModelEngine floatModel) {
        int promptLength = o.promptLengths().get(0);
        section("4. A provable generation job: the trace of every forward pass and draw (" + promptLength + "-token held-out "
                + "prompt, " + o.generated() + " tokens greedily, integer engine with vector kernels), its tree, and the chain's "
                + "check of the transitions a generation adds; medians of " + Math.max(o.runs(), 11) + " runs");
        int[] prompt = CorpusTokens.windows(heldOut, 1, promptLength).get(0);
        GenerationTraceCost.Result r = GenerationTraceCost.measure(step, prompt, o.generated(), Math.max(o.runs(), 11));
        long onnx = Timing.medianNanos(o.runs(), o.runs(), () -> floatModel.generateGreedy(prompt, o.generated(), i -> { }));
        say(String.format(Locale.ROOT, "%d prompt + %d generated tokens: %d passes, %,d trace values, %d bisection rounds",
                r.promptTokens(), r.generatedTokens(), r.passes(), r.traceValues(), r.bisectionRounds()));
        table(List.of("what", "time"), List.of(
                List.of("the whole trace (what the node, and each watcher, computes)", us(r.traceNanos())),
                List.of("the trace tree over its values", us(r.treeNanos())),
                List.of("the same generation on ONNX Runtime (NONE/TEE, no trace)", us(onnx))));
        List<List<String>> rows = new ArrayList<>();
        for (GenerationTraceCost.Transition t : r.transitions()) {
            rows.add(List.of(t.what(), Long.toString(t.index()), String.format(Locale.ROOT, "%,d", t.witnessBytes()),
                    us(t.verifyNanos())));
        }
        table(List.of("transition checked on chain", "trace index", "witness bytes", "verify"), rows);
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("## " + title);
    }

    private static void say(String line) {
        System.out.println(line);
    }

    private static String load() {
        return String.format(Locale.ROOT, "load average now: %.2f",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** A plain table: columns padded to their widest cell. */
    static void table(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (int k = 0; k < all.size(); k++) {
            StringBuilder line = new StringBuilder("| ");
            for (int i = 0; i < width.length; i++) {
                line.append(String.format("%-" + width[i] + "s", all.get(k).get(i))).append(" | ");
            }
            System.out.println(line.toString().stripTrailing());
            if (k == 0) {
                StringBuilder rule = new StringBuilder("|");
                Arrays.stream(width).forEach(w -> rule.append("-".repeat(w + 2)).append('|'));
                System.out.println(rule);
            }
        }
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.2f ms", millis);
    }

    private static String us(long nanos) {
        return String.format(Locale.ROOT, "%,.1f µs", nanos / 1e3);
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String ratio(long a, long b) {
        return String.format(Locale.ROOT, "%.3f", (double) a / b);
    }

    // ------------------------------------------------------------------------------------------ shipped files

    private static Path shippedModel() throws IOException {
        Path file = Files.createTempFile("verity-lm-", ".onnx");
        file.toFile().deleteOnExit();
        try (InputStream in = resource(SHIPPED_MODEL)) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    private static TokenizerFile shippedTokenizer() throws IOException {
        try (InputStream in = resource(SHIPPED_TOKENIZER)) {
            return TokenizerFile.load(in, SHIPPED_TOKENIZER);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = LanguageModelBenchmark.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the class path");
        }
        return in;
    }
}
