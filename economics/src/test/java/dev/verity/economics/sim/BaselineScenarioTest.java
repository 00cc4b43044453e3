package dev.verity.economics.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.protocol.VerificationMode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The baseline on a small network: every mode settles, latency stays finite, the base price follows the load. */
class BaselineScenarioTest {
    private static RunResult run;

    @BeforeAll
    static void simulate() {
        run = SmallNetwork.runOne(SmallNetwork.config(new Scenario.Baseline(), 1).build());
    }

    @Test
    void jobsSettleInEveryModeTheClientsAskFor() {
        RunResult.Totals t = run.totals();
        for (VerificationMode m : List.of(VerificationMode.NONE, VerificationMode.TEE, VerificationMode.OPTIMISTIC,
                VerificationMode.SAMPLED)) {
            assertThat(t.settledByMode()[m.ordinal()]).as("settled %s", m).isGreaterThan(50);
        }
        assertThat(t.settledByMode()[VerificationMode.ZK.ordinal()]).isZero();
        assertThat(t.expired()).isZero();
        assertThat(t.submitted()).isGreaterThan(2_000);
        assertThat(t.settled()).isGreaterThan(t.submitted() * 95 / 100);
        assertThat(t.pricedOut()).as("some clients are priced out by the base price").isPositive();
    }

    @Test
    void latencyIsFiniteEveryHour() {
        for (HourStats h : run.hours()) {
            assertThat(h.settledTotal()).as("hour %d", h.hour).isPositive();
            assertThat(h.latency(50)).as("p50 of hour %d", h.hour).isBetween(50.0, 2_000.0);
            assertThat(h.latency(99)).as("p99 of hour %d", h.hour).isBetween(h.latency(50), 4 * 3_600.0);
        }
    }

    @Test
    void auditsAndOperatorEarningsComeFromTheChainsEvents() {
        long audits = run.operatorDays().stream().mapToLong(RunResult.NodeDay::audits).sum();
        assertThat(audits).as("about 10%% of SAMPLED results are audited").isPositive();
        assertThat(run.operatorDays()).hasSize(SmallNetwork.FLEET.stream().mapToInt(SimulationConfig.NodeGroup::count).sum());
        for (RunResult.NodeDay d : run.operatorDays()) {
            assertThat(d.vrtEarned()).as("%s", d.node()).isPositive();
            assertThat(d.utilization()).as("%s", d.node()).isBetween(0.05, 1.0);
        }
    }

    @Test
    void theBasePriceFollowsTheLoad() {
        RunResult light = SmallNetwork.runOne(SmallNetwork.config(new Scenario.Baseline(), 1).jobsPerHour(40).build());
        double busy = SmallNetwork.mean(SmallNetwork.hours(run, 6, 24), HourStats::basePrice);
        double quiet = SmallNetwork.mean(SmallNetwork.hours(light, 6, 24), HourStats::basePrice);
        assertThat(quiet).as("a network below its target sinks to the minimum price").isLessThan(200);
        assertThat(busy).as("a network loaded above its target holds a price near the genesis price").isBetween(3_000.0, 20_000.0);
        assertThat(light.totals().pricedOut()).isZero();
    }
}
