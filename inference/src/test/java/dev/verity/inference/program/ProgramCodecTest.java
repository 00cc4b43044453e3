package dev.verity.inference.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.inference.TestPrograms;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProgramCodecTest {

    @Test
    void roundTripsCanonically() {
        Program p = TestPrograms.zoo(7);
        byte[] bytes = p.encode();
        Program back = Program.decode(bytes);
        assertThat(back.encode()).isEqualTo(bytes);
        assertThat(TestPrograms.zoo(7).encode()).isEqualTo(bytes); // same inputs, same bytes
        assertThat(back.opKinds()).contains("QConv2d", "QLinear", "Softmax", "Concat", "Lut");
    }

    @Test
    void everyTruncationIsADecodingException() {
        byte[] bytes = TestPrograms.zoo(7).encode();
        for (int n = 0; n < bytes.length; n += Math.max(1, n / 50)) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThatThrownBy(() -> Program.decode(cut)).isInstanceOf(DecodingException.class);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> Program.decode(longer)).isInstanceOf(DecodingException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void corruptionIsADecodingExceptionOrAValidProgram() {
        byte[] bytes = TestPrograms.zoo(7).encode();
        Random rnd = new Random(3);
        int refused = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] bad = bytes.clone();
            int flips = 1 + rnd.nextInt(3);
            for (int f = 0; f < flips; f++) {
                bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            try {
                Program p = Program.decode(bad);
                assertThat(p.encode()).isEqualTo(bad); // whatever decodes is canonical
            } catch (DecodingException e) {
                refused++;
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        assertThat(refused).isPositive();
    }

    @Test
    void theAttentionOpsRoundTripAndRefuseEveryTruncation() {
        Program p = TestPrograms.attention(5);
        byte[] bytes = p.encode();
        Program back = Program.decode(bytes);
        assertThat(back.encode()).isEqualTo(bytes);
        assertThat(back.opKinds()).contains("QMatMul", "LayerNorm", "CausalSoftmax", "Gather", "CacheWrite");
        for (int n = 0; n < bytes.length; n += Math.max(1, n / 80)) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThatThrownBy(() -> Program.decode(cut)).isInstanceOf(DecodingException.class);
        }
        Random rnd = new Random(4);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] bad = bytes.clone();
            bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            try {
                assertThat(Program.decode(bad).encode()).isEqualTo(bad);
            } catch (DecodingException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void malformedAttentionOpsAreRefusedWithTheReason() {
        // a boolean other than 0/1 in QMatMul's transposeB
        Encoder e = new Encoder();
        ProgramCodec.writeOp(e, new QMatMul("a", "b", "y", true, Requantization.ONE));
        byte[] op = e.toByteArray();
        op[1 + 3 * 5] = 2; // tag, three one-letter strings, then the boolean
        assertThatThrownBy(() -> ProgramCodec.readOp(new Decoder(op))).isInstanceOf(DecodingException.class)
                .hasMessageContaining("transposeB");
        // LayerNorm gamma out of range
        Encoder g = new Encoder();
        ProgramCodec.writeOp(g, new LayerNorm("x", "y", new int[] {LayerNorm.MAX_GAMMA}, new int[] {0}, 0, Requantization.ONE));
        byte[] ln = g.toByteArray();
        ln[1 + 5 + 5 + 4 + 1] = (byte) 0x80; // the gamma value's low bytes: 32767 -> 65535
        ln[1 + 5 + 5 + 4 + 2] = (byte) 0xFF;
        ln[1 + 5 + 5 + 4 + 3] = (byte) 0xFF;
        assertThatThrownBy(() -> ProgramCodec.readOp(new Decoder(ln))).isInstanceOf(DecodingException.class)
                .hasMessageContaining("LayerNorm").hasMessageContaining("gamma");
        // a causal softmax whose exp table does not start at 2^20
        Encoder c = new Encoder();
        ProgramCodec.writeOp(c, new CausalSoftmax("x", "p", "y", TestPrograms.attention(5).ops().stream()
                .filter(o -> o instanceof CausalSoftmax).map(o -> ((CausalSoftmax) o).expTable()).findFirst().orElseThrow()));
        byte[] cs = c.toByteArray();
        cs[1 + 5 + 5 + 5 + 4 + 3] ^= 1;
        assertThatThrownBy(() -> ProgramCodec.readOp(new Decoder(cs))).isInstanceOf(DecodingException.class)
                .hasMessageContaining("expTable[0]");
        assertThatThrownBy(() -> new CacheWrite("c", "u", "p", "y", -1)).hasMessageContaining("axis");
    }

    @Test
    void validationOfTheAttentionOpsNamesTheProblem() {
        TensorSpec a = new TensorSpec("a", DType.INT8, new int[] {2, 1, 4}, Quantization.NONE);
        TensorSpec b = new TensorSpec("b", DType.INT8, new int[] {2, 3, 5}, Quantization.NONE);
        TensorSpec y = new TensorSpec("y", DType.INT8, new int[] {2, 1, 3}, Quantization.NONE);
        assertThatThrownBy(() -> program(List.of(a, b, y), List.of("a", "b"), new QMatMul("a", "b", "y", true, Requantization.ONE)))
                .hasMessageContaining("inner dimensions differ");
        TensorSpec deep = new TensorSpec("a", DType.INT8, new int[] {1, QMatMul.MAX_DEPTH + 1}, Quantization.NONE);
        TensorSpec deepB = new TensorSpec("b", DType.INT8, new int[] {1, QMatMul.MAX_DEPTH + 1}, Quantization.NONE);
        TensorSpec one = new TensorSpec("y", DType.INT32, new int[] {1, 1}, Quantization.NONE);
        assertThatThrownBy(() -> program(List.of(deep, deepB, one), List.of("a", "b"),
                new QMatMul("a", "b", "y", true, Requantization.ONE))).hasMessageContaining("could overflow");
        TensorSpec x = new TensorSpec("x", DType.INT8, new int[] {1, 4}, Quantization.NONE);
        TensorSpec x4 = new TensorSpec("y", DType.INT8, new int[] {1, 4}, Quantization.NONE);
        assertThatThrownBy(() -> program(List.of(x, x4), List.of("x"),
                new LayerNorm("x", "y", new int[3], new int[3], 0, Requantization.ONE))).hasMessageContaining("must end in 3");
        TensorSpec bytePos = new TensorSpec("p", DType.INT8, new int[] {1}, Quantization.NONE);
        TensorSpec probs = new TensorSpec("y", DType.INT8, new int[] {1, 4}, new Quantization(-128, Requantization.ONE));
        assertThatThrownBy(() -> program(List.of(x, bytePos, probs), List.of("x", "p"),
                new CausalSoftmax("x", "p", "y", TestPrograms.expTable()))).hasMessageContaining("must be INT32 [1]");
        TensorSpec table = new TensorSpec("t", DType.INT8, new int[] {5, 4}, Quantization.NONE);
        TensorSpec ids = new TensorSpec("i", DType.INT16, new int[] {1}, Quantization.NONE);
        assertThatThrownBy(() -> program(List.of(table, ids, x4), List.of("t", "i"), new Gather("t", "i", "y")))
                .hasMessageContaining("must be INT32");
        TensorSpec cache = new TensorSpec("c", DType.INT8, new int[] {2, 4}, Quantization.NONE);
        TensorSpec update = new TensorSpec("u", DType.INT8, new int[] {2, 2}, Quantization.NONE);
        TensorSpec pos = new TensorSpec("p", DType.INT32, new int[] {1}, Quantization.NONE);
        TensorSpec out = new TensorSpec("y", DType.INT8, new int[] {2, 4}, Quantization.NONE);
        assertThatThrownBy(() -> program(List.of(cache, update, pos, out), List.of("c", "u", "p"),
                new CacheWrite("c", "u", "p", "y", 1))).hasMessageContaining("update shape [2, 2], expected [2, 1]");
    }

    private static Program program(List<TensorSpec> specs, List<String> inputs, Op op) {
        return new Program(specs, inputs, List.of(op.output()), List.of(), List.of(op), 1);
    }

    @Test
    void validationNamesTheProblem() {
        TensorSpec x = new TensorSpec("x", DType.INT8, new int[] {1, 4}, Quantization.NONE);
        TensorSpec y = new TensorSpec("y", DType.INT8, new int[] {1, 3}, Quantization.NONE);
        QLinear fc = new QLinear("x", "y", 4, 2, new byte[8], new int[2], List.of(Requantization.ONE), -128, 127);
        assertThatThrownBy(() -> new Program(List.of(x, y), List.of("x"), List.of("y"), List.of(), List.of(fc), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output shape [1, 3], expected [1, 2]");
        QLinear early = new QLinear("z", "y", 4, 3, new byte[12], new int[3], List.of(Requantization.ONE), -128, 127);
        assertThatThrownBy(() -> new Program(List.of(x, y), List.of("x"), List.of("y"), List.of(), List.of(early), 1))
                .hasMessageContaining("reads 'z' before it is defined");
        assertThatThrownBy(() -> new Requantization(1, 40)).hasMessageContaining("shift");
        assertThatThrownBy(() -> new QAdd("a", "b", "c", 1 << 22, 0, 0, -128, 127)).hasMessageContaining("multipliers");
    }
}
