package dev.verity.economics.sim;

import java.util.List;

/**
 * A third of the default network for fast tests: 7 nodes (1 H100, 2 A100 and 2 L40S with enclaves, 2 RTX 4090
 * without), about 195 jobs per hour of capacity, loaded like the default (3/4 of capacity arrive), with 40-second
 * blocks so that the fee market's target is again about one job per block, as in the default network.
 */
final class SmallNetwork {
    static final List<SimulationConfig.NodeGroup> FLEET = List.of(new SimulationConfig.NodeGroup(Gpus.get("H100"), 1, true),
            new SimulationConfig.NodeGroup(Gpus.get("A100"), 2, true), new SimulationConfig.NodeGroup(Gpus.get("L40S"), 2, true),
            new SimulationConfig.NodeGroup(Gpus.get("RTX 4090"), 2, false));
    static final double JOBS_PER_HOUR = 145;
    static final int BLOCK_SECONDS = 40;
    private static final SimProgram PROGRAM = new SimProgram();

    private SmallNetwork() {}

    static SimulationConfig.Builder config(Scenario scenario, int days) {
        return SimulationConfig.builder(scenario).days(days).fleet(FLEET).jobsPerHour(JOBS_PER_HOUR)
                .blockSeconds(BLOCK_SECONDS);
    }

    static Scenario scenario(String name, Scenario.Options options) {
        return Scenario.parse(name, options);
    }

    /** Every run of the configuration's scenario, in order. */
    static List<RunResult> run(SimulationConfig config) {
        return config.scenario().runs().stream().map(r -> new NetworkRun(config, r, PROGRAM, d -> { }).execute()).toList();
    }

    static RunResult runOne(SimulationConfig config) {
        return run(config).get(0);
    }

    /** The hours in [fromHour, toHour). */
    static List<HourStats> hours(RunResult r, int fromHour, int toHour) {
        return r.hours().subList(fromHour, Math.min(toHour, r.hours().size()));
    }

    static double mean(List<HourStats> hours, java.util.function.ToDoubleFunction<HourStats> f) {
        return hours.stream().mapToDouble(f).filter(x -> !Double.isNaN(x)).average().orElse(Double.NaN);
    }
}
