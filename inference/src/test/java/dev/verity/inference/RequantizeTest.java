package dev.verity.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** {@link Requantize} against exact {@link BigInteger} oracles. */
class RequantizeTest {

    static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

    /** roundHalfEven(num / 2^t), exactly. */
    static BigInteger roundHalfEvenShift(BigInteger num, int t) {
        if (t == 0) {
            return num;
        }
        BigInteger q = num.shiftRight(t); // floor
        BigInteger r = num.subtract(q.shiftLeft(t));
        int c = r.shiftLeft(1).compareTo(BigInteger.ONE.shiftLeft(t));
        if (c > 0 || (c == 0 && q.testBit(0))) {
            q = q.add(BigInteger.ONE);
        }
        return q;
    }

    static int oracle(long acc, int multiplier, int shift) {
        BigInteger q = roundHalfEvenShift(BigInteger.valueOf(acc).multiply(BigInteger.valueOf(multiplier)), 31 + shift);
        return q.max(INT_MIN).min(INT_MAX).intValueExact();
    }

    static final Gen<Long> ACC = longs().all()
            .mix(longs().between(Integer.MIN_VALUE, Integer.MAX_VALUE), 40)
            .mix(longs().between(-100_000, 100_000), 30)
            .mix(integers().between(-70, 70).map(i -> i < 0 ? Long.MIN_VALUE - i - 1 : Long.MAX_VALUE - i), 5);
    static final Gen<Integer> MULT = integers().between(Integer.MIN_VALUE + 1, Integer.MAX_VALUE)
            .mix(integers().between(1 << 30, Integer.MAX_VALUE), 50)
            .mix(integers().between(-4, 4), 5);
    static final Gen<Integer> SHIFT = integers().between(Requantize.MIN_SHIFT, Requantize.MAX_SHIFT);

    @Test
    void requantizeMatchesBigIntegerOracle() {
        qt().withExamples(200_000).forAll(ACC, MULT, SHIFT)
                .check((acc, m, s) -> Requantize.requantize(acc, m, s) == oracle(acc, m, s));
    }

    @Test
    void requantizeWithZeroPointAndClampMatchesOracle() {
        qt().withExamples(50_000).forAll(ACC, MULT, SHIFT, integers().between(-128, 127))
                .check((acc, m, s, zp) -> {
                    BigInteger q = roundHalfEvenShift(BigInteger.valueOf(acc).multiply(BigInteger.valueOf(m)), 31 + s);
                    int expected = q.add(BigInteger.valueOf(zp)).max(BigInteger.valueOf(-128))
                            .min(BigInteger.valueOf(127)).intValueExact();
                    return Requantize.requantize(acc, m, s, zp, -128, 127) == expected;
                });
    }

    @Test
    void exactTiesRoundToEven() {
        // acc = (2q + 1) * 2^(t-1) with multiplier 1 and 31 + shift = t: exactly q + 1/2
        qt().withExamples(20_000).forAll(integers().between(1, 40), longs().between(-1_000_000, 1_000_000))
                .check((t, q) -> {
                    long acc = (2 * q + 1) << (t - 1);
                    long expected = (q & 1) == 0 ? q : q + 1;
                    return Requantize.requantize(acc, 1, t - 31) == Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, expected));
                });
        assertThat(Requantize.requantize(5, 1 << 30, 0)).isEqualTo(2);   // 2.5 -> 2
        assertThat(Requantize.requantize(7, 1 << 30, 0)).isEqualTo(4);   // 3.5 -> 4
        assertThat(Requantize.requantize(-5, 1 << 30, 0)).isEqualTo(-2); // -2.5 -> -2
        assertThat(Requantize.requantize(-7, 1 << 30, 0)).isEqualTo(-4); // -3.5 -> -4
        assertThat(Requantize.requantize(Long.MAX_VALUE, Integer.MAX_VALUE, -31)).isEqualTo(Integer.MAX_VALUE);
        assertThat(Requantize.requantize(Long.MIN_VALUE, Integer.MAX_VALUE, 32)).isEqualTo(oracle(Long.MIN_VALUE, Integer.MAX_VALUE, 32));
    }

    @Test
    void shiftRoundHalfEvenMatchesOracle() {
        qt().withExamples(100_000).forAll(integers().all(), integers().between(0, 31))
                .check((v, s) -> Requantize.shiftRoundHalfEven(v, s)
                        == roundHalfEvenShift(BigInteger.valueOf(v), s).intValueExact());
    }

    @Test
    void divRoundHalfEvenMatchesOracle() {
        qt().withExamples(100_000).forAll(longs().between(-(1L << 60), 1L << 60), longs().between(1, 1L << 40))
                .check((n, d) -> {
                    BigInteger[] qr = BigInteger.valueOf(n).divideAndRemainder(BigInteger.valueOf(d));
                    BigInteger q = qr[0];
                    BigInteger r = qr[1];
                    if (r.signum() < 0) {
                        q = q.subtract(BigInteger.ONE);
                        r = r.add(BigInteger.valueOf(d));
                    }
                    int c = r.shiftLeft(1).compareTo(BigInteger.valueOf(d));
                    if (c > 0 || (c == 0 && q.testBit(0))) {
                        q = q.add(BigInteger.ONE);
                    }
                    return Requantize.divRoundHalfEven(n, d) == q.longValueExact();
                });
        assertThat(Requantize.divRoundHalfEven(5, 2)).isEqualTo(2);
        assertThat(Requantize.divRoundHalfEven(-5, 2)).isEqualTo(-2);
        assertThat(Requantize.divRoundHalfEven(7, 2)).isEqualTo(4);
    }

    @Test
    void refusesOutOfRangeParameters() {
        assertThatThrownBy(() -> Requantize.requantize(1, Integer.MIN_VALUE, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Requantize.requantize(1, 1, 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Requantize.requantize(1, 1, -32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Requantize.divRoundHalfEven(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
