package dev.verity.inference.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.inference.program.DType;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import org.junit.jupiter.api.Test;

/** Exact cases by bit pattern (floating point is kept out of this module, tests included; modelhub compares with it). */
class IoQuantizationTest {
    static final Quantization UNIT = new Quantization(0, Requantization.ONE);
    static final int ONE = 0x3F80_0000;
    static final int NAN = 0x7FC0_0000;
    static final int INF = 0x7F80_0000;

    static int q(int bits, Quantization q) {
        return IoQuantization.quantize(bits, q);
    }

    @Test
    void quantizeRoundsTheExactQuotientHalfToEven() {
        assertThat(q(0x4020_0000, UNIT)).isEqualTo(2); // 2.5
        assertThat(q(0x4060_0000, UNIT)).isEqualTo(4); // 3.5
        assertThat(q(0xC020_0000, UNIT)).isEqualTo(-2); // -2.5
        assertThat(q(0x3F00_0000, UNIT)).isEqualTo(0); // 0.5
        assertThat(q(0x3F00_0001, UNIT)).isEqualTo(1); // just above 0.5
        assertThat(q(0x3EFF_FFFF, UNIT)).isEqualTo(0); // just below
        Quantization z = new Quantization(-7, new Requantization(1 << 30, 6)); // scale 1/128
        assertThat(q(ONE, z)).isEqualTo(121); // 128 - 7
        assertThat(q(0x3F00_0000, z)).isEqualTo(57); // 64 - 7
        assertThat(q(0x4000_0000, z)).isEqualTo(127); // clamped
        assertThat(q(0xC000_0000, z)).isEqualTo(-128);
    }

    @Test
    void specialValues() {
        Quantization z = new Quantization(9, new Requantization(1_234_567_890, 3));
        assertThat(q(NAN, z)).isEqualTo(9);
        assertThat(q(0xFFC0_0001, z)).isEqualTo(9);
        assertThat(q(INF, z)).isEqualTo(127);
        assertThat(q(INF | 0x8000_0000, z)).isEqualTo(-128);
        assertThat(q(0, z)).isEqualTo(9);
        assertThat(q(0x8000_0000, z)).isEqualTo(9);
        assertThat(q(1, z)).isEqualTo(9); // the smallest subnormal
        assertThat(q(0x7F7F_FFFF, z)).isEqualTo(127); // the largest float
        Quantization negative = new Quantization(0, new Requantization(-(1 << 30), -1)); // scale -1
        assertThat(q(0x4040_0000, negative)).isEqualTo(-3);
        assertThat(q(INF, negative)).isEqualTo(-128);
        Quantization zero = new Quantization(4, new Requantization(0, 0));
        assertThat(q(ONE, zero)).isEqualTo(127);
        assertThat(q(ONE | 0x8000_0000, zero)).isEqualTo(-128);
        assertThat(q(0, zero)).isEqualTo(4);
    }

    @Test
    void float32BitsRoundsOnceToNearestEven() {
        assertThat(IoQuantization.float32Bits(false, 1, 0)).isEqualTo(ONE);
        assertThat(IoQuantization.float32Bits(true, 3, -1)).isEqualTo(0xBFC0_0000); // -1.5
        assertThat(IoQuantization.float32Bits(false, (1L << 24) + 1, 0)).isEqualTo(0x4B80_0000); // 2^24 + 1 -> 2^24 (tie, even)
        assertThat(IoQuantization.float32Bits(false, (1L << 24) + 3, 0)).isEqualTo(0x4B80_0002); // 2^24 + 3 -> 2^24 + 4
        assertThat(IoQuantization.float32Bits(false, Long.MAX_VALUE, 0)).isEqualTo(0x5F00_0000); // 2^63
        // subnormals: quantum 2^-149
        assertThat(IoQuantization.float32Bits(false, 1, -149)).isEqualTo(1);
        assertThat(IoQuantization.float32Bits(false, 1, -150)).isEqualTo(0); // half the quantum, tie to even 0
        assertThat(IoQuantization.float32Bits(false, 3, -150)).isEqualTo(2); // 1.5 quanta -> 2
        assertThat(IoQuantization.float32Bits(false, 5, -151)).isEqualTo(1); // 1.25 quanta -> 1
        assertThat(IoQuantization.float32Bits(false, (1L << 24) - 1, -150)).isEqualTo(0x0080_0000); // rounds up to 2^-126
        assertThat(IoQuantization.float32Bits(true, 1, -300)).isEqualTo(0x8000_0000);
        // overflow
        assertThat(IoQuantization.float32Bits(false, (1L << 24) - 1, 104)).isEqualTo(0x7F7F_FFFF); // the largest float
        assertThat(IoQuantization.float32Bits(false, (1L << 25) - 1, 103)).isEqualTo(INF); // rounds to 2^128
        assertThat(IoQuantization.float32Bits(true, 1, 128)).isEqualTo(INF | 0x8000_0000);
        assertThat(IoQuantization.float32Bits(false, 0, 50)).isZero();
    }

    @Test
    void dequantizeGivesPositiveZeroAndExactProducts() {
        Quantization z = new Quantization(-128, new Requantization(1 << 30, 6)); // scale 1/128
        assertThat(IoQuantization.dequantize(-128, z)).isZero();
        assertThat(IoQuantization.dequantize(0, z)).isEqualTo(ONE);
        assertThat(IoQuantization.dequantize(-127, z)).isEqualTo(0x3C00_0000); // 2^-7
        Quantization negative = new Quantization(3, new Requantization(-(1 << 30), 6));
        assertThat(IoQuantization.dequantize(3, negative)).isZero(); // +0, not -0
        assertThat(IoQuantization.dequantize(4, negative)).isEqualTo(0xBC00_0000);
    }

    @Test
    void tensorsConvertLittleEndianAndRefuseWrongSizes() {
        TensorSpec spec = new TensorSpec("x", DType.INT8, new int[] {1, 2}, new Quantization(1, Requantization.ONE));
        byte[] job = {0, 0, (byte) 0x80, 0x3F, 0, 0, 0x20, (byte) 0xC0}; // 1.0, -2.5
        Tensor t = IoQuantization.quantizeInput(job, spec);
        assertThat(t.values()).containsExactly(2, -1);
        assertThat(IoQuantization.dequantizeOutput(t, spec)).containsExactly(0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0);
        assertThatThrownBy(() -> IoQuantization.quantizeInput(new byte[7], spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes 2 float32 values (8 bytes), got 7 bytes");
        TensorSpec wide = new TensorSpec("w", DType.INT16, new int[] {2}, Quantization.NONE);
        assertThatThrownBy(() -> IoQuantization.quantizeInput(job, wide)).hasMessageContaining("INT16");
        assertThatThrownBy(() -> IoQuantization.dequantizeOutput(t, wide)).hasMessageContaining("does not match");
        Tensor big = Tensor.of(DType.INT32, new int[] {2}, new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE});
        TensorSpec acc = new TensorSpec("acc", DType.INT32, new int[] {2}, new Quantization(5, new Requantization(Integer.MAX_VALUE, -31)));
        byte[] out = IoQuantization.dequantizeOutput(big, acc); // (2^31 + 5) * (2^31 - 1): within a long, rounded once
        assertThat(out).hasSize(8);
    }
}
