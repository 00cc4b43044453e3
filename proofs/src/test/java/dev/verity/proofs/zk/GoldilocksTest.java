package dev.verity.proofs.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** The Goldilocks field and its quadratic extension against {@link BigInteger}, and the field's published constants. */
class GoldilocksTest {
    static final BigInteger P = new BigInteger("18446744069414584321");
    static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /** Canonical elements, the edges (0, 1, p - 1, 2^32 ± 1, 2^63) often among them. */
    static final Gen<Long> ELEMENTS = Generate.pick(java.util.List.of(0L, 1L, Goldilocks.P - 1, Goldilocks.P - 2, 1L << 32,
                    (1L << 32) - 1, (1L << 32) + 1, 1L << 63, Goldilocks.EPSILON, Goldilocks.P >>> 1))
            .mix(longs().all().map(Goldilocks::reduce), 80);

    static BigInteger big(long a) {
        return new BigInteger(Long.toUnsignedString(a));
    }

    static long fromBig(BigInteger b) {
        return b.mod(P).longValue();
    }

    @Test
    void theModulusAndItsConstantsAreThePublishedOnes() {
        assertThat(big(Goldilocks.P)).isEqualTo(TWO_64.subtract(BigInteger.ONE.shiftLeft(32)).add(BigInteger.ONE)).isEqualTo(P);
        BigInteger order = P.subtract(BigInteger.ONE);
        assertThat(order).isEqualTo(BigInteger.ONE.shiftLeft(32).multiply(BigInteger.valueOf(3L * 5 * 17 * 257 * 65537)));
        // 7 generates the multiplicative group: no proper divisor (p - 1) / q of the order sends it to 1
        for (long q : new long[] {2, 3, 5, 17, 257, 65537}) {
            assertThat(Goldilocks.pow(Goldilocks.MULTIPLICATIVE_GENERATOR, order.divide(BigInteger.valueOf(q)).longValue()))
                    .as("7^((p-1)/%d)", q).isNotEqualTo(1L);
        }
        assertThat(Goldilocks.POWER_OF_TWO_GENERATOR).isEqualTo(Goldilocks.pow(7, order.shiftRight(32).longValue()))
                .isEqualTo(0x185629dcda58878cL);
        long g = Goldilocks.rootOfUnity(32);
        assertThat(Goldilocks.pow(g, 1L << 32)).isEqualTo(1);
        assertThat(Goldilocks.pow(g, 1L << 31)).isEqualTo(Goldilocks.P - 1);
        for (int k = 0; k <= 32; k++) {
            long r = Goldilocks.rootOfUnity(k);
            assertThat(Goldilocks.pow(r, 1L << k)).isEqualTo(1);
            if (k > 0) {
                assertThat(Goldilocks.pow(r, 1L << (k - 1))).as("order exactly 2^%d", k).isEqualTo(Goldilocks.P - 1);
            }
        }
        assertThatThrownBy(() -> Goldilocks.rootOfUnity(33)).isInstanceOf(IllegalArgumentException.class);
        // 7 is not a square, so X^2 - 7 is irreducible and the extension a field
        assertThat(Goldilocks.pow(GoldilocksExt2.W, order.shiftRight(1).longValue())).isEqualTo(Goldilocks.P - 1);
    }

    @Test
    void baseFieldArithmeticMatchesBigInteger() {
        qt().forAll(ELEMENTS, ELEMENTS).checkAssert((a, b) -> {
            assertThat(Goldilocks.add(a, b)).isEqualTo(fromBig(big(a).add(big(b))));
            assertThat(Goldilocks.sub(a, b)).isEqualTo(fromBig(big(a).subtract(big(b))));
            assertThat(Goldilocks.mul(a, b)).isEqualTo(fromBig(big(a).multiply(big(b))));
            assertThat(Goldilocks.neg(a)).isEqualTo(fromBig(big(a).negate()));
            assertThat(Goldilocks.isCanonical(Goldilocks.mul(a, b))).isTrue();
        });
        qt().forAll(ELEMENTS, longs().all()).checkAssert((a, e) ->
                assertThat(Goldilocks.pow(a, e)).isEqualTo(big(a).modPow(new BigInteger(Long.toUnsignedString(e)), P).longValue()));
        qt().forAll(ELEMENTS).checkAssert(a -> {
            if (a != 0) {
                assertThat(Goldilocks.inverse(a)).isEqualTo(big(a).modInverse(P).longValue());
                assertThat(Goldilocks.mul(a, Goldilocks.inverse(a))).isEqualTo(1);
            }
        });
        qt().forAll(longs().all(), longs().all()).checkAssert((hi, lo) ->
                assertThat(Goldilocks.reduce128(hi, lo)).isEqualTo(fromBig(big(hi).shiftLeft(64).add(big(lo)))));
        qt().forAll(longs().all()).checkAssert(a -> assertThat(Goldilocks.reduce(a)).isEqualTo(fromBig(big(a))));
        qt().forAll(longs().all()).checkAssert(a ->
                assertThat(Goldilocks.fromSigned(a)).isEqualTo(BigInteger.valueOf(a).mod(P).longValue()));
        assertThatThrownBy(() -> Goldilocks.inverse(0)).isInstanceOf(ArithmeticException.class);
    }

    /** An extension element as a pair (c0, c1) of BigIntegers, multiplied modulo X^2 - 7. */
    static BigInteger[] bigMul(GoldilocksExt2 a, GoldilocksExt2 b) {
        BigInteger a0 = big(a.c0());
        BigInteger a1 = big(a.c1());
        BigInteger b0 = big(b.c0());
        BigInteger b1 = big(b.c1());
        return new BigInteger[] {a0.multiply(b0).add(a1.multiply(b1).multiply(BigInteger.valueOf(7))).mod(P),
            a0.multiply(b1).add(a1.multiply(b0)).mod(P)};
    }

    @Test
    void extensionArithmeticMatchesBigInteger() {
        Gen<GoldilocksExt2> ext = ELEMENTS.zip(ELEMENTS, GoldilocksExt2::new);
        qt().forAll(ext, ext).checkAssert((a, b) -> {
            BigInteger[] m = bigMul(a, b);
            assertThat(a.mul(b)).isEqualTo(new GoldilocksExt2(m[0].longValue(), m[1].longValue()));
            assertThat(a.add(b).sub(b)).isEqualTo(a);
            assertThat(a.add(a.neg())).isEqualTo(GoldilocksExt2.ZERO);
            assertThat(a.mul(b)).isEqualTo(b.mul(a));
            if (!a.isZero()) {
                assertThat(a.mul(a.inverse())).isEqualTo(GoldilocksExt2.ONE);
            }
        });
        qt().forAll(ext, ELEMENTS).checkAssert((a, s) -> assertThat(a.scale(s)).isEqualTo(a.mul(GoldilocksExt2.of(s))));
        // X^2 = 7, and the extension's multiplicative group has order p^2 - 1
        GoldilocksExt2 x = new GoldilocksExt2(0, 1);
        assertThat(x.mul(x)).isEqualTo(GoldilocksExt2.of(7));
        qt().forAll(ext).checkAssert(a -> {
            if (!a.isZero()) {
                // p^2 - 1 = (p - 1)(p + 1), both below 2^64
                assertThat(a.pow(Goldilocks.P - 1).pow(Goldilocks.P + 1)).isEqualTo(GoldilocksExt2.ONE);
            }
        });
        assertThatThrownBy(() -> GoldilocksExt2.ZERO.inverse()).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> new GoldilocksExt2(Goldilocks.P, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
