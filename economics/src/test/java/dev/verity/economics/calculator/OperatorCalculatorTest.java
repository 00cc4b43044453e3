package dev.verity.economics.calculator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

/** The operator calculator against the worked examples of the GPU market reference, and its input checks. */
class OperatorCalculatorTest {
    private static final GpuCatalog CATALOG = GpuCatalog.load();

    private static CalculatorInputs.Builder inputs(String gpu) {
        return CalculatorInputs.builder(CATALOG, CATALOG.get(gpu), NetworkPrice.DEFAULT);
    }

    @Test
    void h100WorkedExample() {
        // An H100 at $25k over 5 years, earning $2.00/h at 10 ¢/kWh: break-even at about 31% utilisation; at 60%
        // about $27/day and payback in about 2.5 years.
        CalculatorInputs.Builder b = inputs("H100").purchaseUsd(25_000.0).years(5.0).verityUsdPerBusyHour(2.00)
                .pricePerKwh(0.10);
        CalculatorResult at60 = OperatorCalculator.calculate(b.utilization(0.6).build());
        Figures v = at60.verity();
        assertThat(v.breakEvenUtilization()).isCloseTo(0.31, withinPercentage(1));
        assertThat(v.marginPerDay()).isCloseTo(27.0, withinPercentage(1));
        assertThat(v.paybackDays()).isCloseTo(912.5, withinPercentage(1));
        assertThat(v.paybackYears()).isCloseTo(2.5, withinPercentage(1));
        // the exact figures with the data file's PUE 1.3 and idle power 230 W
        assertThat(v.breakEvenUtilization()).isCloseTo(0.3098, within(1e-4));
        assertThat(v.marginPerDay()).isCloseTo(27.20, within(0.01));
        assertThat(v.paybackYears()).isCloseTo(2.518, within(0.001));
    }

    @Test
    void rtx4090WorkedExample() {
        // An RTX 4090 earning $0.30/h at 15 ¢/kWh and 50% utilisation nets about $2.43/day (payback ~700 days);
        // at 40 ¢/kWh payback is about 10 years.
        CalculatorInputs.Builder b = inputs("RTX 4090").purchaseUsd(1_700.0).verityUsdPerBusyHour(0.30)
                .utilization(0.5);
        Figures at15 = OperatorCalculator.calculate(b.pricePerKwh(0.15).build()).verity();
        assertThat(at15.marginPerDay()).isCloseTo(2.43, withinPercentage(1));
        assertThat(at15.paybackDays()).isCloseTo(700.0, withinPercentage(1));
        assertThat(at15.marginPerDay()).isCloseTo(2.424, within(0.001));
        assertThat(at15.paybackDays()).isCloseTo(701.4, within(0.1));

        Figures at40 = OperatorCalculator.calculate(b.pricePerKwh(0.40).build()).verity();
        assertThat(at40.paybackDays()).isCloseTo(3_650.0, withinPercentage(1));
        assertThat(at40.paybackYears()).isCloseTo(10.04, within(0.01));
    }

    @Test
    void breakEvenUtilizationGivesNetZero() {
        for (String gpu : CATALOG.ids()) {
            CalculatorInputs base = inputs(gpu).count(3).verityUsdPerBusyHour(3.0).build();
            Double u = OperatorCalculator.breakEvenUtilization(base, 3.0);
            assertThat(u).as(gpu).isNotNull().isBetween(0.0, 1.0);
            Figures f = OperatorCalculator.calculate(inputs(gpu).count(3).verityUsdPerBusyHour(3.0).utilization(u)
                    .build()).verity();
            assertThat(f.netPerDay()).as(gpu).isCloseTo(0.0, within(1e-9));
        }
    }

