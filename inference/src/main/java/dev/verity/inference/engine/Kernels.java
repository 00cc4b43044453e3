package dev.verity.inference.engine;

/**
 * The hot inner loops, in two implementations that must agree bit for bit: {@link #scalar()} (the
 * oracle, plain Java loops) and {@link #vector()} (the incubating Vector API). Both accumulate in
 * 32-bit two's-complement lanes; since wrapping addition is associative and commutative, the vector
 * path's different summation order gives exactly the scalar result, overflow included.
 */
public interface Kernels {

    /** {@code sum_{i<n} a[aOff+i] * b[bOff+i]} in int32 arithmetic (wrapping). */
    int dot(byte[] a, int aOff, byte[] b, int bOff, int n);

    /**
     * {@code rows} dot products of one vector against consecutive rows of a matrix:
     * {@code out[r] = dot(a, aOff, w, (row0 + r) * len, len)} for {@code r < rows}. The batched form keeps the
     * per-element loop inside one implementation, so the JIT compiles it without mixing profiles of the
     * scalar and vector kernels (which made the vector path slow when both ran in one JVM).
     */
    void dots(byte[] a, int aOff, byte[] w, int row0, int rows, int len, int[] out);

    /**
     * For {@code i < n}: {@code acc = (a[aOff+i] - za) * ma + (b[bOff+i] - zb) * mb} (int32),
     * {@code out[outOff+i] = clamp(zo + shiftRoundHalfEven(acc, shift), min, max)}. Requires
     * {@code |ma|, |mb| < 2^22} and {@code shift} in {@code [0, 31]} (see {@code QAdd}).
     */
    void addRescaled(byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff, int n, int za, int zb, int ma,
            int mb, int shift, int zo, int min, int max);

    /**
     * {@code rows} dot products of zero-point-centred int8 vectors:
     * {@code out[r] = sum_{i<len} (a[aOff+i] - za) * (w[wOff + r*len + i] - zw)} for {@code r < rows}, in int32
     * arithmetic (wrapping; {@code QMatMul} keeps {@code len} small enough that it never wraps).
     */
    void centeredDots(byte[] a, int aOff, int za, byte[] w, int wOff, int rows, int len, int zw, int[] out);

    /** The plain-Java kernels. */
    static Kernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /**
     * The Vector API kernels; the JVM must run with {@code --add-modules jdk.incubator.vector}.
     *
     * @throws IllegalStateException when the Vector API is not available
     */
    static Kernels vector() {
        try {
            return VectorKernels.INSTANCE;
        } catch (LinkageError e) {
            throw new IllegalStateException("the vector kernels need --add-modules jdk.incubator.vector", e);
        }
    }

    /** Whether {@link #vector()} works in this JVM. */
    static boolean vectorAvailable() {
        try {
            return VectorKernels.INSTANCE != null;
        } catch (LinkageError e) {
            return false;
        }
    }
}
