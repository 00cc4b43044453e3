package dev.verity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AmountsTest {
    @Test
    void overflowIsAnErrorNotAWrap() {
        assertThatThrownBy(() -> Amounts.add(Long.MAX_VALUE, 1)).isInstanceOf(Amounts.AmountOverflowException.class);
        assertThatThrownBy(() -> Amounts.multiply(Long.MAX_VALUE / 2, 3)).isInstanceOf(ArithmeticException.class);
        assertThat(Amounts.add(2, 3)).isEqualTo(5);
    }

    @Test
    void basisPointsRoundDownWithoutOverflow() {
        assertThat(Amounts.basisPoints(Long.MAX_VALUE, 10_000)).isEqualTo(Long.MAX_VALUE);
        assertThat(Amounts.basisPoints(12_345, 1_000)).isEqualTo(1_234);
        assertThat(Amounts.basisPoints(9_999, 1)).isZero();
        assertThatThrownBy(() -> Amounts.basisPoints(1, 10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Amounts.basisPoints(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
