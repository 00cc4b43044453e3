package dev.verity.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.inference.Requantize;
import dev.verity.inference.program.CacheWrite;
import dev.verity.inference.program.CausalSoftmax;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Gather;
import dev.verity.inference.program.LayerNorm;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.QMatMul;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Softmax;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Each op of the transformer step against a naive reference, with scalar and vector kernels and random slicing. */
class AttentionOpsTest {

    /** Runs one op, all tensors but the output given; scalar and vector kernels, whole and sliced, must agree. */
    static Tensor run(Op op, TensorSpec out, Random rnd, Object... specAndValue) {
        List<TensorSpec> specs = new ArrayList<>();
        TreeMap<String, Tensor> in = new TreeMap<>();
        for (int i = 0; i < specAndValue.length; i += 2) {
            TensorSpec s = (TensorSpec) specAndValue[i];
            specs.add(s);
            in.put(s.name(), (Tensor) specAndValue[i + 1]);
        }
        specs.add(out);
        int slice = 1 + rnd.nextInt(Math.max(1, out.elementCount()));
        Tensor whole = runProgram(specs, in, op, out, 1 << 30, EngineOptions.SCALAR);
        assertThat(runProgram(specs, in, op, out, slice, EngineOptions.SCALAR)).isEqualTo(whole);
        assertThat(runProgram(specs, in, op, out, slice, EngineOptions.VECTORIZED)).isEqualTo(whole);
        return whole;
    }

    private static Tensor runProgram(List<TensorSpec> specs, SortedMap<String, Tensor> in, Op op, TensorSpec out, int slice,
            EngineOptions options) {
        Program p = new Program(specs, List.copyOf(in.keySet()), List.of(out.name()), List.of(), List.of(op), slice);
        return new IntegerEngine(p, options).run(in).outputs().get(out.name());
    }

    static TensorSpec int8(String name, int[] shape, int zeroPoint) {
        return new TensorSpec(name, DType.INT8, shape, new Quantization(zeroPoint, Requantization.ONE));
    }

    static TensorSpec position(String name) {
        return new TensorSpec(name, DType.INT32, new int[] {1}, Quantization.NONE);
    }

    static Tensor randomInt8(Random rnd, int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        int[] v = new int[n];
        int spread = rnd.nextBoolean() ? 256 : 1 + rnd.nextInt(40);
        int centre = rnd.nextInt(256) - 128;
        for (int i = 0; i < n; i++) {
            v[i] = Math.max(-128, Math.min(127, centre + rnd.nextInt(spread) - spread / 2));
        }
        return Tensor.of(DType.INT8, shape, v);
    }

    static Tensor scalar(int v) {
        return Tensor.of(DType.INT32, new int[] {1}, new int[] {v});
    }

    // ------------------------------------------------------------------------------------------- QMatMul

