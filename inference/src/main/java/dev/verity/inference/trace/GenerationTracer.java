package dev.verity.inference.trace;

import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.engine.State;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.generate.FinishReason;
import dev.verity.inference.generate.GenerationJob;
import dev.verity.inference.generate.GenerationOutput;
import dev.verity.inference.generate.GenerationParameters;
import dev.verity.inference.generate.Generator;
import dev.verity.inference.generate.Sampler;
import dev.verity.inference.generate.SeedStream;
import dev.verity.inference.generate.TokenListener;
import dev.verity.inference.generate.TokenLoop;
import dev.verity.inference.program.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * Runs a generation job on the integer engine and gives its {@link GenerationTrace} values, and the
 * {@link GenerationWitness} of any of its transitions (by running the generation again up to it). Stateless: one
 * instance serves every thread when its engine does.
 */
public final class GenerationTracer {
    private final DecoderCommitment commitment;
    private final IntegerEngine engine;
    private final Generator generator;

    /** {@code engine} runs {@code commitment}'s step program (any kernels: they give the same bits). */
    public GenerationTracer(DecoderCommitment commitment, IntegerEngine engine) {
        if (engine.plan().size() != commitment.stepCount()) {
            throw new IllegalArgumentException("the engine plans " + engine.plan().size() + " steps, the committed step "
                    + "program " + commitment.stepCount());
        }
        this.commitment = commitment;
        this.engine = engine;
        this.generator = new Generator(commitment.step(), engine::run);
    }

    public DecoderCommitment commitment() {
        return commitment;
    }

    /** The trace layout of {@code job}. */
    public GenerationTrace layout(GenerationJob job) {
        return new GenerationTrace(job.promptLength(), job.maxTokens(), commitment.stepCount());
    }

    /**
     * The trace values and output bytes of {@code job}; {@code listener} hears each kept token as it is drawn.
     *
     * @throws IllegalArgumentException when the engine refuses the job (see {@link GenerationStepVerifier#inputRefusal})
     */
    public TraceValues trace(GenerationJob job, TokenListener listener) {
        return trace(job, listener, (index, drawn) -> drawn);
    }

    /**
     * {@link #trace(GenerationJob, TokenListener)} with generated token {@code i} replaced by {@code substitute(i, drawn)}
     * before it is kept and fed: the identity for an honest run; the development network's cheat modes change one
     * token, to show that a watcher catches it.
     */
    public TraceValues trace(GenerationJob job, TokenListener listener, java.util.function.IntBinaryOperator substitute) {
        GenerationTrace layout = layout(job);
        List<Hash> values = new ArrayList<>((int) Math.min(layout.size(), 1 << 20));
        byte[][] output = new byte[1][];
        walk(job, (pass, generated, inputs, run) -> {
            Hash tokens = GenerationTrace.tokensHash(generated);
            values.add(GenerationTrace.live(pass, tokens, run.inputHash()));
            for (Hash h : run.stepHashes()) {
                values.add(GenerationTrace.live(pass, tokens, h));
            }
            return true;
        }, (generated, reason) -> {
            output[0] = GenerationOutput.encode(generated, reason);
        }, listener, substitute);
        Hash outputHash = Sha256.digest(output[0]);
        while (values.size() < layout.size()) {
            values.add(layout.ended(values.size(), outputHash));
        }
        return new TraceValues(values, output[0]);
    }

    /** The witness that proves trace index {@code index} of {@code job}. */
    public GenerationWitness witness(GenerationJob job, long index) {
        GenerationTrace layout = layout(job);
        if (index < 0 || index >= layout.size()) {
            throw new IllegalArgumentException("trace index " + index + " outside 0.." + (layout.size() - 1));
        }
        if (index == 0) {
            return new GenerationWitness.Start(commitment.decoderLeaf(), commitment.decoderPath());
        }
        boolean boundary = layout.isOutput(index) || layout.stepOf(index) == 0;
        int pass = layout.isOutput(index) ? (int) (layout.passes() - 1)
                : boundary ? layout.passOf(index) - 1 : layout.passOf(index);
        GenerationWitness[] found = new GenerationWitness[1];
        byte[][] output = new byte[1][];
        walk(job, (k, generated, inputs, run) -> {
            if (k < pass) {
                return true;
            }
            if (boundary) {
                found[0] = new GenerationWitness.Boundary(commitment.decoderLeaf(), commitment.decoderPath(), generated,
                        finalState(run));
            } else {
                int s = layout.stepOf(index) - 1;
                State before = engine.initialState(inputs);
                for (int i = 0; i < s; i++) {
                    before = engine.runStep(i, before).state();
                }
                found[0] = new GenerationWitness.Op(GenerationTrace.tokensHash(generated),
                        OneStepProver.opWitness(commitment, engine.plan().get(s), before));
            }
            return false;
        }, (generated, reason) -> output[0] = GenerationOutput.encode(generated, reason), TokenListener.NONE,
                (i, drawn) -> drawn);
        if (found[0] != null) {
            return found[0];
        }
        return new GenerationWitness.Done(Sha256.digest(output[0]));
    }

    /** What {@link #walk} tells for each pass; returning false stops the walk. */
    private interface PassVisitor {
        boolean pass(int pass, List<Integer> generatedBeforeDraw, SortedMap<String, Tensor> inputs, RunResult run);
    }

    private interface Ending {
        void ended(List<Integer> generated, FinishReason reason);
    }

    /** Runs the generation pass by pass as {@link TokenLoop} does, telling {@code visitor} each pass before its draw. */
    private void walk(GenerationJob job, PassVisitor visitor, Ending ending, TokenListener listener,
                      java.util.function.IntBinaryOperator substitute) {
        DecoderStep step = commitment.step();
        GenerationParameters p = job.parameters(commitment.decoderLeaf().endToken());
        TokenLoop.check(step.vocabSize(), step.contextLength(), job.prompt(), p);
        SeedStream draws = new SeedStream(p.seed());
        SortedMap<String, Tensor> caches = generator.emptyCaches();
        List<Integer> generated = new ArrayList<>();
        int token = job.promptToken(0);
        for (int pass = 0; ; pass++) {
            SortedMap<String, Tensor> inputs = generator.stepInputs(token, pass, caches);
            RunResult run = engine.run(inputs);
            if (!visitor.pass(pass, List.copyOf(generated), inputs, run)) {
                return;
            }
            if (pass + 1 < job.promptLength()) {
                token = job.promptToken(pass + 1);
            } else {
                Tensor logits = run.outputs().get(step.logitsOutput());
                int drawn = substitute.applyAsInt(generated.size(), Sampler.sample(logits,
                        step.logitsSpec().quantization().scale(), p.temperatureMilli(), p.topPMilli(),
                        draws.draw(generated.size())));
                FinishReason end = TokenLoop.decide(drawn, generated, p);
                if (end != FinishReason.END_OF_TEXT) {
                    listener.token(generated.size() - 1, drawn);
                }
                if (end != null) {
                    ending.ended(List.copyOf(generated), end);
                    return;
                }
                token = drawn;
            }
            caches = generator.nextCaches(run);
        }
    }

    /** A pass's final state as a boundary witness gives it: the logits in full, the caches by content hash. */
    private List<WitnessTensor> finalState(RunResult run) {
        String logits = commitment.step().logitsOutput();
        List<WitnessTensor> out = new ArrayList<>();
        for (String name : new TreeSet<>(run.outputs().keySet())) {
            Tensor t = run.outputs().get(name);
            out.add(name.equals(logits) ? WitnessTensor.full(name, t) : WitnessTensor.hashed(name, State.tensorContent(t)));
        }
        return out;
    }
}
