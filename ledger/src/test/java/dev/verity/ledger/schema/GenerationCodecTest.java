package dev.verity.ledger.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.protocol.generation.FinishReason;
import dev.verity.protocol.generation.GenerationRequest;
import dev.verity.protocol.generation.GenerationResult;
import dev.verity.protocol.schema.InputSchema;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The generation request and result encodings: canonical, as documented, and every malformation refused with the reason. */
class GenerationCodecTest {
    static final Gen<int[]> IDS = Generate.intArrays(integers().between(1, 40), integers().all());
    static final Gen<GenerationRequest> REQUESTS = IDS.zip(integers().between(1, 4096), integers().between(0, 2000),
            integers().between(1, 1000), (p, m, t, k) -> new int[][] {p, {m, t, k}})
            .zip(lists().of(Generate.intArrays(integers().between(1, 16), integers().all())).ofSizeBetween(0, 4),
                    longs().between(0, Long.MAX_VALUE),
                    (a, stops, seed) -> new GenerationRequest(a[0], a[1][0], a[1][1], a[1][2], stops, seed));

    @Test
    void requestsRoundTripAndEveryTruncationIsRefused() {
        qt().withExamples(1_000).forAll(REQUESTS).checkAssert(r -> {
            byte[] bytes = r.encode();
            GenerationRequest back = GenerationRequest.decode(bytes);
            assertThat(back.encode()).isEqualTo(bytes);
            assertThat(back.prompt()).isEqualTo(r.prompt());
            assertThat(back.stopSequences()).usingRecursiveComparison().isEqualTo(r.stopSequences());
            for (int cut = 0; cut < bytes.length; cut++) {
                byte[] prefix = Arrays.copyOf(bytes, cut);
                assertThatThrownBy(() -> GenerationRequest.decode(prefix)).isExactlyInstanceOf(DecodingException.class);
            }
            byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
            assertThatThrownBy(() -> GenerationRequest.decode(longer)).hasMessageContaining("trailing");
        });
    }

    @Test
    void theRequestEncodingIsAsDocumented() {
        GenerationRequest r = new GenerationRequest(new int[] {1, 258}, 16, 700, 950, List.of(new int[] {2}), 9);
        assertThat(r.encode()).isEqualTo(new Encoder().u8(1).u32(2).u32(1).u32(258).u32(16).u32(700).u32(950).u8(1).u8(1).u32(2)
                .u64(9).toByteArray());
    }

