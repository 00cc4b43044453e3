package dev.verity.cli;

import dev.verity.economics.sim.Scenario;
import dev.verity.economics.sim.SimulationConfig;
import dev.verity.economics.sim.Simulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verity simulate}: the network simulator, on the real ledger, over simulated time. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulate the network for days: simulated clients and compute nodes around the real ledger "
                + "(every job a signed transaction with real evidence), and write CSV time series, PNG charts and a "
                + "summary to a folder.", "",
            "Scenarios: baseline; tee-compromise (the TEE vendor is revoked; run twice: TEE jobs falling back to ZK, "
                    + "and on Verity's ladder OPTIMISTIC, SAMPLED); price-drop (the token price falls); demand-spike "
                    + "(arrivals multiply for a while); operator-exit (operators below their rental alternative leave). "
                    + "See docs/SIMULATOR.md.", "",
            "The same options and seed give byte-identical files. Progress, the wall time and jobs simulated per "
                    + "second go to stderr, never into the files."})
final class SimulateCommand extends BaseCommand {
    @Option(names = "--scenario", required = true, paramLabel = "NAME",
            description = "baseline, tee-compromise, price-drop, demand-spike or operator-exit.")
    String scenario;

    @Option(names = "--days", paramLabel = "D", defaultValue = "30", description = "Simulated days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "The seed of every random draw (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the files (default: ./sim-SCENARIO-seedS).")
    Path out;

    @Option(names = "--jobs-per-hour", paramLabel = "N",
            description = "Client arrivals per hour before a scenario multiplies them (default: "
                    + "460, about 3/4 of the default fleet's 620 jobs per hour).")
    Double jobsPerHour;

    @Option(names = "--token-price", paramLabel = "USD", description = "USD per VRT at the start (default: 1.00).")
    Double tokenPrice;

    @Option(names = "--zk-cost-multiple", paramLabel = "X",
            description = "How many times longer than the inference a ZK job occupies its node (default: 100).")
    Double zkCostMultiple;

    @Option(names = "--event-day", paramLabel = "D",
            description = "When the scenario's event happens, in days since genesis (default: 10): the revocation, "
                    + "the price drop, the start of the spike.")
    Double eventDay;

    @Option(names = "--price-to", paramLabel = "USD", description = "price-drop: the token price after the drop (default: 0.30).")
    Double priceTo;

    @Option(names = "--spike-multiplier", paramLabel = "X", description = "demand-spike: how many times the arrivals (default: 5).")
    Double spikeMultiplier;

    @Option(names = "--spike-hours", paramLabel = "H", description = "demand-spike: how long the spike lasts (default: 24).")
    Double spikeHours;

    @Option(names = "--exit-after-days", paramLabel = "K",
            description = "operator-exit: days in a row below the rental alternative before an operator leaves (default: 3).")
    Integer exitAfterDays;

    @Option(names = "--rental-utilization", paramLabel = "U",
            description = "The share of the time a GPU rented out on a marketplace is rented, 0..1 (default: 0.5).")
    Double rentalUtilization;

    @Option(names = "--block-seconds", paramLabel = "S", description = "Simulated seconds per block (default: 10).")
    Integer blockSeconds;

    @Override
    protected int execute() throws Exception {
        SimulationConfig config = config();
        Path dir = out != null ? out : Path.of("sim-" + config.scenario().name() + "-seed" + config.seed());
        out().note("simulating " + config.scenario().describe() + " for " + config.days() + " days, seed " + config.seed()
                + ", " + fmt(config.jobsPerHour(), 0) + " jobs per hour, token price " + fmt(config.tokenPriceUsd(), 2)
                + " USD; writing to " + dir);
        long start = System.nanoTime();
        Simulator.Report report = Simulator.run(config, dir, (run, day, total) -> {
            if ((day + 1) % progressStep(total) == 0 || day + 1 == total) {
                out().note(run + ": day " + (day + 1) + "/" + total);
            }
        });
        double wall = (System.nanoTime() - start) / 1e9;
        if (out().json()) {
            out().printJson(report.summary());
        } else {
            print(config, dir, report);
        }
        out().note(String.format(Locale.ROOT, "wall time %.1f s, %d jobs simulated, %.0f jobs per second of wall time",
                wall, report.jobsSimulated(), report.jobsSimulated() / wall));
        return 0;
    }

    private SimulationConfig config() {
        Scenario s = Scenario.parse(scenario, new Scenario.Options(eventDay, spikeMultiplier, spikeHours, priceTo, exitAfterDays));
        SimulationConfig.Builder b = SimulationConfig.builder(s).days(days).seed(seed);
        if (jobsPerHour != null) {
            b.jobsPerHour(jobsPerHour);
        }
        if (tokenPrice != null) {
            b.tokenPriceUsd(tokenPrice);
        }
        if (zkCostMultiple != null) {
            b.zkCostMultiple(zkCostMultiple);
        }
        if (rentalUtilization != null) {
            b.rentalUtilization(rentalUtilization);
        }
        if (blockSeconds != null) {
            b.blockSeconds(blockSeconds);
        }
        return b.build();
    }

    private static int progressStep(int days) {
        return days <= 10 ? 1 : days <= 60 ? 5 : 10;
    }

    private void print(SimulationConfig config, Path dir, Simulator.Report report) {
        out().fields(Output.object("scenario", config.scenario().describe(), "days", config.days(), "seed", config.seed(),
                "jobs per hour", fmt(config.jobsPerHour(), 1), "token price (USD)", fmt(config.tokenPriceUsd(), 4),
                "output", dir.toAbsolutePath().normalize()));
        out().line();
        List<List<String>> rows = new ArrayList<>();
        for (Simulator.RunSummary r : report.runs()) {
            rows.add(List.of(r.label(), Long.toString(r.jobsSimulated()), Long.toString(r.settled()), Long.toString(r.refused()),
                    Long.toString(r.fallbacks()), Long.toString(r.expired()), fmt(r.meanFeeVrt(), 6),
                    fmt(r.tokenPriceStartUsd(), 2) + " -> " + fmt(r.tokenPriceEndUsd(), 2), Integer.toString(r.exits())));
        }
        out().table(List.of("RUN", ">JOBS", ">SETTLED", ">REFUSED", ">FALLBACKS", ">EXPIRED", ">MEAN FEE (VRT)",
                "TOKEN (USD)", ">EXITS"), rows);
        out().line();
        report.files().forEach(f -> out().line(f.toString()));
    }

    private static String fmt(double x, int decimals) {
        return Double.isNaN(x) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", x);
    }
}