    @Test
    void matMulMatchesNestedLoops() {
        Random rnd = new Random(11);
        DType[] types = {DType.INT8, DType.INT16, DType.INT32};
        for (int trial = 0; trial < 300; trial++) {
            int batch = 1 + rnd.nextInt(3);
            int m = 1 + rnd.nextInt(4);
            int k = rnd.nextInt(trial < 250 ? 40 : 600);
            int n = 1 + rnd.nextInt(7);
            boolean transposeB = rnd.nextBoolean();
            int za = rnd.nextInt(256) - 128;
            int zb = rnd.nextInt(256) - 128;
            DType outType = types[rnd.nextInt(3)];
            int zy = outType == DType.INT8 ? rnd.nextInt(256) - 128 : rnd.nextInt(2001) - 1000;
            Requantization rq = trial % 5 == 0 ? Requantization.ONE
                    : new Requantization((1 << 30) + rnd.nextInt(1 << 30), rnd.nextInt(20) - 4);
            TensorSpec a = int8("a", new int[] {batch, m, k}, za);
            TensorSpec b = int8("b", transposeB ? new int[] {batch, n, k} : new int[] {batch, k, n}, zb);
            TensorSpec y = new TensorSpec("y", outType, new int[] {batch, m, n}, new Quantization(zy, Requantization.ONE));
            Tensor av = randomInt8(rnd, a.shape());
            Tensor bv = randomInt8(rnd, b.shape());
            Tensor got = run(new QMatMul("a", "b", "y", transposeB, rq), y, rnd, a, av, b, bv);
            for (int g = 0; g < batch; g++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        long acc = 0;
                        for (int t = 0; t < k; t++) {
                            int bIndex = transposeB ? (g * n + j) * k + t : (g * k + t) * n + j;
                            acc += (long) (av.get((g * m + i) * k + t) - za) * (bv.get(bIndex) - zb);
                        }
                        int expected = Requantize.requantize(acc, rq.multiplier(), rq.shift(), zy, outType.min(), outType.max());
                        assertThat(got.get((g * m + i) * n + j)).as("trial %d", trial).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void matMulAtItsDepthLimitDoesNotOverflow() {
        int k = QMatMul.MAX_DEPTH;
        TensorSpec a = int8("a", new int[] {1, k}, 127);
        TensorSpec b = int8("b", new int[] {2, k}, -128);
        TensorSpec y = new TensorSpec("y", DType.INT32, new int[] {1, 2}, Quantization.NONE);
        int[] lo = new int[k];
        java.util.Arrays.fill(lo, -128);
        int[] hi = new int[2 * k];
        java.util.Arrays.fill(hi, 127);
        java.util.Arrays.fill(hi, k, 2 * k, -128);
        Tensor got = run(new QMatMul("a", "b", "y", true, Requantization.ONE), y, new Random(1),
                a, Tensor.of(DType.INT8, new int[] {1, k}, lo), b, Tensor.of(DType.INT8, new int[] {2, k}, hi));
        assertThat(got.get(0)).isEqualTo(-255 * 255 * k); // -2147450625, no wrap
        assertThat(got.get(1)).isZero();
    }

    // ------------------------------------------------------------------------------------------- LayerNorm

    /** The LayerNorm formula in exact arbitrary-precision integers. */
    static int layerNormOracle(int[] row, int i, int zx, int zy, int[] gamma, int[] beta, int epsilon, Requantization rq) {
        BigInteger n = BigInteger.valueOf(row.length);
        BigInteger s1 = BigInteger.ZERO;
        BigInteger s2 = BigInteger.ZERO;
        for (int v : row) {
            BigInteger d = BigInteger.valueOf(v - zx);
            s1 = s1.add(d);
            s2 = s2.add(d.multiply(d));
        }
        BigInteger variance = n.multiply(s2).subtract(s1.multiply(s1)).add(BigInteger.valueOf(epsilon)).max(BigInteger.ONE);
        BigInteger r = BigInteger.ONE.shiftLeft(62).divide(variance).sqrt(); // floor(2^31 / sqrt(V))
        assertThat(r.multiply(r).multiply(variance)).isLessThanOrEqualTo(BigInteger.ONE.shiftLeft(62));
        BigInteger r1 = r.add(BigInteger.ONE);
        assertThat(r1.multiply(r1).multiply(variance)).isGreaterThan(BigInteger.ONE.shiftLeft(62));
        BigInteger c = n.multiply(BigInteger.valueOf(row[i] - zx)).subtract(s1);
        long normalized = Requantize.divRoundHalfEven(c.multiply(r).longValueExact(), 1L << 15);
        BigInteger acc = BigInteger.valueOf(normalized).multiply(BigInteger.valueOf(gamma[i])).add(BigInteger.valueOf(beta[i]));
        return Requantize.requantize(acc.longValueExact(), rq.multiplier(), rq.shift(), zy, -128, 127);
    }

    @Test
    void layerNormMatchesTheExactFormula() {
        Random rnd = new Random(12);
        for (int trial = 0; trial < 200; trial++) {
            int rows = 1 + rnd.nextInt(3);
            int width = 1 + rnd.nextInt(trial < 150 ? 20 : 800);
            int zx = rnd.nextInt(256) - 128;
            int zy = rnd.nextInt(256) - 128;
            int[] gamma = new int[width];
            int[] beta = new int[width];
            for (int i = 0; i < width; i++) {
                gamma[i] = rnd.nextInt(2 * LayerNorm.MAX_GAMMA + 1) - LayerNorm.MAX_GAMMA;
                beta[i] = rnd.nextInt();
            }
            int epsilon = rnd.nextBoolean() ? 0 : rnd.nextInt(1 << 20);
            Requantization rq = new Requantization((1 << 30) + rnd.nextInt(1 << 30), 10 + rnd.nextInt(20));
            TensorSpec x = int8("x", new int[] {rows, width}, zx);
            TensorSpec y = int8("y", new int[] {rows, width}, zy);
            Tensor xv = randomInt8(rnd, x.shape());
            Tensor got = run(new LayerNorm("x", "y", gamma, beta, epsilon, rq), y, rnd, x, xv);
            int[] all = xv.values();
            for (int row = 0; row < rows; row++) {
                int[] values = java.util.Arrays.copyOfRange(all, row * width, (row + 1) * width);
                for (int i = 0; i < width; i++) {
                    assertThat(got.get(row * width + i)).as("trial %d", trial)
                            .isEqualTo(layerNormOracle(values, i, zx, zy, gamma, beta, epsilon, rq));
                }
            }
        }
    }

    @Test
    void layerNormOfTheWidestExtremeRowsStaysExact() {
        int width = LayerNorm.MAX_WIDTH;
        int[] gamma = new int[width];
        int[] beta = new int[width];
        java.util.Arrays.fill(gamma, -LayerNorm.MAX_GAMMA);
        java.util.Arrays.fill(beta, Integer.MIN_VALUE);
        int[] v = new int[width];
        for (int i = 0; i < width; i++) {
            v[i] = i < 3 ? 127 : -128; // far from the mean: |n| near sqrt(N) for the first elements
        }
        Requantization rq = new Requantization(1 << 30, 20);
        TensorSpec x = int8("x", new int[] {1, width}, 127);
        TensorSpec y = int8("y", new int[] {1, width}, 0);
        Tensor got = run(new LayerNorm("x", "y", gamma, beta, 0, rq), y, new Random(2), x,
                Tensor.of(DType.INT8, new int[] {1, width}, v));
        for (int i : new int[] {0, 1, 2, 3, width - 1}) {
            assertThat(got.get(i)).isEqualTo(layerNormOracle(v, i, 127, 0, gamma, beta, 0, rq));
        }
    }

    @Test
    void layerNormNormalizesLikeTheRealFormula() {
        // gamma = 1 (sG = 2^-14), beta = 0, output scale 2^-5: y ~ 32 * (x - mean) / sd
        Random rnd = new Random(13);
        int width = 64;
        int[] gamma = new int[width];
        java.util.Arrays.fill(gamma, 1 << 14);
        Requantization rq = new Requantization(1 << 30, 24); // 2^-14 / (2^16 * 2^-5) = 2^-25
        assertThat((double) rq.multiplier() * Math.pow(2, -(31 + rq.shift()))).isEqualTo(Math.pow(2, -25));
        TensorSpec x = int8("x", new int[] {1, width}, 0);
        TensorSpec y = int8("y", new int[] {1, width}, 0);
        double worst = 0;
        for (int trial = 0; trial < 50; trial++) {
            Tensor xv = randomInt8(rnd, x.shape());
            Tensor got = run(new LayerNorm("x", "y", gamma, new int[width], 0, rq), y, rnd, x, xv);
            double mean = 0;
            for (int v : xv.values()) {
                mean += v;
            }
            mean /= width;
            double var = 0;
            for (int v : xv.values()) {
                var += (v - mean) * (v - mean);
            }
            var /= width;
            for (int i = 0; i < width; i++) {
                double expected = var == 0 ? 0 : Math.max(-128, Math.min(127, 32 * (xv.get(i) - mean) / Math.sqrt(var)));
                worst = Math.max(worst, Math.abs(got.get(i) - expected));
            }
        }
        assertThat(worst).isLessThanOrEqualTo(0.5 + 1e-3); // one rounding to the output grid, nothing more
    }

    // ------------------------------------------------------------------------------------------- CausalSoftmax

    @Test
    void causalSoftmaxIsSoftmaxOverTheVisibleKeys() {
        Random rnd = new Random(14);
        int[] exp = new int[256];
        for (int d = 0; d < 256; d++) {
            exp[d] = (int) Math.round(Math.scalb(Math.exp(-0.07 * d), Softmax.EXP_BITS));
        }
        for (int trial = 0; trial < 200; trial++) {
            int heads = 1 + rnd.nextInt(3);
            int rows = 1 + rnd.nextInt(3);
            int keys = 1 + rnd.nextInt(30);
            int pos = rnd.nextInt(keys + 4) - 3;
            TensorSpec x = int8("x", new int[] {heads, rows, keys}, rnd.nextInt(256) - 128);
            TensorSpec y = int8("y", new int[] {heads, rows, keys}, -128);
            Tensor xv = randomInt8(rnd, x.shape());
            Tensor got = run(new CausalSoftmax("x", "p", "y", exp), y, rnd, x, xv, position("p"), scalar(pos));
            for (int h = 0; h < heads; h++) {
                for (int r = 0; r < rows; r++) {
                    int base = (h * rows + r) * keys;
                    int visible = Math.max(0, Math.min(keys, pos + r + 1));
                    if (visible > 0) { // the plain Softmax op over the visible prefix gives the same bytes
                        int[] prefix = java.util.Arrays.copyOfRange(xv.values(), base, base + visible);
                        TensorSpec px = int8("px", new int[] {1, visible}, 0);
                        TensorSpec py = int8("py", new int[] {1, visible}, -128);
                        Tensor plain = run(new Softmax("px", "py", 1, false, exp), py, rnd, px,
                                Tensor.of(DType.INT8, new int[] {1, visible}, prefix));
                        for (int k = 0; k < visible; k++) {
                            assertThat(got.get(base + k)).isEqualTo(plain.get(k));
                        }
                    }
                    for (int k = visible; k < keys; k++) {
                        assertThat(got.get(base + k)).as("masked key %d of row %d", k, r).isEqualTo(-128);
                    }
                }
            }
        }
    }

    @Test
    void causalSoftmaxIgnoresWhateverTheMaskedKeysHold() {
        int[] exp = new int[256];
        for (int d = 0; d < 256; d++) {
            exp[d] = (1 << Softmax.EXP_BITS) >> Math.min(31, d);
        }
        TensorSpec x = int8("x", new int[] {1, 1, 4}, 0);
        TensorSpec y = int8("y", new int[] {1, 1, 4}, -128);
        Random rnd = new Random(3);
        Tensor a = run(new CausalSoftmax("x", "p", "y", exp), y, rnd, x,
                Tensor.of(DType.INT8, new int[] {1, 1, 4}, new int[] {5, 4, 127, -128}), position("p"), scalar(1));
        Tensor b = run(new CausalSoftmax("x", "p", "y", exp), y, rnd, x,
                Tensor.of(DType.INT8, new int[] {1, 1, 4}, new int[] {5, 4, 0, 99}), position("p"), scalar(1));
        // 2/3 and 1/3 of 256: 170.67 -> 171, 85.33 -> 85
        assertThat(a.values()).containsExactly(171 - 128, 85 - 128, -128, -128);
        assertThat(b).isEqualTo(a);
    }

    // ------------------------------------------------------------------------------------------- Gather, CacheWrite

    @Test
    void gatherCopiesRowsAndReadsZeroPointsOutOfRange() {
        Random rnd = new Random(15);
        TensorSpec table = int8("table", new int[] {5, 3}, 7);
        TensorSpec ids = new TensorSpec("ids", DType.INT32, new int[] {2, 3}, Quantization.NONE);
        TensorSpec y = int8("y", new int[] {2, 3, 3}, 7);
        Tensor tv = randomInt8(rnd, table.shape());
        int[] idx = {4, 0, 5, -1, Integer.MIN_VALUE, 2};
        Tensor got = run(new Gather("table", "ids", "y"), y, rnd, table, tv, ids, Tensor.of(DType.INT32, new int[] {2, 3}, idx));
        for (int i = 0; i < idx.length; i++) {
            for (int j = 0; j < 3; j++) {
                int expected = idx[i] >= 0 && idx[i] < 5 ? tv.get(idx[i] * 3 + j) : 7;
                assertThat(got.get(i * 3 + j)).isEqualTo(expected);
            }
        }
    }

    @Test
    void cacheWriteReplacesOneSliceAlongItsAxis() {
        Random rnd = new Random(16);
        for (int trial = 0; trial < 100; trial++) {
            int[] shape = {1 + rnd.nextInt(3), 1 + rnd.nextInt(6), 1 + rnd.nextInt(5)};
            int axis = rnd.nextInt(3);
            int[] updateShape = shape.clone();
            updateShape[axis] = 1;
            int pos = rnd.nextInt(shape[axis] + 2) - 1;
            int zp = rnd.nextInt(256) - 128;
            TensorSpec cache = int8("cache", shape, zp);
            TensorSpec update = int8("update", updateShape, zp);
            TensorSpec y = int8("y", shape, zp);
            Tensor cv = randomInt8(rnd, shape);
            Tensor uv = randomInt8(rnd, updateShape);
            Tensor got = run(new CacheWrite("cache", "update", "p", "y", axis), y, rnd, cache, cv, update, uv,
                    position("p"), scalar(pos));
            for (int a = 0; a < shape[0]; a++) {
                for (int b = 0; b < shape[1]; b++) {
                    for (int c = 0; c < shape[2]; c++) {
                        int[] idx = {a, b, c};
                        int e = (a * shape[1] + b) * shape[2] + c;
                        int expected;
                        if (idx[axis] == pos) {
                            idx[axis] = 0;
                            expected = uv.get((idx[0] * updateShape[1] + idx[1]) * updateShape[2] + idx[2]);
                        } else {
                            expected = cv.get(e);
                        }
                        assertThat(got.get(e)).isEqualTo(expected);
                    }
                }
            }
        }
    }
}