    @Test
    void requestsOutOfRangeAreRefusedWithTheReason() {
        assertThatThrownBy(() -> new GenerationRequest(new int[0], 1, 0, 1000, List.of(), 0)).hasMessageContaining("prompt must hold 1");
        assertThatThrownBy(() -> new GenerationRequest(new int[] {1}, 0, 0, 1000, List.of(), 0)).hasMessageContaining("max tokens");
        assertThatThrownBy(() -> new GenerationRequest(new int[] {1}, 1, 2001, 1000, List.of(), 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new GenerationRequest(new int[] {1}, 1, -1, 1000, List.of(), 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new GenerationRequest(new int[] {1}, 1, 0, 0, List.of(), 0)).hasMessageContaining("top-p");
        assertThatThrownBy(() -> new GenerationRequest(new int[] {1}, 1, 0, 1001, List.of(), 0)).hasMessageContaining("top-p");
        assertThatThrownBy(() -> new GenerationRequest(new int[] {1}, 1, 0, 1000, List.of(new int[17]), 0))
                .hasMessageContaining("stop sequence holds 1 to 16");
        assertThatThrownBy(() -> new GenerationRequest(new int[] {1}, 1, 0, 1000,
                List.of(new int[1], new int[1], new int[1], new int[1], new int[1]), 0)).hasMessageContaining("at most 4 stop");
        assertThatThrownBy(() -> new GenerationRequest(new int[] {1}, 1, 0, 1000, List.of(), -1)).hasMessageContaining("seed");
        byte[] version2 = new GenerationRequest(new int[] {1}, 1, 0, 1000, List.of(), 0).encode();
        version2[0] = 2;
        assertThatThrownBy(() -> GenerationRequest.decode(version2)).hasMessageContaining("version 2 is not known");
        byte[] hugeCount = new Encoder().u8(1).u32(0xFFFF_FFFFL).toByteArray();
        assertThatThrownBy(() -> GenerationRequest.decode(hugeCount)).as("no allocation for a claimed length")
                .isExactlyInstanceOf(DecodingException.class).hasMessageContaining("prompt holds 4294967295 tokens");
        byte[] hotTemperature = new Encoder().u8(1).u32(1).u32(5).u32(1).u32(5_000).u32(1000).u8(0).u64(0).toByteArray();
        assertThatThrownBy(() -> GenerationRequest.decode(hotTemperature)).isExactlyInstanceOf(DecodingException.class)
                .hasMessageContaining("temperature");
    }

    @Test
    void resultsRoundTripAndTheirCodesArePinned() {
        qt().withExamples(500).forAll(Generate.intArrays(integers().between(0, 50), integers().all()),
                integers().between(1, 3)).checkAssert((ids, code) -> {
                    GenerationResult r = new GenerationResult(ids, FinishReason.fromCode(code));
                    byte[] bytes = r.encode();
                    GenerationResult back = GenerationResult.decode(bytes);
                    assertThat(back.tokens()).isEqualTo(ids);
                    assertThat(back.finishReason()).isEqualTo(r.finishReason());
                    for (int cut = 0; cut < bytes.length; cut++) {
                        byte[] prefix = Arrays.copyOf(bytes, cut);
                        assertThatThrownBy(() -> GenerationResult.decode(prefix)).isExactlyInstanceOf(DecodingException.class);
                    }
                });
        assertThat(List.of(FinishReason.END_OF_TEXT.code(), FinishReason.STOP_SEQUENCE.code(), FinishReason.LENGTH.code()))
                .containsExactly(1, 2, 3);
        assertThat(new GenerationResult(new int[] {7}, FinishReason.LENGTH).encode())
                .isEqualTo(new Encoder().u8(1).u32(1).u32(7).u8(3).toByteArray());
        assertThatThrownBy(() -> GenerationResult.decode(new Encoder().u8(1).u32(0).u8(4).toByteArray()))
                .isExactlyInstanceOf(DecodingException.class).hasMessageContaining("finish reason");
        assertThatThrownBy(() -> GenerationResult.decode(new Encoder().u8(1).u32(1_000_000).toByteArray()))
                .hasMessageContaining("claims 1000000 tokens");
    }

    @Test
    void theEnginesFinishReasonsAreTheChainsByNameAndCode() {
        assertThat(Arrays.stream(dev.verity.inference.generate.FinishReason.values()).map(r -> r.name() + "=" + r.code()))
                .containsExactlyElementsOf(Arrays.stream(FinishReason.values()).map(r -> r.name() + "=" + r.code()).toList());
    }

    @Test
    void theIntegerEnginesOutputBytesAreTheProtocolsResult() {
        // the chain's step check of a generation hashes the engine's own encoding; a node posts the protocol's
        qt().forAll(lists().of(integers().between(0, 1 << 20)).ofSizeBetween(0, 40), integers().between(1, 3))
                .checkAssert((tokens, code) -> assertThat(dev.verity.inference.generate.GenerationOutput.encode(tokens,
                        dev.verity.inference.generate.FinishReason.fromCode(code)))
                        .isEqualTo(new GenerationResult(tokens.stream().mapToInt(Integer::intValue).toArray(),
                                FinishReason.fromCode(code)).encode()));
    }

    @Test
    void theSchemaChecksTheRequestAgainstTheModel() {
        InputSchema.TokenGeneration chat = new InputSchema.TokenGeneration(2048, 128, 64, 1, 2);
        assertThat(chat.problem(new GenerationRequest(new int[] {0, 2047}, 64, 0, 1000, List.of(), 0).encode())).isNull();
        assertThat(chat.problem(new GenerationRequest(new int[120], 8, 0, 1000, List.of(), 0).encode())).isNull();
        assertThat(chat.problem(new GenerationRequest(new int[121], 8, 0, 1000, List.of(), 0).encode()))
                .contains("exceed this model's context of 128", "ask for at most 7");
        assertThat(chat.tokenUnits(10, 5)).isEqualTo(10 + 2 * 5);
        assertThat(chat.declarationProblem(1 << 20)).isNull();
        assertThat(chat.byteLimit()).as("the longest request the context allows")
                .isEqualTo(new GenerationRequest(new int[127], 1, 0, 1000, List.of(new int[16], new int[16], new int[16],
                        new int[16]), 0).encode().length);
        assertThat(new InputSchema.TokenGeneration(2048, 128, 128, 1, 2).declarationProblem(1 << 20))
                .contains("maxNewTokens < context");
        assertThat(new InputSchema.TokenGeneration(2048, 128, 64, 1, 0).declarationProblem(1 << 20)).contains("1 to");
        assertThat(new InputSchema.TokenGeneration(2048, 1 << 20, 64, 1, 1).declarationProblem(1 << 20))
                .contains("more than the chain's input limit");
    }
}
