package dev.verity.inference.engine;

import dev.verity.core.Hash;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Shapes;
import dev.verity.inference.program.Tensor;
import java.util.Arrays;

/**
 * The engine's tensor storage: int8 in a {@code byte[]}, int16 in a {@code short[]}, int32 in an
 * {@code int[]}. A buffer inside a {@link State} is never written again; kernels write only into fresh
 * buffers (or an {@link OpOutput}'s).
 */
final class Buf {
    final DType dtype;
    final int[] shape;
    final int size;
    final byte[] b;
    final short[] s;
    final int[] i;
    /**
     * The content hash once computed, valid because a buffer in a state never changes; a racy write between
     * threads is harmless (a Hash's final fields are safely published, and any thread computes the same).
     */
    Hash content;

    private Buf(DType dtype, int[] shape, int size, byte[] b, short[] s, int[] i) {
        this.dtype = dtype;
        this.shape = shape;
        this.size = size;
        this.b = b;
        this.s = s;
        this.i = i;
    }

    static Buf zeros(DType dtype, int[] shape) {
        int n = Shapes.elementCount(shape, "tensor");
        return switch (dtype) {
            case INT8 -> new Buf(dtype, shape.clone(), n, new byte[n], null, null);
            case INT16 -> new Buf(dtype, shape.clone(), n, null, new short[n], null);
            case INT32 -> new Buf(dtype, shape.clone(), n, null, null, new int[n]);
        };
    }

    static Buf of(Tensor t) {
        Buf buf = zeros(t.dtype(), t.shape());
        int[] v = t.values();
        for (int k = 0; k < v.length; k++) {
            buf.set(k, v[k]);
        }
        return buf;
    }

    Tensor toTensor() {
        int[] v = new int[size];
        for (int k = 0; k < size; k++) {
            v[k] = get(k);
        }
        return Tensor.of(dtype, shape, v);
    }

    int get(int k) {
        return switch (dtype) {
            case INT8 -> b[k];
            case INT16 -> s[k];
            case INT32 -> i[k];
        };
    }

    void set(int k, int v) {
        switch (dtype) {
            case INT8 -> b[k] = (byte) v;
            case INT16 -> s[k] = (short) v;
            case INT32 -> i[k] = v;
        }
    }

    Buf copy() {
        return new Buf(dtype, shape, size, b == null ? null : b.clone(), s == null ? null : s.clone(),
                i == null ? null : i.clone());
    }

    /** Sets elements {@code [from, size)} to zero. */
    void zeroFrom(int from) {
        if (from >= size) {
            return;
        }
        switch (dtype) {
            case INT8 -> Arrays.fill(b, from, size, (byte) 0);
            case INT16 -> Arrays.fill(s, from, size, (short) 0);
            case INT32 -> Arrays.fill(i, from, size, 0);
        }
    }

    boolean matches(DType t, int[] sh) {
        return dtype == t && Arrays.equals(shape, sh);
    }

    /** Elements {@code [from, to)} equal in both (same type assumed). */
    boolean rangeEquals(Buf o, int from, int to) {
        return switch (dtype) {
            case INT8 -> Arrays.equals(b, from, to, o.b, from, to);
            case INT16 -> Arrays.equals(s, from, to, o.s, from, to);
            case INT32 -> Arrays.equals(i, from, to, o.i, from, to);
        };
    }
}
