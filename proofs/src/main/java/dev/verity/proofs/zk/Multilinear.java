package dev.verity.proofs.zk;

import java.util.Arrays;

/**
 * A multilinear polynomial in {@code n} variables by its {@code 2^n} values on the boolean hypercube, in the extension
 * field: value {@code i} is the polynomial at {@code (x_1, ..., x_n)} with {@code x_1} the most significant bit of
 * {@code i}. Immutable.
 */
public final class Multilinear {
    private final GoldilocksExt2[] values;
    private final int variables;

    public Multilinear(GoldilocksExt2[] values) {
        if (values.length == 0 || Integer.bitCount(values.length) != 1) {
            throw new IllegalArgumentException("a multilinear polynomial has 2^n values, not " + values.length);
        }
        this.values = values.clone();
        this.variables = Integer.numberOfTrailingZeros(values.length);
    }

    /** The polynomial whose hypercube values are the base-field elements {@code values}. */
    public static Multilinear ofBase(long... values) {
        GoldilocksExt2[] v = new GoldilocksExt2[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = GoldilocksExt2.of(Goldilocks.reduce(values[i]));
        }
        return new Multilinear(v);
    }

    /** The polynomial whose hypercube values are the signed integers {@code values} (a tensor of the integer engine). */
    public static Multilinear ofSigned(long... values) {
        GoldilocksExt2[] v = new GoldilocksExt2[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = GoldilocksExt2.of(Goldilocks.fromSigned(values[i]));
        }
        return new Multilinear(v);
    }

    public int variables() {
        return variables;
    }

    public GoldilocksExt2 value(int index) {
        return values[index];
    }

    /** The polynomial with its first variable fixed to {@code r}: {@code (1 - r)·f(0, ...) + r·f(1, ...)}. */
    public Multilinear bindFirst(GoldilocksExt2 r) {
        if (variables == 0) {
            throw new IllegalStateException("no variable left to bind");
        }
        int half = values.length / 2;
        GoldilocksExt2[] out = new GoldilocksExt2[half];
        for (int i = 0; i < half; i++) {
            GoldilocksExt2 lo = values[i];
            out[i] = lo.add(r.mul(values[half + i].sub(lo)));
        }
        return new Multilinear(out);
    }

    /** The value at {@code point} (one coordinate per variable, the first first). */
    public GoldilocksExt2 evaluate(GoldilocksExt2... point) {
        if (point.length != variables) {
            throw new IllegalArgumentException("a polynomial in " + variables + " variables needs " + variables
                    + " coordinates, got " + point.length);
        }
        Multilinear m = this;
        for (GoldilocksExt2 r : point) {
            m = m.bindFirst(r);
        }
        return m.values[0];
    }

    /** The sum of the values over the hypercube. */
    public GoldilocksExt2 sum() {
        GoldilocksExt2 s = GoldilocksExt2.ZERO;
        for (GoldilocksExt2 v : values) {
            s = s.add(v);
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multilinear m && Arrays.equals(values, m.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }
}
