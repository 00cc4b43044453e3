package dev.verity.proofs.zk;

/**
 * Arithmetic in the Goldilocks prime field, {@code p = 2^64 - 2^32 + 1}, on canonical values: a {@code long} read as
 * unsigned, in {@code [0, p)}. The multiplicative group has order {@code p - 1 = 2^32 · 3 · 5 · 17 · 257 · 65537}, so
 * the field has roots of unity of every power-of-two order up to {@code 2^32}. Reduction uses
 * {@code 2^64 ≡ 2^32 - 1} and {@code 2^96 ≡ -1 (mod p)}, so every operation is a few 64-bit instructions.
 */
public final class Goldilocks {
    /** The modulus, {@code 2^64 - 2^32 + 1}, as an unsigned long. */
    public static final long P = 0xFFFF_FFFF_0000_0001L;
    /** {@code 2^64 mod p = 2^32 - 1}. */
    static final long EPSILON = 0xFFFF_FFFFL;
    /** A generator of the multiplicative group (7: its powers are every nonzero element). */
    public static final long MULTIPLICATIVE_GENERATOR = 7;
    /** The largest power of two dividing {@code p - 1}. */
    public static final int TWO_ADICITY = 32;
    /** A primitive {@code 2^32}-th root of unity, {@code 7^((p-1)/2^32)}, as published with the field. */
    public static final long POWER_OF_TWO_GENERATOR = 1_753_635_133_440_165_772L;

    private Goldilocks() {}

    /** Whether {@code a}, read as unsigned, is a canonical element. */
    public static boolean isCanonical(long a) {
        return Long.compareUnsigned(a, P) < 0;
    }

    /** The canonical element of {@code a}, any 64-bit value read as unsigned. */
    public static long reduce(long a) {
        return Long.compareUnsigned(a, P) >= 0 ? a - P : a;
    }

    /** The element of a signed integer: {@code a} for {@code a >= 0}, {@code p + a} below (an int8 weight, an int32 sum). */
    public static long fromSigned(long a) {
        return a >= 0 ? reduce(a) : neg(reduce(-a)); // -Long.MIN_VALUE wraps to itself: 2^63 read as unsigned
    }

    public static long add(long a, long b) {
        long s = a + b;
        if (Long.compareUnsigned(s, a) < 0) {
            return s + EPSILON; // the sum passed 2^64: add back 2^64 mod p; it stays below p
        }
        return reduce(s);
    }

    public static long sub(long a, long b) {
        long d = a - b;
        return Long.compareUnsigned(a, b) < 0 ? d - EPSILON : d; // a - b + p = (a - b + 2^64) - (2^32 - 1)
    }

    public static long neg(long a) {
        return a == 0 ? 0 : P - a;
    }

    public static long mul(long a, long b) {
        return reduce128(Math.unsignedMultiplyHigh(a, b), a * b);
    }

    public static long square(long a) {
        return mul(a, a);
    }

    /** {@code hi · 2^64 + lo mod p}: {@code lo - hi_hi + hi_lo · (2^32 - 1)}, with {@code hi = hi_hi · 2^32 + hi_lo}. */
    static long reduce128(long hi, long lo) {
        long hiHi = hi >>> 32;
        long hiLo = hi & EPSILON;
        long t0 = lo - hiHi;
        if (Long.compareUnsigned(lo, hiHi) < 0) {
            t0 -= EPSILON; // borrowed 2^64: take back 2^64 mod p
        }
        long t1 = hiLo * EPSILON; // < 2^64
        long t2 = t0 + t1;
        if (Long.compareUnsigned(t2, t0) < 0) {
            t2 += EPSILON;
        }
        return reduce(t2);
    }

    /** {@code a^e}, {@code e} read as unsigned. */
    public static long pow(long a, long e) {
        long result = 1;
        long base = a;
        while (e != 0) {
            if ((e & 1) != 0) {
                result = mul(result, base);
            }
            base = square(base);
            e >>>= 1;
        }
        return result;
    }

    /** The multiplicative inverse, {@code a^(p-2)}; zero has none. */
    public static long inverse(long a) {
        if (a == 0) {
            throw new ArithmeticException("zero has no inverse in the Goldilocks field");
        }
        return pow(a, P - 2);
    }

    /** A primitive {@code 2^logOrder}-th root of unity, for {@code 0 <= logOrder <= 32}. */
    public static long rootOfUnity(int logOrder) {
        if (logOrder < 0 || logOrder > TWO_ADICITY) {
            throw new IllegalArgumentException("the field has roots of unity of order 2^0 to 2^" + TWO_ADICITY
                    + ", not 2^" + logOrder);
        }
        long r = POWER_OF_TWO_GENERATOR;
        for (int i = logOrder; i < TWO_ADICITY; i++) {
            r = square(r);
        }
        return r;
    }
}
