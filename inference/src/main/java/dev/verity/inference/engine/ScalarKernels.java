package dev.verity.inference.engine;

import dev.verity.inference.Requantize;

/** The reference kernels: straightforward loops in ascending index order. */
final class ScalarKernels implements Kernels {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {}

    @Override
    public int dot(byte[] a, int aOff, byte[] b, int bOff, int n) {
        return dotScalar(a, aOff, b, bOff, n);
    }

    @Override
    public void dots(byte[] a, int aOff, byte[] w, int row0, int rows, int len, int[] out) {
        for (int r = 0; r < rows; r++) {
            out[r] = dotScalar(a, aOff, w, (row0 + r) * len, len);
        }
    }

    private static int dotScalar(byte[] a, int aOff, byte[] b, int bOff, int n) {
        int sum = 0;
        for (int i = 0; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    @Override
    public void centeredDots(byte[] a, int aOff, int za, byte[] w, int wOff, int rows, int len, int zw, int[] out) {
        for (int r = 0; r < rows; r++) {
            int base = wOff + r * len;
            int sum = 0;
            for (int i = 0; i < len; i++) {
                sum += (a[aOff + i] - za) * (w[base + i] - zw);
            }
            out[r] = sum;
        }
    }

    @Override
    public void addRescaled(byte[] a, int aOff, byte[] b, int bOff, byte[] out, int outOff, int n, int za, int zb,
            int ma, int mb, int shift, int zo, int min, int max) {
        for (int i = 0; i < n; i++) {
            int acc = (a[aOff + i] - za) * ma + (b[bOff + i] - zb) * mb;
            int v = zo + Requantize.shiftRoundHalfEven(acc, shift);
            out[outOff + i] = (byte) (v < min ? min : v > max ? max : v);
        }
    }

    @Override
    public String toString() {
        return "scalar kernels";
    }
}
