package dev.verity.economics.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A 5x spike of arrivals for 6 hours from hour 18: the base price and the queue rise during it and come back. */
class DemandSpikeScenarioTest {
    private static RunResult run;

    @BeforeAll
    static void simulate() {
        Scenario spike = Scenario.parse("demand-spike", new Scenario.Options(0.75, 5.0, 6.0, null, null));
        run = SmallNetwork.runOne(SmallNetwork.config(spike, 2).build());
    }

    private static String series(String what, java.util.function.ToDoubleFunction<HourStats> f) {
        StringBuilder sb = new StringBuilder(what + " by hour:");
        for (HourStats h : run.hours()) {
            sb.append(' ').append(Numbers.fixed(f.applyAsDouble(h), 0));
        }
        return sb.toString();
    }

    @Test
    void theBasePriceRisesDuringTheSpikeAndComesBackAfter() {
        List<HourStats> before = SmallNetwork.hours(run, 6, 18);
        List<HourStats> during = SmallNetwork.hours(run, 19, 24);
        List<HourStats> after = SmallNetwork.hours(run, 30, 48);
        double priceBefore = SmallNetwork.mean(before, HourStats::basePrice);
        double priceDuring = SmallNetwork.mean(during, HourStats::basePrice);
        double priceAfter = SmallNetwork.mean(after, HourStats::basePrice);
        String prices = series("base price", HourStats::basePrice);
        assertThat(priceDuring).as(prices).isGreaterThan(3 * priceBefore);
        assertThat(priceAfter).as(prices).isLessThan(2 * priceBefore).isGreaterThan(priceBefore / 2);
        assertThat(SmallNetwork.mean(during, h -> h.pricedOut)).as("the spike's extra clients are priced out")
                .isGreaterThan(3 * SmallNetwork.mean(before, h -> h.pricedOut + 1));
    }

    @Test
    void theQueueRisesWhenTheSpikeHitsAndComesBackAfter() {
        double maxBefore = SmallNetwork.hours(run, 6, 18).stream().mapToLong(h -> h.queueMax).max().orElseThrow();
        long maxAtSpike = run.hours().get(18).queueMax;
        double meanBefore = SmallNetwork.mean(SmallNetwork.hours(run, 6, 18), HourStats::queueMean);
        double meanAfter = SmallNetwork.mean(SmallNetwork.hours(run, 30, 48), HourStats::queueMean);
        String queue = series("queue max", h -> h.queueMax);
        assertThat((double) maxAtSpike).as(queue).isGreaterThan(maxBefore);
        assertThat(meanAfter).as(queue).isLessThan(2 * meanBefore + 1);
    }

    @Test
    void theChainStillTakesAboutWhatItTookBefore() {
        double before = SmallNetwork.mean(SmallNetwork.hours(run, 6, 18), h -> h.submittedTotal());
        double during = SmallNetwork.mean(SmallNetwork.hours(run, 19, 24), h -> h.submittedTotal());
        assertThat(during).as("the fee market rations the spike to about its target").isBetween(0.7 * before, 1.5 * before);
    }
}
