package dev.verity.economics.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The token falls from 1.00 to 0.30 USD at day 1: operators earn the same VRT per job and far fewer dollars. */
class PriceDropScenarioTest {
    private static RunResult run;

    @BeforeAll
    static void simulate() {
        Scenario drop = Scenario.parse("price-drop", new Scenario.Options(1.0, null, null, 0.30, null));
        run = SmallNetwork.runOne(SmallNetwork.config(drop, 2).build());
    }

    @Test
    void theTokenPriceIsRecordedEveryHour() {
        assertThat(run.hours().get(0).tokenPriceUsd).isEqualTo(1.00);
        assertThat(run.hours().get(23).tokenPriceUsd).isEqualTo(1.00);
        assertThat(run.hours().get(24).tokenPriceUsd).isEqualTo(0.30);
        assertThat(run.totals().firstTokenPriceUsd()).isEqualTo(1.00);
        assertThat(run.totals().lastTokenPriceUsd()).isEqualTo(0.30);
    }

    @Test
    void operatorsEarnAboutTheSameVrtPerJobButFewerDollars() {
        double vrtPerJobBefore = vrtPerJob(0);
        double vrtPerJobAfter = vrtPerJob(1);
        assertThat(vrtPerJobAfter).isCloseTo(vrtPerJobBefore, within(0.3 * vrtPerJobBefore));
        double usdBefore = usd(0);
        double usdAfter = usd(1);
        assertThat(usdAfter).isLessThan(0.5 * usdBefore);
        assertThat(usdAfter).isCloseTo(0.30 * usdBefore, within(0.15 * usdBefore));
        assertThat(run.days().get(1).netUsdMean()).isLessThan(run.days().get(0).netUsdMean());
    }

    private static double vrtPerJob(int day) {
        List<RunResult.NodeDay> days = run.operatorDays().stream().filter(d -> d.day() == day).toList();
        long vrt = days.stream().mapToLong(RunResult.NodeDay::vrtEarned).sum();
        long jobs = days.stream().mapToLong(d -> d.results() + d.audits()).sum();
        return vrt / (double) jobs;
    }

    private static double usd(int day) {
        return run.operatorDays().stream().filter(d -> d.day() == day).mapToDouble(RunResult.NodeDay::revenueUsd).sum();
    }
}
