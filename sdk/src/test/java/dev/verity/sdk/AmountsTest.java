package dev.verity.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AmountsTest {
    @Test
    void formatsBaseUnitsAsTokens() {
        assertThat(Amounts.formatTokens(1_500_000)).isEqualTo("1.500000 VRT");
        assertThat(Amounts.formatTokens(0)).isEqualTo("0.000000 VRT");
        assertThat(Amounts.formatTokens(1)).isEqualTo("0.000001 VRT");
        assertThat(Amounts.formatTokens(1_000 * 1_000_000L)).isEqualTo("1000.000000 VRT");
        assertThat(Amounts.formatTokens(-2_500_000)).isEqualTo("-2.500000 VRT");
        assertThat(Amounts.formatTokens(Long.MAX_VALUE)).isEqualTo("9223372036854.775807 VRT");
        assertThat(Amounts.formatTokens(Long.MIN_VALUE)).isEqualTo("-9223372036854.775808 VRT");
    }

    @Test
    void parsesWhatPeopleType() {
        assertThat(Amounts.parseTokens("1.5")).isEqualTo(1_500_000);
        assertThat(Amounts.parseTokens(" 1.5 VRT ")).isEqualTo(1_500_000);
        assertThat(Amounts.parseTokens("1000")).isEqualTo(1_000_000_000);
        assertThat(Amounts.parseTokens("0.000001vrt")).isEqualTo(1);
        assertThat(Amounts.parseTokens("1_000")).isEqualTo(1_000_000_000);
        assertThat(Amounts.parseTokens(Amounts.tokens(123_456_789))).isEqualTo(123_456_789);
    }

    @Test
    void refusesWhatIsNotAnAmount() {
        assertThatThrownBy(() -> Amounts.parseTokens("abc")).hasMessageContaining("not an amount");
        assertThatThrownBy(() -> Amounts.parseTokens("0.0000001")).hasMessageContaining("more than 6 decimals");
        assertThatThrownBy(() -> Amounts.parseTokens("-1")).hasMessageContaining("negative");
        assertThatThrownBy(() -> Amounts.parseTokens("")).hasMessageContaining("no amount");
        assertThatThrownBy(() -> Amounts.parseTokens("99999999999999")).hasMessageContaining("too large");
    }
}
