package dev.verity.inference.engine;

import dev.verity.inference.Requantize;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. Bytes are loaded {@link #LANES} at a time and sign-extended to int lanes, so every
 * lane computes exactly what the scalar loop computes for that element; the tails run the scalar loop.
 * The lane count ({@code max(8, preferred int lanes)}) may differ between machines; the results do not.
 */
final class VectorKernels implements Kernels {
    static final VectorKernels INSTANCE = new VectorKernels();

    static final int LANES = Math.max(8, IntVector.SPECIES_PREFERRED.length());
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, VectorShape.forBitSize(LANES * 32));
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(LANES * 8));

    private VectorKernels() {}

    private static IntVector load(byte[] a, int off) {
        return (IntVector) ByteVector.fromArray(BYTES, a, off).convertShape(VectorOperators.B2I, INTS, 0);
    }

    @Override
    public int dot(byte[] a, int aOff, byte[] b, int bOff, int n) {
        return dotVector(a, aOff, b, bOff, n);
    }

    @Override
    public void dots(byte[] a, int aOff, byte[] w, int row0, int rows, int len, int[] out) {
        for (int r = 0; r < rows; r++) {
            out[r] = dotVector(a, aOff, w, (row0 + r) * len, len);
        }
    }

    private static int dotVector(byte[] a, int aOff, byte[] b, int bOff, int n) {
        int i = 0;
        int upper = n - n % LANES;
        int sum = 0;
        if (upper > 0) {
            IntVector acc = IntVector.zero(INTS);
            for (; i < upper; i += LANES) {
                acc = acc.add(load(a, aOff + i).mul(load(b, bOff + i)));
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    @Override
    public void centeredDots(byte[] a, int aOff, int za, byte[] w, int wOff, int rows, int len, int zw, int[] out) {
        int upper = len - len % LANES;
        for (int r = 0; r < rows; r++) {
            int base = wOff + r * len;
            int i = 0;
            int sum = 0;
            if (upper > 0) {
                IntVector acc = IntVector.zero(INTS);
                for (; i < upper; i += LANES) {
                    acc = acc.add(load(a, aOff + i).sub(za).mul(load(w, base + i).sub(zw)));
                }
                sum = acc.reduceLanes(VectorOperators.ADD);
            }
            for (; i < len; i++) {
                sum += (a[aOff + i] - za) * (w[base + i] - zw);
            }
            out[r] = sum;
        }
    }

    @Override
    public void addRescaled(byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff, int n, int za, int zb,
            int ma, int mb, int shift, int zo, int min, int max) {
        int i = 0;
        int upper = n - n % LANES;
        int mask = shift == 0 ? 0 : (1 << shift) - 1;
        int half = shift == 0 ? 0 : 1 << (shift - 1);
        for (; i < upper; i += LANES) {
            IntVector acc = load(a, aOff + i).sub(za).mul(ma).add(load(b, bOff + i).sub(zb).mul(mb));
            IntVector q = acc;
            if (shift > 0) {
                IntVector q0 = acc.lanewise(VectorOperators.ASHR, shift);
                IntVector rem = acc.and(mask);
                VectorMask<Integer> above = rem.compare(VectorOperators.GT, half);
                VectorMask<Integer> tie = rem.compare(VectorOperators.EQ, half);
                q = q0.add(1, above).add(q0.and(1), tie);
            }
            IntVector v = q.add(zo).max(min).min(max);
            ((ByteVector) v.convertShape(VectorOperators.I2B, BYTES, 0)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            int acc = (a[aOff + i] - za) * ma + (b[bOff + i] - zb) * mb;
            int v = zo + Requantize.shiftRoundHalfEven(acc, shift);
            out[outOff + i] = (byte) (v < min ? min : v > max ? max : v);
        }
    }

    @Override
    public String toString() {
        return "vector kernels (" + LANES + " int lanes)";
    }
}