    @Test
    void breakEvenIsNoneWhenABusyHourDoesNotPayItsPowerOrItIsAboveFullUse() {
        // 0.01 USD per busy hour does not cover 470 W × 1.3 extra at 0.15 USD/kWh
        CalculatorInputs poor = inputs("H100").verityUsdPerBusyHour(0.01).build();
        Figures f = OperatorCalculator.calculate(poor).verity();
        assertThat(f.breakEvenUtilization()).isNull();
        assertThat(f.paybackDays()).isNull();
        // 0.50 USD per busy hour covers the power but not the depreciation even at full use
        CalculatorInputs half = inputs("H100").verityUsdPerBusyHour(0.50).build();
        assertThat(OperatorCalculator.calculate(half).verity().breakEvenUtilization()).isNull();
    }

    @Test
    void figuresFollowTheFormulas() {
        CalculatorInputs in = inputs("A100").count(4).utilization(0.25).pricePerKwh(0.2).build();
        Figures v = OperatorCalculator.calculate(in).verity();
        double perHour = 1e14 * 0.315 * 3600 / 1e15 * 7_000 * 8_000 / 10_000 / 1e6 * 1.00;
        assertThat(v.usdPerBusyHour()).isCloseTo(perHour, within(1e-12));
        assertThat(v.revenuePerDay()).isCloseTo(perHour * 24 * 0.25 * 4, within(1e-9));
        assertThat(v.powerPerDay()).isCloseTo(4 * 1.3 * 24 * (400 * 0.25 + 140 * 0.75) / 1000 * 0.2, within(1e-9));
        assertThat(v.depreciationPerDay()).isCloseTo(4 * 8_000 / (5 * 365.0), within(1e-9));
        assertThat(v.marginPerDay()).isCloseTo(v.revenuePerDay() - v.powerPerDay(), within(1e-9));
        assertThat(v.netPerDay()).isCloseTo(v.marginPerDay() - v.depreciationPerDay(), within(1e-9));
        assertThat(v.netPerMonth()).isCloseTo(v.netPerDay() * 30, within(1e-9));

        Figures r = OperatorCalculator.calculate(in).rental();
        assertThat(r.utilization()).isEqualTo(0.25);
        assertThat(r.revenuePerDay()).isCloseTo(0.87 * 0.9 * 24 * 0.25 * 4, within(1e-9));
        assertThat(r.powerPerDay()).isEqualTo(v.powerPerDay());
    }

    @Test
    void theDefaultRevenueComesFromTheNetworkPriceAndTheTokenPrice() {
        // 1e14 compute units/s × 3600 s = 360 × 10^15 per hour × 7,000 base units × 80% = 2.016 VRT per busy hour
        CalculatorInputs h100 = inputs("H100").build();
        assertThat(h100.verityUsdPerBusyHour().value()).isCloseTo(2.016, within(1e-9));
        assertThat(h100.verityUsdPerBusyHour().source()).contains("network price").contains("7,000")
                .contains("80%").contains("token price 1.00 USD");
        assertThat(h100.tokenPriceUsd().value()).isEqualTo(1.0);
        assertThat(inputs("H100").tokenPriceUsd(0.5).build().verityUsdPerBusyHour().value())
                .isCloseTo(1.008, within(1e-9));
        assertThat(CalculatorInputs.builder(CATALOG, CATALOG.get("H100"), new NetworkPrice(14_000, 10_000)).build()
                .verityUsdPerBusyHour().value()).isCloseTo(5.04, within(1e-9));
        assertThat(h100.networkPrice().isDefault()).isTrue();
        assertThat(h100.verityUsdPerBusyHour().source()).contains(NetworkPrice.DEFAULT_SOURCE);
        assertThat(h100.computeUnitsPerSecond().value()).isEqualTo(1e14);
        assertThat(h100.computeUnitsPerSecond().source()).isEqualTo("the H100's 1e14 × relative throughput 1");
    }

