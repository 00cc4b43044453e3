package dev.verity.compute.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.compute.model.BundledModels;
import dev.verity.compute.model.Device;
import dev.verity.compute.stream.TokenListener;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.generation.FinishReason;
import dev.verity.protocol.generation.GenerationRequest;
import dev.verity.protocol.generation.GenerationResult;
import dev.verity.service.model.ModelStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped chat model on ONNX Runtime through the shared decoding loop: seeded by the job, streamed as it goes. */
class GenerationRunnerTest {
    @TempDir
    static Path dir;
    static GenerationRunner runner;
    static final int[] PROMPT = {1, 3 + 'H', 3 + 'e', 3 + 'l', 3 + 'l', 3 + 'o'};

    @BeforeAll
    static void open() {
        BundledModels.BundledModel chat = BundledModels.installChat(new ModelStore(dir.resolve("models")));
        runner = GenerationRunner.open(chat.modelPath(), 0, new Device.Cpu());
    }

    @AfterAll
    static void close() {
        runner.close();
    }

    static Hash job(String name) {
        return Sha256.digest(name.getBytes(StandardCharsets.UTF_8));
    }

    record Heard(List<Integer> tokens, List<FinishReason> ends) implements TokenListener {
        Heard() {
            this(new ArrayList<>(), new ArrayList<>());
        }

        @Override
        public void token(int index, int id) {
            assertThat(index).isEqualTo(tokens.size());
            tokens.add(id);
        }

        @Override
        public void finished(FinishReason reason) {
            ends.add(reason);
        }

        @Override
        public void failed(String message) {
            throw new AssertionError(message);
        }
    }

    GenerationResult run(Hash job, GenerationRequest r, Heard heard) {
        return GenerationResult.decode(runner.run(job, r.encode(), VerificationMode.TEE, heard));
    }

    @Test
    void theSameJobDrawsTheSameTokensAndEveryTokenIsStreamedFirst() {
        GenerationRequest r = new GenerationRequest(PROMPT, 12, 900, 950, List.of(), 5);
        Heard first = new Heard();
        GenerationResult a = run(job("a"), r, first);
        GenerationResult again = run(job("a"), r, new Heard());
        assertThat(again.tokens()).isEqualTo(a.tokens());
        assertThat(first.tokens()).containsExactlyElementsOf(java.util.Arrays.stream(a.tokens()).boxed().toList());
        assertThat(first.ends()).containsExactly(a.finishReason());
        assertThat(a.problemFor(r, 2048, 128)).as("a result the chain takes").isNull();
        List<int[]> others = new ArrayList<>();
        for (String name : List.of("b", "c", "d", "e")) {
            others.add(run(job(name), r, new Heard()).tokens());
        }
        assertThat(others).as("other jobs draw otherwise (seeded by the job id)")
                .anySatisfy(t -> assertThat(t).isNotEqualTo(a.tokens()));
    }

    @Test
    void greedyStopsForLengthOrAtAStopSequenceWhichItKeeps() {
        GenerationResult greedy = run(job("g"), new GenerationRequest(PROMPT, 6, 0, 1000, List.of(), 0), new Heard());
        assertThat(greedy.finishReason()).as("the model writes on after 'Hello'").isEqualTo(FinishReason.LENGTH);
        assertThat(greedy.length()).isEqualTo(6);
        int[] g = greedy.tokens();
        int[] stop = {g[1]};
        GenerationResult stopped = run(job("g"), new GenerationRequest(PROMPT, 6, 0, 1000, List.of(stop), 0), new Heard());
        assertThat(stopped.finishReason()).isEqualTo(FinishReason.STOP_SEQUENCE);
        assertThat(stopped.tokens()[stopped.length() - 1]).isEqualTo(g[1]);
        assertThat(stopped.length()).isLessThanOrEqualTo(2);
    }

    @Test
    void aRunWithoutItsJobIdIsRefused() {
        assertThatThrownBy(() -> runner.run(new GenerationRequest(PROMPT, 2, 0, 1000, List.of(), 0).encode(), VerificationMode.NONE))
                .hasMessageContaining("job id");
    }
}
