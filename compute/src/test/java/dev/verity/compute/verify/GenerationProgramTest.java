package dev.verity.compute.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.compute.model.BundledModels;
import dev.verity.compute.model.EndOfText;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.generate.GenerationJob;
import dev.verity.inference.generate.Generator;
import dev.verity.inference.generate.TokenListener;
import dev.verity.inference.trace.GenerationStepVerifier;
import dev.verity.inference.trace.GenerationTrace;
import dev.verity.inference.trace.GenerationWitness;
import dev.verity.inference.trace.TraceValues;
import dev.verity.modelhub.lm.ShippedLanguageModel;
import dev.verity.protocol.generation.GenerationRequest;
import dev.verity.protocol.generation.GenerationResult;
import dev.verity.service.model.ModelStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped chat model in the provable modes: its step program beside the ONNX file, traced, streamed and proven. */
class GenerationProgramTest {
    static final GenerationRequest REQUEST = new GenerationRequest(new int[] {1, 3 + 'H', 3 + 'e', 3 + 'l', 3 + 'l', 3 + 'o'}, 4,
            700, 950, List.of(), 9);

    @Test
    void theChatModelIsInstalledWithItsStepProgramAndItsEndToken(@TempDir Path dir) throws Exception {
        ModelStore store = new ModelStore(dir);
        BundledModels.BundledModel chat = BundledModels.installChat(store);
        Path program = store.companion(chat.sha256Hex(), BundledModels.PROGRAM_COMPANION).orElseThrow();
        assertThat(Files.readAllBytes(program)).isEqualTo(ShippedLanguageModel.programBytes());
        long written = Files.getLastModifiedTime(program).toMillis();
        BundledModels.installChat(store);
        assertThat(Files.getLastModifiedTime(program).toMillis()).as("a second install leaves the file alone").isEqualTo(written);
        assertThat(EndOfText.of(chat.tokenizerPath(), chat.sha256Hex())).isEqualTo(BundledModels.CHAT_END_TOKEN)
                .isEqualTo(EndOfText.inStore(store, chat.sha256Hex()));
        var step = ShippedLanguageModel.step();
        assertThat(step.vocabSize()).isEqualTo(BundledModels.CHAT_VOCABULARY);
        assertThat(step.contextLength()).isEqualTo(BundledModels.CHAT_CONTEXT);
        assertThat(BundledModels.chatCommitment().stepCount()).as("one step per op, four for the tied head")
                .isEqualTo(step.program().ops().size() + 3);
    }

    @Test
    void aGenerationIsTracedStreamedAndEveryKindOfStepProves() {
        Hash model = Sha256.digest(ShippedLanguageModel.onnx());
        GenerationProgram program = new GenerationProgram(model, ShippedLanguageModel.step(), BundledModels.CHAT_END_TOKEN);
        Hash job = Sha256.digest("chat job".getBytes(StandardCharsets.UTF_8));
        byte[] input = REQUEST.encode();
        List<Integer> heard = new ArrayList<>();
        TraceValues t = program.trace(job, input, null, (i, token) -> heard.add(token));
        GenerationResult result = GenerationResult.decode(t.output());
        assertThat(heard).containsExactlyElementsOf(java.util.Arrays.stream(result.tokens()).boxed().toList());

        // the same tokens as the decoding loop on the scalar kernels, with the job's seed
        GenerationJob spec = GenerationProgram.job(job, input);
        var expected = Generator.onEngine(ShippedLanguageModel.step(), EngineOptions.SCALAR)
                .generate(spec.prompt(), spec.parameters(BundledModels.CHAT_END_TOKEN));
        assertThat(result.tokens()).containsExactly(expected.tokenArray());

        GenerationTrace layout = new GenerationTrace(REQUEST.promptLength(), REQUEST.maxTokens(), program.commitment().stepCount());
        assertThat((long) t.values().size()).isEqualTo(layout.size());
        for (long index : new long[] {0, layout.index(2, 7), layout.index(REQUEST.promptLength(), 0), layout.size() - 1}) {
            Hash truth = GenerationStepVerifier.transition(program.commitment().root(), program.commitment().leafCount(),
                    program.commitment().stepCount(), index, index == 0 ? null : t.values().get((int) index - 1), spec,
                    GenerationWitness.decode(program.witness(job, input, index), 128 * 1024));
            assertThat(truth).as("index %d", index).isEqualTo(t.values().get((int) index));
        }
        assertThat(program.inputRefusal(job, input)).isEmpty();
        GenerationRequest tooLong = new GenerationRequest(new int[120], 9, 0, 1000, List.of(), 0);
        assertThat(program.inputRefusal(job, tooLong.encode())).hasValueSatisfying(m -> assertThat(m).contains("context"));
    }

    @Test
    void aCheatThatChangesATokenCommitsToATraceThatFollowsIt() {
        Hash model = Sha256.digest(ShippedLanguageModel.onnx());
        GenerationProgram program = new GenerationProgram(model, ShippedLanguageModel.step(), BundledModels.CHAT_END_TOKEN);
        Hash job = Sha256.digest("cheated".getBytes(StandardCharsets.UTF_8));
        TraceCheat flipFirst = new TraceCheat() {
            @Override
            public TraceValues apply(Hash j, TraceValues honest) {
                throw new AssertionError("a token cheat re-runs the generation");
            }

            @Override
            public java.util.function.IntBinaryOperator tokenSubstitute(Hash j) {
                return (i, drawn) -> i == 0 ? drawn ^ 1 : drawn;
            }

            @Override
            public void allowedOn(String chainId) {}
        };
        TraceValues honest = program.trace(job, REQUEST.encode(), null, TokenListener.NONE);
        TraceValues cheated = program.trace(job, REQUEST.encode(), flipFirst, TokenListener.NONE);
        int first = GenerationResult.decode(honest.output()).tokens()[0];
        assertThat(GenerationResult.decode(cheated.output()).tokens()[0]).isEqualTo(first ^ 1);
        GenerationTrace layout = new GenerationTrace(REQUEST.promptLength(), REQUEST.maxTokens(), program.commitment().stepCount());
        int differ = 0;
        while (honest.values().get(differ).equals(cheated.values().get(differ))) {
            differ++;
        }
        assertThat((long) differ).as("the trees first differ where the changed token is fed")
                .isEqualTo(layout.index(REQUEST.promptLength(), 0));
    }
}