    @Test
    void aLiveChainsPriceIsUsedAndNamedInTheSource() {
        NetworkPrice chain = NetworkPrice.fromChain("http://127.0.0.1:8645", 1_234, 70, 8_000);
        assertThat(chain.source()).isEqualTo("chain at http://127.0.0.1:8645: base price 70 at height 1234, node share 80%");
        assertThat(chain.isDefault()).isFalse();
        assertThat(NetworkPrice.fromChain("http://x", 1, 7_000, 8_000).isDefault()).as("the default's figures, but from a chain")
                .isFalse();
        CalculatorInputs in = CalculatorInputs.builder(CATALOG, CATALOG.get("H100"), chain).build();
        assertThat(in.verityUsdPerBusyHour().value()).isCloseTo(0.02016, within(1e-12)); // 1/100 of the default
        assertThat(in.verityUsdPerBusyHour().source()).contains("70 base units").contains(chain.source());
    }

    @Test
    void aThroughputGivenReplacesTheDerivedOne() {
        CalculatorInputs in = inputs("A100").computeUnitsPerSecond(5e13).build();
        assertThat(in.computeUnitsPerSecond()).isEqualTo(Sourced.setByYou(5e13));
        assertThat(in.verityUsdPerBusyHour().value()).isCloseTo(1.008, within(1e-9));
        assertThatThrownBy(() -> inputs("A100").computeUnitsPerSecond(0.0).build())
                .hasMessage("the throughput (compute units per second) must be positive, got 0");
        assertThatThrownBy(() -> inputs("A100").computeUnitsPerSecond(Double.NaN).build())
                .hasMessage("the throughput (compute units per second) must be a number, got NaN");
    }

    @Test
    void whichPaysMore() {
        CalculatorResult r = OperatorCalculator.calculate(inputs("H100").verityUsdPerBusyHour(3.0).build());
        assertThat(r.paysMore()).isEqualTo(CalculatorResult.Choice.VERITY);
        assertThat(r.differencePerDay()).isCloseTo(r.verity().netPerDay() - r.rental().netPerDay(), within(1e-9));
        assertThat(r.differencePerMonth()).isCloseTo(30 * r.differencePerDay(), within(1e-9));

        CalculatorResult cheap = OperatorCalculator.calculate(inputs("H100").verityUsdPerBusyHour(1.0).build());
        assertThat(cheap.paysMore()).isEqualTo(CalculatorResult.Choice.RENTAL);
        assertThat(cheap.differencePerDay()).isPositive();
    }

    @Test
    void defaultsComeFromTheDataFileAndOverridesAreSetByYou() {
        GpuSpec h100 = CATALOG.get("H100");
        CalculatorInputs d = inputs("H100").build();
        assertThat(d.pue()).isEqualTo(h100.pue());
        assertThat(d.purchaseUsd()).isEqualTo(h100.purchaseUsd());
        assertThat(d.years()).isEqualTo(h100.depreciationYears());
        assertThat(d.boardWatts()).isEqualTo(h100.boardWatts());
        assertThat(d.idleWatts()).isEqualTo(h100.idleWatts());
        assertThat(d.rentalUsdPerHour()).isEqualTo(h100.rentalUsdPerHour());
        assertThat(d.hostShare()).isEqualTo(h100.marketplaceHostShare());
        assertThat(d.count().value()).isEqualTo(1);
        assertThat(d.pricePerKwh().value()).isEqualTo(0.15);
        assertThat(d.utilization().value()).isEqualTo(0.5);
        assertThat(d.rentalUtilization().value()).isEqualTo(0.5);
        assertThat(d.pue().date()).isNotBlank();
        assertThat(d.pue().isSetByYou()).isFalse();

        CalculatorInputs o = inputs("H100").count(2).pricePerKwh(0.3).pue(1.5).utilization(0.7).purchaseUsd(20_000.0)
                .years(4.0).boardWatts(600.0).idleWatts(200.0).rentalUsdPerHour(2.5).rentalUtilization(0.4)
                .hostShare(0.8).tokenPriceUsd(2.0).verityUsdPerBusyHour(1.5).build();
        assertThat(o.count()).isEqualTo(Sourced.setByYou(2));
        assertThat(o.pricePerKwh()).isEqualTo(Sourced.setByYou(0.3));
        assertThat(o.pue()).isEqualTo(Sourced.setByYou(1.5));
        assertThat(o.utilization()).isEqualTo(Sourced.setByYou(0.7));
        assertThat(o.purchaseUsd()).isEqualTo(Sourced.setByYou(20_000.0));
        assertThat(o.years()).isEqualTo(Sourced.setByYou(4.0));
        assertThat(o.boardWatts()).isEqualTo(Sourced.setByYou(600.0));
        assertThat(o.idleWatts()).isEqualTo(Sourced.setByYou(200.0));
        assertThat(o.rentalUsdPerHour()).isEqualTo(Sourced.setByYou(2.5));
        assertThat(o.rentalUtilization()).isEqualTo(Sourced.setByYou(0.4));
        assertThat(o.hostShare()).isEqualTo(Sourced.setByYou(0.8));
        assertThat(o.tokenPriceUsd()).isEqualTo(Sourced.setByYou(2.0));
        assertThat(o.verityUsdPerBusyHour()).isEqualTo(Sourced.setByYou(1.5));
        assertThat(o.verityUsdPerBusyHour().source()).isEqualTo("set by you");

        // the rental utilization follows the utilization unless given
        CalculatorInputs u = inputs("H100").utilization(0.8).build();
        assertThat(u.rentalUtilization().value()).isEqualTo(0.8);
        assertThat(u.rentalUtilization().source()).contains("same as the utilization");
    }

