package dev.verity.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** {@link IntegerMath} against {@link BigInteger#sqrt()}. */
class IntegerMathTest {

    @Test
    void floorSqrtIsExact() {
        qt().withExamples(100_000).forAll(longs().between(0, Long.MAX_VALUE).mix(longs().between(0, 1 << 20), 30))
                .check(v -> IntegerMath.floorSqrt(v) == BigInteger.valueOf(v).sqrt().longValueExact());
        for (long r : new long[] {0, 1, 2, 3, 46_340, 46_341, 3_037_000_499L}) {
            assertThat(IntegerMath.floorSqrt(r * r)).isEqualTo(r);
            if (r > 0) {
                assertThat(IntegerMath.floorSqrt(r * r - 1)).isEqualTo(r - 1);
            }
        }
        assertThat(IntegerMath.floorSqrt(Long.MAX_VALUE)).isEqualTo(3_037_000_499L);
        assertThatThrownBy(() -> IntegerMath.floorSqrt(-1)).hasMessageContaining("negative");
    }

    @Test
    void reciprocalSqrtIsTheFloorOfTwoToThe31OverTheRoot() {
        BigInteger two62 = BigInteger.ONE.shiftLeft(62);
        qt().withExamples(50_000).forAll(longs().between(1, Long.MAX_VALUE).mix(longs().between(1, 1 << 16), 40))
                .check(v -> {
                    BigInteger r = BigInteger.valueOf(IntegerMath.reciprocalSqrt(v));
                    BigInteger bv = BigInteger.valueOf(v);
                    BigInteger next = r.add(BigInteger.ONE);
                    return r.multiply(r).multiply(bv).compareTo(two62) <= 0 && next.multiply(next).multiply(bv).compareTo(two62) > 0;
                });
        assertThat(IntegerMath.reciprocalSqrt(1)).isEqualTo(1L << 31);
        assertThat(IntegerMath.reciprocalSqrt(4)).isEqualTo(1L << 30);
        assertThatThrownBy(() -> IntegerMath.reciprocalSqrt(0)).hasMessageContaining("positive");
    }

    @Test
    void expNegativeIsCloseToExp() {
        double worst = 0;
        for (long x = 0; x <= 40L << 16; x += 37) {
            double expected = Math.exp(-x / 65536.0) * (1 << 30);
            worst = Math.max(worst, Math.abs(IntegerMath.expNegative(x) - expected));
        }
        assertThat(worst).isLessThan(4);
        assertThat(IntegerMath.expNegative(0)).isEqualTo(1L << 30);
        assertThat(IntegerMath.expNegative(1L << 31)).isZero();
        assertThatThrownBy(() -> IntegerMath.expNegative(-1)).hasMessageContaining("expNegative");
        assertThatThrownBy(() -> IntegerMath.expNegative((1L << 31) + 1)).hasMessageContaining("expNegative");
        long previous = Long.MAX_VALUE;
        for (long x = 0; x < 1 << 20; x++) { // never increases
            long v = IntegerMath.expNegative(x);
            assertThat(v).isLessThanOrEqualTo(previous);
            previous = v;
        }
    }
}
