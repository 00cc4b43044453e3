package dev.verity.economics.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operators below their rental alternative for a day leave: the RTX 4090s (no enclave, so no TEE work, and a
 * rental price high for their throughput) go; the others take their work and earn more.
 */
class OperatorExitScenarioTest {
    private static RunResult run;

    @BeforeAll
    static void simulate() {
        Scenario exit = Scenario.parse("operator-exit", new Scenario.Options(null, null, null, null, 1));
        run = SmallNetwork.runOne(SmallNetwork.config(exit, 3).build());
    }

    @Test
    void operatorsBelowTheirRentalAlternativeLeave() {
        assertThat(run.exits()).isNotEmpty();
        for (RunResult.Exit e : run.exits()) {
            assertThat(e.netUsdPerDay()).as("%s", e).isLessThan(e.rentalNetUsdPerDay());
            assertThat(e.daysBelow()).isEqualTo(1);
        }
        int firstExitDay = run.exits().get(0).day();
        assertThat(run.days().get(firstExitDay + 1).operators()).isLessThan(run.days().get(firstExitDay).operators());
    }

    @Test
    void activeNodesDropAndTheOthersPickUpTheWork() {
        int nodes = SmallNetwork.FLEET.stream().mapToInt(SimulationConfig.NodeGroup::count).sum();
        assertThat(run.hours().get(0).activeNodes).isEqualTo(nodes);
        HourStats last = run.hours().get(run.hours().size() - 1);
        assertThat(last.activeNodes).isEqualTo(nodes - run.exits().size());
        assertThat(run.totals().expired()).isZero();
        String stayer = run.operatorDays().stream().filter(d -> d.day() == 2 && d.status().equals("serving"))
                .map(RunResult.NodeDay::node).findFirst().orElseThrow();
        double before = utilization(stayer, 0);
        double after = utilization(stayer, 2);
        assertThat(after).as("%s busier after the exits", stayer).isGreaterThan(before);
        for (RunResult.NodeDay d : run.operatorDays()) {
            if (d.status().equals("left")) {
                assertThat(d.results()).as("%s takes no new work after leaving", d.node()).isLessThan(5);
            }
        }
    }

    private static double utilization(String node, int day) {
        return run.operatorDays().stream().filter(d -> d.day() == day && d.node().equals(node))
                .mapToDouble(RunResult.NodeDay::utilization).findFirst().orElseThrow();
    }
}