    @Test
    void badInputsAreClearErrors() {
        assertThatThrownBy(() -> CATALOG.get("B200")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown GPU 'B200'")
                .hasMessageContaining("H100, H200, A100, L40S, RTX 4090, RTX 3090");
        assertThatThrownBy(() -> inputs("H100").utilization(1.5).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the utilization must be between 0 and 1, got 1.5");
        assertThatThrownBy(() -> inputs("H100").utilization(-0.1).build()).hasMessageContaining("utilization");
        assertThatThrownBy(() -> inputs("H100").rentalUtilization(2.0).build())
                .hasMessageContaining("rental utilization");
        assertThatThrownBy(() -> inputs("H100").pricePerKwh(-0.1).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the price per kWh must not be negative, got -0.1");
        assertThatThrownBy(() -> inputs("H100").purchaseUsd(-1.0).build()).hasMessageContaining("purchase price");
        assertThatThrownBy(() -> inputs("H100").rentalUsdPerHour(-1.0).build()).hasMessageContaining("rental price");
        assertThatThrownBy(() -> inputs("H100").tokenPriceUsd(-1.0).build()).hasMessageContaining("token price");
        assertThatThrownBy(() -> inputs("H100").years(0.0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the depreciation years must be positive, got 0");
        assertThatThrownBy(() -> inputs("H100").count(0).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the GPU count must be at least 1, got 0");
        assertThatThrownBy(() -> inputs("H100").pue(0.9).build()).hasMessageContaining("PUE must be at least 1");
        assertThatThrownBy(() -> inputs("H100").hostShare(1.2).build()).hasMessageContaining("host share");
        assertThatThrownBy(() -> inputs("H100").boardWatts(0.0).build()).hasMessageContaining("board power");
        assertThatThrownBy(() -> inputs("H100").pricePerKwh(Double.NaN).build()).hasMessageContaining("price per kWh");
        assertThatThrownBy(() -> new NetworkPrice(7_000, 10_001)).hasMessageContaining("node share");
    }

    @Test
    void zeroPurchasePaysBackAtOnce() {
        Figures f = OperatorCalculator.calculate(inputs("RTX 3090").purchaseUsd(0.0).build()).verity();
        assertThat(f.depreciationPerDay()).isZero();
        assertThat(f.paybackDays()).isZero();
    }

    @Test
    void scientificNotation() {
        assertThat(CalculatorInputs.scientific(1.0e14)).isEqualTo("1e14");
        assertThat(CalculatorInputs.scientific(3.15e13)).isEqualTo("3.15e13");
        assertThat(CalculatorInputs.scientific(9.9996e13)).isEqualTo("1e14");
        assertThat(CalculatorInputs.scientific(0.5)).isEqualTo("5e-1");
    }
}
