package dev.verity.inference.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.engine.RunResult;
import dev.verity.inference.program.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    private final DecoderStep step = BigramSteps.step();
    private final Generator generator = Generator.onEngine(step, EngineOptions.SCALAR);

    static byte[] seed(int b) {
        byte[] s = new byte[SeedStream.SEED_BYTES];
        s[0] = (byte) b;
        s[31] = (byte) (b >> 8);
        return s;
    }

    static GenerationParameters sampling(int maxTokens, int temperature, int topP, byte[] seed) {
        return new GenerationParameters(maxTokens, temperature, topP, GenerationParameters.NO_END_TOKEN, List.of(), seed);
    }

    @Test
    void greedyFollowsTheLargestLogitAndEndsAtLength() {
        GenerationResult r = generator.generate(new int[] {2, 4}, GenerationParameters.greedy(5, GenerationParameters.NO_END_TOKEN));
        assertThat(r.tokens()).containsExactly(5, 0, 1, 2, 3);
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(r.passHashes()).hasSize(2 + 4); // the prompt, then every generated token but the last
    }

    @Test
    void theEndTokenEndsTheGenerationAndIsLeftOut() {
        GenerationResult r = generator.generate(new int[] {0}, GenerationParameters.greedy(6, 3));
        assertThat(r.tokens()).containsExactly(1, 2);
        assertThat(r.finishReason()).isEqualTo(FinishReason.END_OF_TEXT);
        assertThat(r.passHashes()).hasSize(3);
    }

    @Test
    void aStopSequenceEndsTheGenerationAndIsKept() {
        GenerationParameters p = new GenerationParameters(7, 0, 1000, GenerationParameters.NO_END_TOKEN,
                List.of(List.of(9 % BigramSteps.VOCAB, 5), List.of(3, 4)), seed(0));
        GenerationResult r = generator.generate(new int[] {0}, p);
        assertThat(r.tokens()).as("the chain checks that a result stopped by a sequence ends with it").containsExactly(1, 2, 3, 4);
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP_SEQUENCE);
        assertThat(FinishReason.fromCode(FinishReason.STOP_SEQUENCE.code())).isEqualTo(FinishReason.STOP_SEQUENCE);
        assertThat(new int[] {FinishReason.END_OF_TEXT.code(), FinishReason.STOP_SEQUENCE.code(), FinishReason.LENGTH.code()})
                .containsExactly(1, 2, 3);
    }

    @Test
    void theCacheOfEachRunFeedsTheNext() {
        IntegerEngine engine = new IntegerEngine(step.program(), EngineOptions.SCALAR);
        List<SortedMap<String, Tensor>> seen = new ArrayList<>();
        Generator recording = new Generator(step, in -> {
            seen.add(in);
            return engine.run(in);
        });
        recording.generate(new int[] {1, 3}, GenerationParameters.greedy(3, GenerationParameters.NO_END_TOKEN));
        assertThat(seen).hasSize(4);
        assertThat(seen.get(0).get("cache")).isEqualTo(recording.emptyCaches().get("cache"));
        int[] fed = {1, 3, 4, 5};
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i).get("position").get(0)).isEqualTo(i);
            assertThat(seen.get(i).get("token").get(0)).isEqualTo(fed[i]);
            RunResult r = engine.run(seen.get(i));
            if (i + 1 < seen.size()) {
                assertThat(seen.get(i + 1).get("cache")).isEqualTo(r.outputs().get("cache.next"));
            }
            Tensor cache = r.outputs().get("cache.next");
            for (int t = 0; t <= i; t++) { // row t holds the logits row of the token fed at t
                for (int u = 0; u < BigramSteps.VOCAB; u++) {
                    assertThat(cache.get(t * BigramSteps.VOCAB + u)).isEqualTo(BigramSteps.table()[fed[t] * BigramSteps.VOCAB + u]);
                }
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameTokensAndHashesWhicheverKernelsRun() {
        GenerationParameters p = sampling(6, 1500, 1000, seed(7));
        GenerationResult a = generator.generate(new int[] {0, 1}, p);
        GenerationResult b = Generator.onEngine(step, EngineOptions.VECTORIZED).generate(new int[] {0, 1}, p);
        assertThat(b).isEqualTo(a);
        assertThat(generator.generate(new int[] {0, 1}, sampling(6, 1500, 1000, seed(7)))).isEqualTo(a);
    }

    @Test
    void differentSeedsGiveDifferentTokens() {
        List<List<Integer>> outcomes = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            outcomes.add(generator.generate(new int[] {0}, sampling(6, 2000, 1000, seed(s))).tokens());
        }
        assertThat(outcomes.stream().distinct().count()).isGreaterThan(4);
    }

    @Test
    void aSmallTopPCollapsesToGreedy() {
        List<Integer> greedy = generator.generate(new int[] {3}, GenerationParameters.greedy(6, -1)).tokens();
        for (int s = 0; s < 10; s++) {
            assertThat(generator.generate(new int[] {3}, sampling(6, 2000, 0, seed(s))).tokens()).isEqualTo(greedy);
            assertThat(generator.generate(new int[] {3}, sampling(6, 1000, 1, seed(s))).tokens()).isEqualTo(greedy);
        }
    }

    @Test
    void aStepProgramMustSayWhatEachInputIs() {
        DecoderStep ok = BigramSteps.step();
        assertThatThrownBy(() -> new DecoderStep(ok.program(), "token", "token", "logits", ok.caches(), 8))
                .hasMessageContaining("separate inputs");
        assertThatThrownBy(() -> new DecoderStep(ok.program(), "cache", "position", "logits", ok.caches(), 8))
                .hasMessageContaining("must be INT32 [1]");
        assertThatThrownBy(() -> new DecoderStep(ok.program(), "token", "position", "logits", List.of(), 8))
                .hasMessageContaining("must be exactly the cache inputs");
        assertThatThrownBy(() -> new DecoderStep(ok.program(), "token", "position", "logits",
                List.of(new CacheSlot("cache", "logits")), 8)).hasMessageContaining("but its output is");
        assertThatThrownBy(() -> new DecoderStep(ok.program(), "token", "position", "cache.next", ok.caches(), 8))
                .hasMessageContaining("logits must be [1, vocabSize]");
        assertThatThrownBy(() -> new DecoderStep(ok.program(), "token", "position", "logits", ok.caches(), 0))
                .hasMessageContaining("context length must be positive");
        assertThat(ok.vocabSize()).isEqualTo(BigramSteps.VOCAB);
        assertThat(sampling(3, 700, 900, seed(3))).isEqualTo(sampling(3, 700, 900, seed(3)))
                .isNotEqualTo(sampling(3, 700, 900, seed(4)));
    }

    @Test
    void invalidRequestsAreRefusedWithTheReason() {
        GenerationParameters ok = GenerationParameters.greedy(3, -1);
        assertThatThrownBy(() -> generator.generate(new int[0], ok)).hasMessageContaining("at least one token");
        assertThatThrownBy(() -> generator.generate(new int[] {1, 6}, ok))
                .hasMessageContaining("prompt token 1 is 6, outside the vocabulary [0, 6)");
        assertThatThrownBy(() -> generator.generate(new int[] {-1}, ok)).hasMessageContaining("outside the vocabulary");
        assertThatThrownBy(() -> generator.generate(new int[] {1}, GenerationParameters.greedy(3, 6)))
                .hasMessageContaining("end token 6 is outside");
        assertThatThrownBy(() -> generator.generate(new int[] {1}, new GenerationParameters(3, 0, 1000, -1,
                List.of(List.of(1, 60)), seed(0)))).hasMessageContaining("holds token 60");
        assertThatThrownBy(() -> generator.generate(new int[] {1, 2, 3}, GenerationParameters.greedy(6, -1)))
                .hasMessageContaining("exceed the context of 8 tokens; ask for at most 5 tokens");
        assertThatThrownBy(() -> sampling(3, 2001, 1000, seed(0))).hasMessageContaining("temperature must be within [0, 2000]");
        assertThatThrownBy(() -> sampling(3, -1, 1000, seed(0))).hasMessageContaining("temperature");
        assertThatThrownBy(() -> sampling(3, 1000, 1001, seed(0))).hasMessageContaining("top-p must be within [0, 1000]");
        assertThatThrownBy(() -> sampling(0, 1000, 1000, seed(0))).hasMessageContaining("maxTokens must be at least 1");
        assertThatThrownBy(() -> sampling(3, 1000, 1000, new byte[31])).hasMessageContaining("32 bytes, got 31");
        assertThatThrownBy(() -> new GenerationParameters(3, 0, 1000, -2, List.of(), seed(0))).hasMessageContaining("end token");
        assertThatThrownBy(() -> new GenerationParameters(3, 0, 1000, -1, List.of(List.of()), seed(0)))
                .hasMessageContaining("stop sequence holds 1 to 32");
    }
}
