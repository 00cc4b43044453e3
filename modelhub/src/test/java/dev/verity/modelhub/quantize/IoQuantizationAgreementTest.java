package dev.verity.modelhub.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.inference.program.DType;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import dev.verity.inference.trace.IoQuantization;
import dev.verity.modelhub.floatengine.FloatTensor;
import dev.verity.modelhub.hub.PackageRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link IoQuantization} (exact integer arithmetic on float bits, usable by the chain) against {@link FixedPoint}
 * (double arithmetic, the definition nodes used before).
 *
 * <p>Dequantization agrees bit for bit: {@code (q - zp) * multiplier} is an integer below 2^39, exact in a double,
 * and scaling by a power of two is exact, so the double product is the exact value and the cast to float rounds
 * it once, as {@code IoQuantization} does. The one difference is the sign of a zero result: for a negative scale,
 * {@code 0 * scale} is {@code -0.0} in double arithmetic and {@code +0.0} by definition here (scales are positive
 * in every quantized model).
 *
 * <p>Quantization agrees on every float too: both operands of {@code x / scale} are exact in a double; the exact
 * quotient, when not itself a tie {@code k + 1/2}, is at least {@code quotient * 2^-25} away from the nearest tie
 * (the numerator has at most 24 significant bits), far more than the double rounding error
 * ({@code quotient * 2^-53}), so the double quotient never lands on or across a tie; and beyond the int8 range
 * both clamp. So no tie difference is allowed below.
 */
class IoQuantizationAgreementTest {

    static Quantization randomQuantization(Random rnd) {
        int multiplier = (1 << 30) + rnd.nextInt(1 << 30);
        int shift = switch (rnd.nextInt(4)) {
            case 0 -> -31 + rnd.nextInt(64); // the whole range
            default -> rnd.nextInt(12); // scales of typical activations, 2^-1 .. 2^-12
        };
        return new Quantization(rnd.nextInt(256) - 128, new Requantization(multiplier, shift));
    }

    @Test
    void dequantizeOutputEqualsFixedPointBitForBit() {
        Random rnd = new Random(17);
        int[] all = new int[256];
        for (int i = 0; i < 256; i++) {
            all[i] = i - 128;
        }
        Tensor t = Tensor.of(DType.INT8, new int[] {256}, all);
        for (int trial = 0; trial < 3000; trial++) {
            Quantization q = trial == 0 ? new Quantization(0, Requantization.ONE) : randomQuantization(rnd);
            TensorSpec spec = new TensorSpec("y", DType.INT8, new int[] {256}, q);
            byte[] expected = PackageRunner.encode(FixedPoint.dequantize(t, q).data());
            assertThat(IoQuantization.dequantizeOutput(t, spec)).as("%s", q).isEqualTo(expected);
        }
    }

    @Test
    void quantizeInputEqualsFixedPointOnRandomAndEdgeFloats() {
        Random rnd = new Random(23);
        List<Float> values = new ArrayList<>();
        for (float f : new float[] {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.5f, 1.5f, 2.5f, -0.5f, -2.5f, 127.5f, -128.5f,
                1e-30f, 1e30f}) {
            values.add(f);
        }
        for (int i = 0; i < 40_000; i++) {
            values.add(Float.intBitsToFloat(rnd.nextInt())); // every exponent, NaNs included
            values.add((float) (rnd.nextGaussian() * 3)); // typical activations
            values.add(rnd.nextFloat()); // [0, 1), like pixel intensities
        }
        int checked = 0;
        for (int trial = 0; trial < 40; trial++) {
            Quantization q = randomQuantization(rnd);
            float[] data = new float[values.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = values.get(i);
            }
            TensorSpec spec = new TensorSpec("x", DType.INT8, new int[] {data.length}, q);
            Tensor expected = FixedPoint.quantize(new FloatTensor(new int[] {data.length}, data), q);
            Tensor got = IoQuantization.quantizeInput(PackageRunner.encode(data), spec);
            for (int i = 0; i < data.length; i++) {
                if (got.get(i) != expected.get(i)) {
                    throw new AssertionError("x = " + data[i] + " (bits " + Integer.toHexString(Float.floatToRawIntBits(data[i]))
                            + ") with " + q + ": exact " + got.get(i) + ", FixedPoint " + expected.get(i));
                }
            }
            checked += data.length;
        }
        assertThat(checked).isGreaterThan(100_000);
    }

    @Test
    void quantizeInputEqualsFixedPointNearEveryTie() {
        // values at, just below and just above (k + 1/2) * scale for every k in the int8 range
        Random rnd = new Random(29);
        for (int trial = 0; trial < 200; trial++) {
            Quantization q = randomQuantization(rnd);
            double s = FixedPoint.scale(q);
            float[] data = new float[3 * 300];
            int n = 0;
            for (int k = -150; k < 150; k++) {
                float x = (float) ((k + 0.5) * s);
                data[n++] = x;
                data[n++] = Math.nextDown(x);
                data[n++] = Math.nextUp(x);
            }
            TensorSpec spec = new TensorSpec("x", DType.INT8, new int[] {n}, q);
            Tensor expected = FixedPoint.quantize(new FloatTensor(new int[] {n}, data), q);
            assertThat(IoQuantization.quantizeInput(PackageRunner.encode(data), spec)).isEqualTo(expected);
        }
    }

    @Test
    void float32BitsEqualsAnExactReference() {
        Random rnd = new Random(31);
        for (int trial = 0; trial < 200_000; trial++) {
            long magnitude = switch (rnd.nextInt(3)) {
                case 0 -> rnd.nextLong() >>> (1 + rnd.nextInt(63));
                case 1 -> rnd.nextInt(1 << 26);
                default -> rnd.nextLong() >>> 1;
            };
            int exponent = rnd.nextInt(400) - 250;
            boolean negative = rnd.nextBoolean();
            // keep 53 bits and a sticky bit: the double is then exact and rounds to float like the full value
            int drop = Math.max(0, 64 - Long.numberOfLeadingZeros(magnitude) - 53);
            long kept = magnitude >>> drop;
            if (drop > 0 && (magnitude & ((1L << drop) - 1)) != 0) {
                kept |= 1;
            }
            double exact = Math.scalb((double) kept, exponent + drop);
            float expected = (float) (negative ? -exact : exact);
            int got = IoQuantization.float32Bits(negative, magnitude, exponent);
            if (magnitude == 0) {
                assertThat(got).isEqualTo(negative ? 0x8000_0000 : 0);
            } else if (got != Float.floatToRawIntBits(expected)) {
                throw new AssertionError(magnitude + " * 2^" + exponent + ": got " + Integer.toHexString(got) + ", expected "
                        + Integer.toHexString(Float.floatToRawIntBits(expected)));
            }
        }
    }
}
