package dev.verity.inference.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.DecodingException;
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
