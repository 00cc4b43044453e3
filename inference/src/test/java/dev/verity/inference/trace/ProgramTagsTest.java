package dev.verity.inference.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.core.Sha256;
import dev.verity.inference.TestPrograms;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.OpTag;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.ProgramCodec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The tags of integer-program bytes, pinned. Program leaves are hashed into the program root a model registers on
 * chain, and step witnesses travel in transactions, so these numbers are consensus: a new op without a tag, or a
 * changed number, fails here. The two golden hashes below move only when the program encoding changes on purpose.
 */
class ProgramTagsTest {
    static final Map<String, Integer> OP_TAGS = Map.ofEntries(Map.entry("QLINEAR", 1), Map.entry("QCONV2D", 2),
            Map.entry("QADD", 3), Map.entry("QSUB", 4), Map.entry("QMUL", 5), Map.entry("RESCALE", 6), Map.entry("CLAMP", 7),
            Map.entry("LEAKYRELU", 8), Map.entry("LUT", 9), Map.entry("MAXPOOL", 10), Map.entry("AVERAGEPOOL", 11),
            Map.entry("SOFTMAX", 12), Map.entry("RESHAPE", 13), Map.entry("TRANSPOSE", 14), Map.entry("CONCAT", 15),
            Map.entry("QMATMUL", 16), Map.entry("LAYERNORM", 17), Map.entry("CAUSALSOFTMAX", 18), Map.entry("GATHER", 19),
            Map.entry("CACHEWRITE", 20));

    /**
     * SHA-256 of {@code TestPrograms.zoo(7)}'s encoding, and its program root: every op kind, every tag. Computed with
     * the bare-number tags before they were named: naming them changed no byte. The roots moved with op leaf v2 (large
     * constants and weights committed by rows; these programs have none, so only the tag and the form bytes changed).
     */
    static final String ZOO_ENCODING = "a24e2aecfa9058168e9c1f455ef32ce8be9d5c4b2d1de6cd5e3f9d100ac9dfef";
    static final String ZOO_ROOT = "cf9119b034446644a0c359e8306c65e3f3623e847c2c4cdfd034f9fccf829d69";
    /** The same for {@code TestPrograms.attention(5)}: the ops of a transformer step. */
    static final String ATTENTION_ENCODING = "dfe7efeba73ac6a8e556364bc5ab1a445416eaabcc356534340051d09abb39a6";
    static final String ATTENTION_ROOT = "8f3c420575156d8d04529e60fed722ef4b0fd5cc8b5e96c25adf4c0288b46ca6";

    @Test
    void everyOpKindHasItsPinnedTag() {
        Map<String, Integer> declared = Arrays.stream(OpTag.class.getDeclaredFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == int.class)
                .collect(Collectors.toMap(Field::getName, ProgramTagsTest::value));
        assertThat(declared).as("a new op needs a tag here and in ProgramCodec's docs").containsExactlyInAnyOrderEntriesOf(OP_TAGS);
        assertThat(Arrays.stream(Op.class.getPermittedSubclasses()).map(c -> c.getSimpleName().toUpperCase(Locale.ROOT)))
                .containsExactlyInAnyOrderElementsOf(OP_TAGS.keySet());
        assertThat(OP_TAGS.values().stream().distinct().count()).isEqualTo(OP_TAGS.size());
    }

    @Test
    void everyOpEncodesWithItsTag() {
        Map<String, Integer> seen = new HashMap<>();
        for (Program p : List.of(TraceFixtures.zoo(7), TestPrograms.attention(5))) {
            for (Op op : p.ops()) {
                Encoder e = new Encoder();
                ProgramCodec.writeOp(e, op);
                seen.put(op.kind().toUpperCase(Locale.ROOT), e.toByteArray()[0] & 0xFF);
            }
        }
        assertThat(seen).as("the zoo and the attention program hold every op kind").containsExactlyInAnyOrderEntriesOf(OP_TAGS);
        assertThatThrownBy(() -> ProgramCodec.readOp(new Decoder(new byte[] {21}))).isInstanceOf(DecodingException.class)
                .hasMessage("unknown op tag 21");
    }

    @Test
    void witnessTagsArePinned() {
        assertThat(new int[] {StepWitness.INPUT_TAG, StepWitness.OP_TAG, StepWitness.OUTPUT_TAG}).containsExactly(1, 2, 3);
        assertThat(new int[] {WitnessCodec.HASHED, WitnessCodec.FULL}).containsExactly(0, 1);
        assertThat(new int[] {OpLeaf.INLINE, OpLeaf.BY_ROWS}).containsExactly(0, 1);
        assertThat(OpLeaf.ROWS_THRESHOLD_BYTES).isEqualTo(4096);
        assertThat(OpLeaf.TAG).isEqualTo("verity.inference.trace.op.v2");
        assertThat(RowCommitment.ROW_TAG).isEqualTo("verity.inference.trace.row.v1");
        Program zoo = TraceFixtures.zoo(7);
        IntegerEngine engine = new IntegerEngine(zoo, EngineOptions.SCALAR);
        ProgramCommitment c = new ProgramCommitment(zoo);
        byte[] job = TraceFixtures.jobInput(zoo, 1);
        int last = c.stepCount() + 1;
        assertThat(OneStepProver.witness(engine, c, job, 0).encode()[0]).isEqualTo((byte) StepWitness.INPUT_TAG);
        assertThat(OneStepProver.witness(engine, c, job, 1).encode()[0]).isEqualTo((byte) StepWitness.OP_TAG);
        assertThat(OneStepProver.witness(engine, c, job, last).encode()[0]).isEqualTo((byte) StepWitness.OUTPUT_TAG);
    }

    @Test
    void theZooEncodesToItsGoldenBytes() {
        Program zoo = TraceFixtures.zoo(7);
        String encoding = Sha256.digest(zoo.encode()).hex();
        String root = new ProgramCommitment(zoo).root().hex();
        String actual = "ZOO_ENCODING = \"" + encoding + "\"\nZOO_ROOT = \"" + root + "\"";
        assertThat(encoding).as(actual).isEqualTo(ZOO_ENCODING);
        assertThat(root).as(actual).isEqualTo(ZOO_ROOT);
    }

    /** The program root of {@code TraceFixtures.rows(97)}: constants and weights committed by rows (row leaves, roots). */
    static final String ROWS_ROOT = "a221138c301cddc9f9a94863c2b4872e36717615c4b2b85ee9aeb888cd99e6df";

    @Test
    void rowCommittedLeavesGiveTheirGoldenRoot() {
        assertThat(new ProgramCommitment(TraceFixtures.rows(97)).root().hex()).isEqualTo(ROWS_ROOT);
    }

    @Test
    void theAttentionProgramEncodesToItsGoldenBytes() {
        Program p = TestPrograms.attention(5);
        String encoding = Sha256.digest(p.encode()).hex();
        String root = new ProgramCommitment(p).root().hex();
        String actual = "ATTENTION_ENCODING = \"" + encoding + "\"\nATTENTION_ROOT = \"" + root + "\"";
        assertThat(encoding).as(actual).isEqualTo(ATTENTION_ENCODING);
        assertThat(root).as(actual).isEqualTo(ATTENTION_ROOT);
    }

    private static int value(Field f) {
        try {
            return f.getInt(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
