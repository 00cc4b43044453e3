package dev.verity.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Golden tests: the Vector API kernels give exactly the scalar kernels' results on random inputs. */
class KernelsTest {
    private final Kernels scalar = Kernels.scalar();
    private final Kernels vector = Kernels.vector();

    @Test
    void dotProductsAgree() {
        Random rnd = new Random(1);
        for (int trial = 0; trial < 5000; trial++) {
            int n = rnd.nextInt(trial < 4000 ? 80 : 3000);
            byte[] a = new byte[n + 40];
            byte[] b = new byte[n + 40];
            fill(rnd, a, trial % 3);
            fill(rnd, b, trial % 5);
            int ao = rnd.nextInt(20);
            int bo = rnd.nextInt(20);
            assertThat(vector.dot(a, ao, b, bo, n)).as("n=%d", n).isEqualTo(scalar.dot(a, ao, b, bo, n));
        }
    }

    @Test
    void batchedDotProductsAgreeWithSingleOnes() {
        Random rnd = new Random(4);
        for (int trial = 0; trial < 2000; trial++) {
            int len = 1 + rnd.nextInt(trial < 1500 ? 50 : 700);
            int rows = 1 + rnd.nextInt(12);
            int row0 = rnd.nextInt(4);
            byte[] a = new byte[len + 10];
            byte[] w = new byte[(row0 + rows) * len];
            fill(rnd, a, trial % 3);
            fill(rnd, w, trial % 4);
            int aOff = rnd.nextInt(10);
            int[] s = new int[rows];
            int[] v = new int[rows];
            scalar.dots(a, aOff, w, row0, rows, len, s);
            vector.dots(a, aOff, w, row0, rows, len, v);
            assertThat(v).isEqualTo(s);
            for (int r = 0; r < rows; r++) {
                assertThat(s[r]).isEqualTo(scalar.dot(a, aOff, w, (row0 + r) * len, len));
            }
        }
    }

    @Test
    void dotProductsWrapIdenticallyOnOverflow() {
        int n = 200_000; // 200000 * 16384 > 2^31: the int32 sum wraps, identically
        byte[] a = new byte[n];
        byte[] b = new byte[n];
        java.util.Arrays.fill(a, (byte) -128);
        java.util.Arrays.fill(b, (byte) -128);
        int expected = (int) ((long) n * 16384);
        assertThat(scalar.dot(a, 0, b, 0, n)).isEqualTo(expected);
        assertThat(vector.dot(a, 0, b, 0, n)).isEqualTo(expected);
    }

    @Test
    void centeredDotProductsAgreeWithTheScalarOracle() {
        qt().withExamples(3000).forAll(longs().all(), integers().between(0, 300), integers().between(1, 9),
                integers().between(0, 0xFFFF)).checkAssert((seed, len, rows, zeroPoints) -> {
            int za = (zeroPoints & 0xFF) - 128;
            int zw = (zeroPoints >> 8) - 128;
            Random rnd = new Random(seed);
            byte[] a = new byte[len + 16];
            byte[] w = new byte[rows * len + 16];
            fill(rnd, a, (int) (seed & 3) % 3);
            fill(rnd, w, (int) ((seed >> 2) & 3));
            int aOff = rnd.nextInt(16);
            int wOff = rnd.nextInt(16);
            int[] s = new int[rows];
            int[] v = new int[rows];
            scalar.centeredDots(a, aOff, za, w, wOff, rows, len, zw, s);
            vector.centeredDots(a, aOff, za, w, wOff, rows, len, zw, v);
            assertThat(v).isEqualTo(s);
            for (int r = 0; r < rows; r++) {
                long expected = 0;
                for (int i = 0; i < len; i++) {
                    expected += (long) (a[aOff + i] - za) * (w[wOff + r * len + i] - zw);
                }
                assertThat((long) s[r]).isEqualTo(expected);
            }
        });
    }

    @Test
    void rescaledAddsAgree() {
        Random rnd = new Random(2);
        for (int trial = 0; trial < 5000; trial++) {
            int n = rnd.nextInt(trial < 4000 ? 70 : 5000);
            byte[] a = new byte[n + 30];
            byte[] b = new byte[n + 30];
            fill(rnd, a, trial % 3);
            fill(rnd, b, trial % 4);
            int za = rnd.nextInt(256) - 128;
            int zb = rnd.nextInt(256) - 128;
            int zo = rnd.nextInt(256) - 128;
            int bound = (1 << 22) - 1;
            int ma = trial % 7 == 0 ? (rnd.nextBoolean() ? bound : -bound) : rnd.nextInt(2 * bound + 1) - bound;
            int mb = trial % 11 == 0 ? (rnd.nextBoolean() ? bound : -bound) : rnd.nextInt(2 * bound + 1) - bound;
            int shift = trial % 13 == 0 ? 0 : rnd.nextInt(32);
            int min = rnd.nextInt(64) - 128;
            int max = 127 - rnd.nextInt(64);
            int ao = rnd.nextInt(15);
            int bo = rnd.nextInt(15);
            int oo = rnd.nextInt(15);
            byte[] outS = new byte[n + 30];
            byte[] outV = new byte[n + 30];
            scalar.addRescaled(a, ao, b, bo, outS, oo, n, za, zb, ma, mb, shift, zo, min, max);
            vector.addRescaled(a, ao, b, bo, outV, oo, n, za, zb, ma, mb, shift, zo, min, max);
            assertThat(outV).as("trial %d", trial).isEqualTo(outS);
        }
    }

    @Test
    void rescaledAddRoundsTiesToEven() {
        // (a - 0) * 1 + (b - 0) * 1 = 3, shift 1: 1.5 -> 2; = 5 -> 2.5 -> 2; = -3 -> -1.5 -> -2
        byte[] a = {1, 2, -1, 1, 2, -1, 1, 2, -1};
        byte[] b = {2, 3, -2, 2, 3, -2, 2, 3, -2};
        byte[] out = new byte[9];
        for (Kernels k : new Kernels[] {scalar, vector}) {
            k.addRescaled(a, 0, b, 0, out, 0, 9, 0, 0, 1, 1, 1, 0, -128, 127);
            assertThat(out).containsExactly(2, 2, -2, 2, 2, -2, 2, 2, -2);
        }
    }

    private static void fill(Random rnd, byte[] x, int mode) {
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (mode) {
                case 0 -> (byte) rnd.nextInt(256);
                case 1 -> rnd.nextBoolean() ? (byte) -128 : (byte) 127;
                default -> (byte) (rnd.nextInt(9) - 4);
            };
        }
    }
}
