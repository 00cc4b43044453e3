package dev.verity.inference.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.generate.BigramSteps;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.generate.FinishReason;
import dev.verity.inference.generate.GenerationJob;
import dev.verity.inference.generate.GenerationOutput;
import dev.verity.inference.generate.GenerationParameters;
import dev.verity.inference.generate.GenerationResult;
import dev.verity.inference.generate.Generator;
import dev.verity.inference.generate.TokenListener;
import dev.verity.inference.program.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationStepVerifierTest {
    private static final int END = 3;
    private final DecoderStep step = BigramSteps.step();
    private final DecoderCommitment commitment = new DecoderCommitment(step, END);
    private final GenerationTracer tracer = new GenerationTracer(commitment, new IntegerEngine(step.program(), EngineOptions.VECTORIZED));

    private static GenerationJob job(int[] prompt, int maxTokens, int temperature, List<List<Integer>> stops) {
        byte[] seed = new byte[32];
        seed[5] = 9;
        return new GenerationJob(prompt, maxTokens, temperature, 900, stops, seed);
    }

    private Hash transition(GenerationJob job, long index, Hash previous, GenerationWitness w) {
        return GenerationStepVerifier.transition(commitment.root(), commitment.leafCount(), commitment.stepCount(), index, previous,
                job, GenerationWitness.decode(w.encode(), 1 << 20));
    }

    /** Every transition of the trace, proven by its witness, gives the honest next value. */
    private void everyTransitionProves(GenerationJob job) {
        TraceValues t = tracer.trace(job, TokenListener.NONE);
        GenerationTrace layout = tracer.layout(job);
        assertThat((long) t.values().size()).isEqualTo(layout.size());
        assertThat(t.values().get(t.values().size() - 1)).isEqualTo(Sha256.digest(t.output()));
        for (int i = 0; i < t.values().size(); i++) {
            GenerationWitness w = tracer.witness(job, i);
            Hash previous = i == 0 ? null : t.values().get(i - 1);
            assertThat(transition(job, i, previous, w)).as("index %d (%s)", i, w.getClass().getSimpleName())
                    .isEqualTo(t.values().get(i));
        }
    }

    @Test
    void theTraceEndsInTheGeneratorsOwnOutputAndEveryStepProves() {
        GenerationJob job = job(new int[] {0, 4}, 5, 800, List.of());
        TraceValues t = tracer.trace(job, TokenListener.NONE);
        GenerationResult expected = Generator.onEngine(step, EngineOptions.SCALAR).generate(job.prompt(), job.parameters(END));
        assertThat(t.output()).isEqualTo(GenerationOutput.encode(expected.tokens(), expected.finishReason()));
        everyTransitionProves(job);
    }

    @Test
    void aGenerationThatEndsEarlyIsPaddedWithItsOutputAndStillProves() {
        // greedy from 0 draws 1, 2, then the end token 3: two passes of the prompt-less room stay unused
        GenerationJob job = job(new int[] {0}, 6, 0, List.of());
        TraceValues t = tracer.trace(job, TokenListener.NONE);
        assertThat(t.output()).isEqualTo(GenerationOutput.encode(List.of(1, 2), FinishReason.END_OF_TEXT));
        Hash output = Sha256.digest(t.output());
        assertThat(t.values()).contains(GenerationTrace.done(output));
        assertThat(tracer.witness(job, t.values().size() - 2)).isInstanceOf(GenerationWitness.Done.class);
        everyTransitionProves(job);
    }

    @Test
    void stopSequencesAndLengthEndAsTheDecodingLoopSays() {
        GenerationJob stop = job(new int[] {4}, 6, 0, List.of(List.of(0, 1)));
        assertThat(tracer.trace(stop, TokenListener.NONE).output())
                .isEqualTo(GenerationOutput.encode(List.of(5, 0, 1), FinishReason.STOP_SEQUENCE));
        everyTransitionProves(stop);
        GenerationJob length = job(new int[] {4, 5}, 2, 0, List.of());
        assertThat(tracer.trace(length, TokenListener.NONE).output())
                .isEqualTo(GenerationOutput.encode(List.of(0, 1), FinishReason.LENGTH));
        everyTransitionProves(length);
    }

    @Test
    void aChangedTokenIsCaughtAtTheDrawThatMadeIt() {
        GenerationJob job = job(new int[] {0, 4}, 5, 800, List.of());
        TraceValues honest = tracer.trace(job, TokenListener.NONE);
        GenerationTrace layout = tracer.layout(job);
        // the node says the pass after the prompt fed another token than the one drawn
        long boundary = layout.index(job.promptLength(), 0);
        GenerationWitness.Boundary w = (GenerationWitness.Boundary) tracer.witness(job, boundary);
        int drawn = Arrays.stream(GenerationOutputs.tokens(honest.output())).findFirst().orElseThrow();
        int other = (drawn + 1) % BigramSteps.VOCAB;
        java.util.TreeMap<String, Hash> caches = new java.util.TreeMap<>();
        for (WitnessTensor x : w.finalState()) {
            if (x.name().equals("cache.next")) {
                caches.put("cache", x.content());
            }
        }
        Hash cheated = GenerationTrace.live(job.promptLength(), GenerationTrace.tokensHash(List.of(other)),
                GenerationStepVerifier.passInputs(commitment.decoderLeaf(), other, job.promptLength(), caches));
        Hash truth = transition(job, boundary, honest.values().get((int) boundary - 1), w);
        assertThat(truth).isEqualTo(honest.values().get((int) boundary)).isNotEqualTo(cheated);
    }

    @Test
    void witnessesThatDoNotProveAreRefused() {
        GenerationJob job = job(new int[] {0, 4}, 4, 800, List.of());
        TraceValues t = tracer.trace(job, TokenListener.NONE);
        GenerationTrace layout = tracer.layout(job);
        long op = layout.index(1, 1);
        long boundary = layout.index(2, 0);
        Hash beforeOp = t.values().get((int) op - 1);
        Hash beforeBoundary = t.values().get((int) boundary - 1);
        GenerationWitness.Boundary b = (GenerationWitness.Boundary) tracer.witness(job, boundary);

        assertThatThrownBy(() -> transition(job, op, beforeOp, b)).isInstanceOf(StepRejectedException.class)
                .hasMessageContaining("needs an op or done witness");
        assertThatThrownBy(() -> transition(job, boundary, beforeBoundary, tracer.witness(job, op)))
                .isInstanceOf(StepRejectedException.class).hasMessageContaining("needs a boundary or done witness");
        assertThatThrownBy(() -> transition(job, boundary, beforeBoundary, new GenerationWitness.Done(Hash.ZERO)))
                .isInstanceOf(StepRejectedException.class).hasMessageContaining("is not the end of a generation");
        assertThatThrownBy(() -> transition(job, layout.size(), t.values().get(t.values().size() - 1), b))
                .isInstanceOf(StepRejectedException.class).hasMessageContaining("outside");
        // one token too many or too few drawn before the pass
        List<Integer> more = new ArrayList<>(b.generated());
        more.add(1);
        assertThatThrownBy(() -> transition(job, boundary, beforeBoundary,
                new GenerationWitness.Boundary(b.decoder(), b.decoderPath(), more, b.finalState())))
                .isInstanceOf(StepRejectedException.class).hasMessageContaining("tokens");
        // logits changed, or given only by hash
        List<WitnessTensor> changed = new ArrayList<>();
        List<WitnessTensor> hashedLogits = new ArrayList<>();
        for (WitnessTensor x : b.finalState()) {
            if (x.isFull()) {
                int[] v = new int[x.tensor().elementCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = x.tensor().get(i);
                }
                v[0] = v[0] == 0 ? 1 : 0;
                changed.add(WitnessTensor.full(x.name(), Tensor.of(x.tensor().dtype(), x.tensor().shape(), v)));
                hashedLogits.add(WitnessTensor.hashed(x.name(), x.content()));
            } else {
                changed.add(x);
                hashedLogits.add(x);
            }
        }
        assertThatThrownBy(() -> transition(job, boundary, beforeBoundary,
                new GenerationWitness.Boundary(b.decoder(), b.decoderPath(), b.generated(), changed)))
                .isInstanceOf(StepRejectedException.class).hasMessageContaining("do not give the agreed value");
        assertThatThrownBy(() -> transition(job, boundary, beforeBoundary,
                new GenerationWitness.Boundary(b.decoder(), b.decoderPath(), b.generated(), hashedLogits)))
                .isInstanceOf(StepRejectedException.class).hasMessageContaining("in full");
        // another program's decoder leaf
        DecoderCommitment other = new DecoderCommitment(step, GenerationParameters.NO_END_TOKEN);
        assertThatThrownBy(() -> transition(job, boundary, beforeBoundary,
                new GenerationWitness.Boundary(other.decoderLeaf(), other.decoderPath(), b.generated(), b.finalState())))
                .isInstanceOf(StepRejectedException.class).hasMessageContaining("not proven");
        // the op witness of the right step with another tokens hash
        GenerationWitness.Op o = (GenerationWitness.Op) tracer.witness(job, op);
        assertThatThrownBy(() -> transition(job, op, beforeOp, new GenerationWitness.Op(Hash.ZERO, o.step())))
                .isInstanceOf(StepRejectedException.class).hasMessageContaining("agreed value");
    }

    @Test
    void aJobTheEngineRefusesIsRefusedAtIndexZeroAndNamed() {
        GenerationJob outside = job(new int[] {0, BigramSteps.VOCAB}, 2, 0, List.of());
        GenerationWitness.Start start = new GenerationWitness.Start(commitment.decoderLeaf(), commitment.decoderPath());
        assertThat(GenerationStepVerifier.inputRefusal(commitment.root(), commitment.leafCount(), commitment.stepCount(), outside,
                start)).hasValueSatisfying(m -> assertThat(m).contains("outside the vocabulary"));
        assertThatThrownBy(() -> transition(outside, 0, null, start)).isInstanceOf(StepRejectedException.class)
                .hasMessageContaining("job input");
        GenerationJob tooLong = job(new int[] {0, 1, 2}, BigramSteps.CONTEXT, 0, List.of());
        assertThat(GenerationStepVerifier.inputRefusal(commitment.root(), commitment.leafCount(), commitment.stepCount(), tooLong,
                start)).hasValueSatisfying(m -> assertThat(m).contains("context"));
        GenerationJob fine = job(new int[] {0}, 3, 0, List.of());
        assertThat(GenerationStepVerifier.inputRefusal(commitment.root(), commitment.leafCount(), commitment.stepCount(), fine,
                start)).isEmpty();
    }

    @Test
    void witnessBytesRoundTripAndMalformedOnesAreRefused() {
        GenerationJob job = job(new int[] {0, 4}, 4, 800, List.of());
        GenerationTrace layout = tracer.layout(job);
        for (long i : new long[] {0, layout.index(0, 1), layout.index(1, 0), layout.size() - 1}) {
            byte[] bytes = tracer.witness(job, i).encode();
            assertThat(GenerationWitness.decode(bytes, 1 << 20).encode()).isEqualTo(bytes);
            for (int cut = 0; cut < bytes.length; cut += Math.max(1, bytes.length / 40)) {
                byte[] truncated = Arrays.copyOf(bytes, cut);
                assertThatThrownBy(() -> GenerationWitness.decode(truncated, 1 << 20))
                        .isInstanceOf(DecodingException.class);
            }
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
            assertThatThrownBy(() -> GenerationWitness.decode(longer, 1 << 20)).isInstanceOf(DecodingException.class);
            assertThatThrownBy(() -> GenerationWitness.decode(bytes, bytes.length - 1)).isInstanceOf(DecodingException.class)
                    .hasMessageContaining("limit");
        }
        assertThatThrownBy(() -> GenerationWitness.decode(new byte[] {2}, 100)).isInstanceOf(DecodingException.class)
                .hasMessageContaining("unknown generation witness tag 2");
    }

    @Test
    void theDecoderLeafRoundTripsAndTheLayoutIsFixedByTheJob() {
        DecoderLeaf leaf = commitment.decoderLeaf();
        assertThat(DecoderLeaf.decode(leaf.encode())).isEqualTo(leaf);
        assertThat(leaf.endToken()).isEqualTo(END);
        GenerationTrace layout = new GenerationTrace(3, 4, 2);
        assertThat(layout.passes()).isEqualTo(6);
        assertThat(layout.size()).isEqualTo(6 * 3 + 1);
        assertThat(layout.passOf(7)).isEqualTo(2);
        assertThat(layout.stepOf(7)).isEqualTo(1);
        assertThat(layout.generatedBefore(2)).isZero();
        assertThat(layout.generatedBefore(3)).isEqualTo(1);
    }
}
