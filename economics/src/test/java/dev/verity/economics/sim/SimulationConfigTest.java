package dev.verity.economics.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Bad arguments are refused with a message that says what to change. */
class SimulationConfigTest {
    @Test
    void anUnknownScenarioListsTheKnownOnes() {
        assertThatThrownBy(() -> Scenario.parse("meltdown", Scenario.Options.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown scenario 'meltdown'; known scenarios: baseline, tee-compromise, price-drop, "
                        + "demand-spike, operator-exit");
    }

    @Test
    void daysMustBeAtLeastOne() {
        assertThatThrownBy(() -> SimulationConfig.builder(new Scenario.Baseline()).days(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--days must be 1 to").hasMessageContaining("got 0");
    }

    @Test
    void theLoadMustNotBeNegative() {
        assertThatThrownBy(() -> SimulationConfig.builder(new Scenario.Baseline()).jobsPerHour(-5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the load must be 0 or more jobs per hour, got -5.0");
    }

    @Test
    void theEventMustFallWithinTheRun() {
        Scenario spike = Scenario.parse("demand-spike", Scenario.Options.DEFAULTS);
        assertThatThrownBy(() -> SimulationConfig.builder(spike).days(2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event at day 10 is not within the 2-day run");
    }

    @Test
    void scenarioParametersAreChecked() {
        assertThatThrownBy(() -> Scenario.parse("operator-exit", new Scenario.Options(null, null, null, null, 0)))
                .hasMessageContaining("at least 1 day");
        assertThatThrownBy(() -> Scenario.parse("price-drop", new Scenario.Options(null, null, null, -1.0, null)))
                .hasMessageContaining("0 or more USD");
        assertThatThrownBy(() -> Scenario.parse("demand-spike", new Scenario.Options(-1.0, null, null, null, null)))
                .hasMessageContaining("the event day must be 0 or more");
        assertThatThrownBy(() -> SimulationConfig.builder(new Scenario.Baseline()).rentalUtilization(1.5).build())
                .hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> SimulationConfig.builder(new Scenario.Baseline()).blockSeconds(7).build())
                .hasMessageContaining("must divide an hour");
    }

    @Test
    void theDefaultsDescribeTheDefaultNetwork() {
        SimulationConfig c = SimulationConfig.builder(new Scenario.Baseline()).build();
        assertThat(c.days()).isEqualTo(30);
        assertThat(c.nodeCount()).isEqualTo(24);
        assertThat(c.fleetJobsPerHour()).isBetween(600.0, 640.0);
        assertThat(c.jobsPerHour() / c.fleetJobsPerHour()).as("arrivals are about 3/4 of capacity").isBetween(0.7, 0.8);
        assertThat(c.targetComputeUnitsPerBlock()).as("the target is half the fleet's capacity per block")
                .isEqualTo(Math.round(c.fleetComputeUnitsPerSecond() * 10 / 2));
        assertThat(c.tokenPriceUsd()).isEqualTo(1.00);
        assertThat(c.zkCostMultiple()).isEqualTo(100);
        assertThat(Scenario.parse("tee-compromise", Scenario.Options.DEFAULTS).eventDay()).isEqualTo(10);
    }
}
