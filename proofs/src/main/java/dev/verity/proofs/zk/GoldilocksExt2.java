package dev.verity.proofs.zk;

/**
 * The quadratic extension {@code F_p[X] / (X^2 - 7)} of the {@link Goldilocks} field ({@code 7} is not a square mod
 * {@code p}), about 128 bits, from which every verifier challenge is drawn: an element {@code c0 + c1·X}.
 */
public record GoldilocksExt2(long c0, long c1) {
    /** {@code X^2 = W}. */
    public static final long W = 7;
    public static final GoldilocksExt2 ZERO = new GoldilocksExt2(0, 0);
    public static final GoldilocksExt2 ONE = new GoldilocksExt2(1, 0);

    public GoldilocksExt2 {
        if (!Goldilocks.isCanonical(c0) || !Goldilocks.isCanonical(c1)) {
            throw new IllegalArgumentException("extension coefficients must be canonical field elements, got "
                    + Long.toUnsignedString(c0) + " and " + Long.toUnsignedString(c1));
        }
    }

    /** The base-field element {@code a}, embedded. */
    public static GoldilocksExt2 of(long a) {
        return new GoldilocksExt2(a, 0);
    }

    public GoldilocksExt2 add(GoldilocksExt2 o) {
        return new GoldilocksExt2(Goldilocks.add(c0, o.c0), Goldilocks.add(c1, o.c1));
    }

    public GoldilocksExt2 sub(GoldilocksExt2 o) {
        return new GoldilocksExt2(Goldilocks.sub(c0, o.c0), Goldilocks.sub(c1, o.c1));
    }

    public GoldilocksExt2 neg() {
        return new GoldilocksExt2(Goldilocks.neg(c0), Goldilocks.neg(c1));
    }

    /** {@code (a0 + a1 X)(b0 + b1 X) = a0 b0 + W a1 b1 + (a0 b1 + a1 b0) X}. */
    public GoldilocksExt2 mul(GoldilocksExt2 o) {
        long r0 = Goldilocks.add(Goldilocks.mul(c0, o.c0), Goldilocks.mul(W, Goldilocks.mul(c1, o.c1)));
        long r1 = Goldilocks.add(Goldilocks.mul(c0, o.c1), Goldilocks.mul(c1, o.c0));
        return new GoldilocksExt2(r0, r1);
    }

    /** Multiplication by a base-field element. */
    public GoldilocksExt2 scale(long a) {
        return new GoldilocksExt2(Goldilocks.mul(c0, a), Goldilocks.mul(c1, a));
    }

    /** {@code (a0 - a1 X) / (a0^2 - W a1^2)}; zero has none. */
    public GoldilocksExt2 inverse() {
        long norm = Goldilocks.sub(Goldilocks.square(c0), Goldilocks.mul(W, Goldilocks.square(c1)));
        if (norm == 0) {
            throw new ArithmeticException("zero has no inverse in the extension field");
        }
        long inv = Goldilocks.inverse(norm);
        return new GoldilocksExt2(Goldilocks.mul(c0, inv), Goldilocks.mul(Goldilocks.neg(c1), inv));
    }

    /** {@code this^e}, {@code e} read as unsigned. */
    public GoldilocksExt2 pow(long e) {
        GoldilocksExt2 result = ONE;
        GoldilocksExt2 base = this;
        while (e != 0) {
            if ((e & 1) != 0) {
                result = result.mul(base);
            }
            base = base.mul(base);
            e >>>= 1;
        }
        return result;
    }

    public boolean isZero() {
        return c0 == 0 && c1 == 0;
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(c0) + " + " + Long.toUnsignedString(c1) + "·X";
    }
}
