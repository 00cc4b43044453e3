package dev.verity.modelhub.lm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.modelhub.lm.DecoderConfig;
import dev.verity.modelhub.lm.DecoderWeights;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecoderTrainerTest {
    private static final DecoderConfig CONFIG = new DecoderConfig(16, 16, 2, 2, 32, 64);

    /** A short text, repeated: each character's index is its token. */
    static int[] repetitiveTokens(int count) {
        String text = "the cat sat on the mat. ";
        String alphabet = "the casonm.";
        int[] tokens = new int[count];
        for (int i = 0; i < count; i++) {
            tokens[i] = alphabet.indexOf(text.charAt(i % text.length()));
        }
        return tokens;
    }

    private static DecoderTrainingOptions options(int steps, int threads) {
        return new DecoderTrainingOptions(steps, 8, 16, 1e-2, 1e-3, 20, 0.0, 0.9, 0.95, 1.0, 42, 4, threads, 50, 8);
    }

    /**
     * The loss falls from about ln 16 to the floor set by the first positions of each sequence, which see too little
     * context to be certain (after a lone space, five letters can follow: about 0.06 nats per token on average); once
     * eight characters are in view, the next one is predicted with near certainty.
     */
    @Test
    void overfitsAShortRepetitiveTextToNearZeroLoss() {
        int[] tokens = repetitiveTokens(600);
        List<TrainingProgress> seen = new ArrayList<>();
        DecoderTrainer.Result result = DecoderTrainer.train(CONFIG, tokens, tokens, options(200, 2), seen::add);

        assertThat(seen).hasSize(200);
        assertThat(seen.get(0).trainLoss()).isGreaterThan(2.0);
        assertThat(seen.get(199).trainLoss()).isLessThan(0.1);
        assertThat(seen.get(199).heldOutLoss()).isLessThan(0.1);
        assertThat(seen.get(10).hasHeldOutLoss()).isFalse();

        ParameterLayout layout = ParameterLayout.of(CONFIG);
        DecoderBackpropagation pass = new DecoderBackpropagation(layout);
        WeightSnapshot snapshot = new WeightSnapshot(layout, layout.flatten(result.weights()));
        double nats = 0;
        int predictions = 0;
        for (int start = 0; start < 24; start++) {
            pass.forward(snapshot, tokens, start, 16);
            for (int t = 8; t < 16; t++) {
                float[] logits = pass.logits(t);
                double max = Double.NEGATIVE_INFINITY;
                for (float l : logits) {
                    max = Math.max(max, l);
                }
                double sum = 0;
                for (float l : logits) {
                    sum += Math.exp(l - max);
                }
                nats += max + Math.log(sum) - logits[tokens[start + t + 1]];
                predictions++;
            }
        }
        assertThat(nats / predictions).isLessThan(0.01);
        // the reference decoder, given the learned weights, continues the text
        int[] continued = new TextGenerator(result.weights()).continuation(java.util.Arrays.copyOf(tokens, 8), 8,
                new TextGenerator.Strategy.Greedy(), -1);
        assertThat(continued).containsExactly(java.util.Arrays.copyOfRange(tokens, 8, 16));
    }

    @Test
    void weightsAreTheSameBitForBitWhateverTheThreadCount() {
        int[] tokens = repetitiveTokens(300);
        DecoderWeights one = DecoderTrainer.train(CONFIG, tokens, null, options(5, 1), p -> {}).weights();
        DecoderWeights three = DecoderTrainer.train(CONFIG, tokens, null, options(5, 3), p -> {}).weights();
        ParameterLayout layout = ParameterLayout.of(CONFIG);
        assertThat(layout.flatten(three)).containsExactly(layout.flatten(one));
    }

    @Test
    void scheduleWarmsUpLinearlyThenDecaysAlongACosine() {
        LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 1e-4, 10, 110);
        assertThat(schedule.at(0)).isEqualTo(1e-4);
        assertThat(schedule.at(9)).isEqualTo(1e-3);
        assertThat(schedule.at(60)).isCloseTo(5.5e-4, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(schedule.at(110)).isCloseTo(1e-4, org.assertj.core.api.Assertions.within(1e-12));
        assertThatThrownBy(() -> new LearningRateSchedule(1e-3, 1e-2, 0, 10)).hasMessageContaining("minimum <= peak");
    }

    @Test
    void evaluationWindowsCoverEveryTokenOnceOrAreEvenlySpaced() {
        assertThat(DecoderTrainer.windowStarts(41, 10, 100)).containsExactly(0, 10, 20, 30);
        assertThat(DecoderTrainer.windowStarts(40, 10, 100)).containsExactly(0, 10, 20);
        assertThat(DecoderTrainer.windowStarts(101, 10, 2)).containsExactly(0, 50);
    }

    @Test
    void rejectsATextShorterThanOneSequence() {
        assertThatThrownBy(() -> DecoderTrainer.train(CONFIG, new int[10], null, options(1, 1), p -> {}))
                .hasMessageContaining("the training text has 10 tokens; a sequence of 16 needs 17");
    }
}
