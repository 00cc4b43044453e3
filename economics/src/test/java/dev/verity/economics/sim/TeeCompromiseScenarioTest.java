package dev.verity.economics.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.protocol.VerificationMode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The TEE vendor revoked at hour 12, on the same seed twice: TEE jobs falling back to ZK congest the network;
 * on Verity's ladder they settle in OPTIMISTIC and SAMPLED at about the usual latency.
 */
class TeeCompromiseScenarioTest {
    private static RunResult zk;
    private static RunResult ladder;

    @BeforeAll
    static void simulate() {
        Scenario s = Scenario.parse("tee-compromise", new Scenario.Options(0.5, null, null, null, null));
        List<RunResult> runs = SmallNetwork.run(SmallNetwork.config(s, 1).build());
        zk = runs.get(0);
        ladder = runs.get(1);
    }

    @Test
    void bothRunsAreNamed() {
        assertThat(zk.run().id()).isEqualTo("zk-fallback");
        assertThat(zk.run().teeFallbacks()).containsExactly(VerificationMode.ZK);
        assertThat(ladder.run().id()).isEqualTo("verity-ladder");
        assertThat(ladder.run().teeFallbacks()).containsExactly(VerificationMode.OPTIMISTIC, VerificationMode.SAMPLED);
    }

    @Test
    void afterTheRevocationTheZkRunQueuesAndWaitsFarLongerThanTheLadder() {
        List<HourStats> zkAfter = SmallNetwork.hours(zk, 15, 24);
        List<HourStats> ladderAfter = SmallNetwork.hours(ladder, 15, 24);
        assertThat(SmallNetwork.mean(zkAfter, HourStats::queueMean))
                .isGreaterThan(10 * SmallNetwork.mean(ladderAfter, HourStats::queueMean));
        double zkLatency = SmallNetwork.mean(zkAfter, h -> h.latency(50));
        double ladderLatency = SmallNetwork.mean(ladderAfter, h -> h.latency(50));
        assertThat(zkLatency).isGreaterThan(10 * ladderLatency);
        assertThat(ladderLatency).as("the ladder keeps about the usual latency")
                .isLessThan(3 * SmallNetwork.mean(SmallNetwork.hours(ladder, 2, 12), h -> h.latency(50)));
        assertThat(zk.totals().settled()).isLessThan(ladder.totals().settled() * 3 / 4);
    }

    @Test
    void onTheLadderTeeJobsSettleInOptimisticAndSampled() {
        assertThat(ladder.totals().fallbacks() + ladder.totals().moved()).isPositive();
        List<HourStats> after = SmallNetwork.hours(ladder, 14, 24);
        long teeAsked = after.stream().mapToLong(h -> h.submitted[VerificationMode.TEE.ordinal()]).sum();
        long teeSettled = after.stream().mapToLong(h -> h.settled[VerificationMode.TEE.ordinal()]).sum();
        long optimisticAsked = after.stream().mapToLong(h -> h.submitted[VerificationMode.OPTIMISTIC.ordinal()]).sum();
        long optimisticSettled = after.stream().mapToLong(h -> h.settled[VerificationMode.OPTIMISTIC.ordinal()]).sum();
        assertThat(teeAsked).isGreaterThan(100);
        assertThat(teeSettled).as("no enclave is left to answer TEE jobs").isZero();
        assertThat(optimisticSettled).as("TEE jobs settle as OPTIMISTIC").isGreaterThan(optimisticAsked + teeAsked * 3 / 4);
        assertThat(ladder.totals().expired()).isZero();
        assertThat(ladder.totals().settledByMode()[VerificationMode.ZK.ordinal()]).isZero();
    }

    @Test
    void inTheZkRunTeeJobsBecomeZkJobs() {
        assertThat(zk.totals().settledByMode()[VerificationMode.ZK.ordinal()]).isPositive();
        assertThat(zk.totals().fallbacks() + zk.totals().moved()).isPositive();
        assertThat(zk.totals().meanFeeVrt(VerificationMode.ZK)).as("a ZK job pays 100x")
                .isGreaterThan(50 * zk.totals().meanFeeVrt(VerificationMode.NONE));
    }
}
