package dev.verity.economics.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.protocol.VerificationMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batches where the actors have several things to send in one block: with 10-minute blocks each client has a few jobs
 * per block ({@code SubmitJobs}) and each node finishes several results ({@code SubmitResults}); every job is still
 * taken, verified and settled on its own.
 */
class BatchingTest {
    private static SimulationConfig config;
    private static RunResult run;

    @BeforeAll
    static void simulate() {
        config = SmallNetwork.config(new Scenario.Baseline(), 1).blockSeconds(600).jobsPerHour(150).build();
        run = SmallNetwork.runOne(config);
    }

    @Test
    void clientsAndNodesBatch() {
        RunResult.Transactions x = run.totals().transactions();
        assertThat(x.jobBatches()).isPositive();
        assertThat(x.jobsInBatches()).isGreaterThan(2 * x.jobBatches() - 1);
        assertThat(x.resultBatches()).isPositive();
        assertThat(x.resultsInBatches()).isGreaterThan(2 * x.resultBatches() - 1);
        assertThat(x.total()).as("fewer than one transaction per job and one per result")
                .isLessThan(run.totals().submitted() + run.totals().settled());
    }

    @Test
    void everyJobInABatchIsTakenAndSettledOnItsOwn() {
        RunResult.Totals t = run.totals();
        assertThat(t.refusedByLedger()).isZero();
        assertThat(t.resultsRefused()).isZero();
        assertThat(t.submitted()).isEqualTo(t.arrivals() - t.pricedOut());
        assertThat(t.settled()).isGreaterThan(t.submitted() * 80 / 100);
        for (VerificationMode m : new VerificationMode[] {VerificationMode.NONE, VerificationMode.TEE,
                VerificationMode.OPTIMISTIC, VerificationMode.SAMPLED}) {
            assertThat(t.settledByMode()[m.ordinal()]).as("settled %s", m).isPositive();
        }
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        RunResult again = SmallNetwork.runOne(config);
        assertThat(again.totals()).usingRecursiveComparison().isEqualTo(run.totals());
        assertThat(again.operatorDays()).isEqualTo(run.operatorDays());
    }
}
