package dev.verity.modelhub.lm.train;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense loops of training, on row-major {@code float[]} slices, vectorised with the Vector API. Each fast kernel
 * has a plain scalar twin ({@link Scalar}) that the tests use as its oracle. Results depend on the vector width of the
 * machine (the order of additions inside a vector), never on threads: callers parallelise over whole sequences only.
 */
final class MatrixKernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Column block held in registers: four vectors of accumulators. */
    private static final int BLOCK = 4 * LANES;

    private MatrixKernels() {}

    /**
     * {@code dst[o][c] += Σ_k coef[coefOffset + o·outerStride + k·innerStride] · mat[matOffset + k·cols + c]} for
     * {@code o < outer}, {@code k < inner}, {@code c < cols}. With strides ({@code inner}, 1) it is {@code dst += X · M};
     * with strides (1, {@code outer}) it is {@code dst += Xᵀ · M}, the weight gradient. Loop order o-c-k keeps a block of
     * {@code dst} in registers while streaming rows of {@code mat}.
     */
    static void multiplyAccumulate(int outer, int inner, int cols, float[] coef, int coefOffset, int outerStride,
                                   int innerStride, float[] mat, int matOffset, float[] dst, int dstOffset) {
        int blockEnd = cols - cols % BLOCK;
        int vectorEnd = cols - cols % LANES;
        for (int o = 0; o < outer; o++) {
            int row = dstOffset + o * cols;
            int coefRow = coefOffset + o * outerStride;
            for (int c = 0; c < blockEnd; c += BLOCK) {
                FloatVector a0 = FloatVector.fromArray(SPECIES, dst, row + c);
                FloatVector a1 = FloatVector.fromArray(SPECIES, dst, row + c + LANES);
                FloatVector a2 = FloatVector.fromArray(SPECIES, dst, row + c + 2 * LANES);
                FloatVector a3 = FloatVector.fromArray(SPECIES, dst, row + c + 3 * LANES);
                int m = matOffset + c;
                int k0 = coefRow;
                for (int k = 0; k < inner; k++, m += cols, k0 += innerStride) {
                    FloatVector x = FloatVector.broadcast(SPECIES, coef[k0]);
                    a0 = FloatVector.fromArray(SPECIES, mat, m).fma(x, a0);
                    a1 = FloatVector.fromArray(SPECIES, mat, m + LANES).fma(x, a1);
                    a2 = FloatVector.fromArray(SPECIES, mat, m + 2 * LANES).fma(x, a2);
                    a3 = FloatVector.fromArray(SPECIES, mat, m + 3 * LANES).fma(x, a3);
                }
                a0.intoArray(dst, row + c);
                a1.intoArray(dst, row + c + LANES);
                a2.intoArray(dst, row + c + 2 * LANES);
                a3.intoArray(dst, row + c + 3 * LANES);
            }
            for (int c = blockEnd; c < vectorEnd; c += LANES) {
                FloatVector a = FloatVector.fromArray(SPECIES, dst, row + c);
                int m = matOffset + c;
                int k0 = coefRow;
                for (int k = 0; k < inner; k++, m += cols, k0 += innerStride) {
                    a = FloatVector.fromArray(SPECIES, mat, m).fma(FloatVector.broadcast(SPECIES, coef[k0]), a);
                }
                a.intoArray(dst, row + c);
            }
            for (int c = vectorEnd; c < cols; c++) {
                float a = dst[row + c];
                int m = matOffset + c;
                int k0 = coefRow;
                for (int k = 0; k < inner; k++, m += cols, k0 += innerStride) {
                    a = Math.fma(coef[k0], mat[m], a);
                }
                dst[row + c] = a;
            }
        }
    }

    /** A scratch array of one vector's lanes, for {@link #dot}. */
    static float[] lanes() {
        return new float[LANES];
    }

    /**
     * {@code Σ a[aOffset + i] · b[bOffset + i]} for {@code i < n}. The lanes are added in index order through
     * {@code lanes} (from {@link #lanes()}): {@code reduceLanes(ADD)} leaves the order of a float sum open, and the
     * interpreter's order differs from the compiled one, which would make results depend on JIT timing.
     */
    static float dot(float[] a, int aOffset, float[] b, int bOffset, int n, float[] lanes) {
        int vectorEnd = n - n % LANES;
        float sum = 0;
        if (vectorEnd > 0) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int i = 0; i < vectorEnd; i += LANES) {
                acc = FloatVector.fromArray(SPECIES, a, aOffset + i).fma(FloatVector.fromArray(SPECIES, b, bOffset + i), acc);
            }
            acc.intoArray(lanes, 0);
            for (int i = 0; i < LANES; i++) {
                sum += lanes[i];
            }
        }
        for (int i = vectorEnd; i < n; i++) {
            sum = Math.fma(a[aOffset + i], b[bOffset + i], sum);
        }
        return sum;
    }

    /** {@code y[yOffset + i] += alpha · x[xOffset + i]} for {@code i < n}. */
    static void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int n) {
        int vectorEnd = n - n % LANES;
        FloatVector a = FloatVector.broadcast(SPECIES, alpha);
        for (int i = 0; i < vectorEnd; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOffset + i).fma(a, FloatVector.fromArray(SPECIES, y, yOffset + i))
                    .intoArray(y, yOffset + i);
        }
        for (int i = vectorEnd; i < n; i++) {
            y[yOffset + i] = Math.fma(alpha, x[xOffset + i], y[yOffset + i]);
        }
    }

    /** {@code dst[c][r] = src[r][c]}: {@code src} is {@code rows × cols} at {@code srcOffset}, {@code dst} starts at 0. */
    static void transpose(float[] src, int srcOffset, int rows, int cols, float[] dst) {
        for (int r = 0; r < rows; r++) {
            int s = srcOffset + r * cols;
            for (int c = 0; c < cols; c++) {
                dst[c * rows + r] = src[s + c];
            }
        }
    }

    /** The plain loops, the oracle of the tests. */
    static final class Scalar {
        private Scalar() {}

        static void multiplyAccumulate(int outer, int inner, int cols, float[] coef, int coefOffset, int outerStride,
                                       int innerStride, float[] mat, int matOffset, float[] dst, int dstOffset) {
            for (int o = 0; o < outer; o++) {
                for (int c = 0; c < cols; c++) {
                    double sum = dst[dstOffset + o * cols + c];
                    for (int k = 0; k < inner; k++) {
                        sum += (double) coef[coefOffset + o * outerStride + k * innerStride] * mat[matOffset + k * cols + c];
                    }
                    dst[dstOffset + o * cols + c] = (float) sum;
                }
            }
        }
    }
}
