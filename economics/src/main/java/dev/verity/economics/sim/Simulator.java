package dev.verity.economics.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code verity simulate}: runs a scenario (twice on the same seed for tee-compromise) and writes its files to a
 * folder: {@code hourly.csv}, {@code operators.csv}, the PNG charts and {@code summary.json}. The same
 * configuration gives byte-identical files: every draw comes from one seeded generator, collections are sorted,
 * and no file holds a wall-clock time.
 */
public final class Simulator {
    public static final String SUMMARY = "summary.json";

    /** Told after each simulated day of each run. */
    public interface Progress {
        void dayDone(String run, int day, int days);
    }

    /**
     * What a simulation wrote: its summary (the content of {@code summary.json}), the files, and per run the
     * figures a person reads first.
     */
    public record Report(Map<String, Object> summary, List<Path> files, List<RunSummary> runs) {
        /** Client jobs simulated over all runs (priced-out clients included). */
        public long jobsSimulated() {
            return runs.stream().mapToLong(RunSummary::jobsSimulated).sum();
        }
    }

    /** One run in a few figures; fees in VRT, prices in USD. */
    public record RunSummary(String id, String label, long jobsSimulated, long settled, long refused, long fallbacks,
                             long expired, double meanFeeVrt, double tokenPriceStartUsd, double tokenPriceEndUsd,
                             int exits) {}

    private Simulator() {}

    private static Charts.Event event(Scenario s) {
        return switch (s) {
            case Scenario.TeeCompromise t -> new Charts.Event(t.revokeDay(), "TEE vendor revoked");
            case Scenario.PriceDrop p -> new Charts.Event(p.day(), "token price falls to " + Numbers.plain(p.toUsd()) + " USD");
            case Scenario.DemandSpike d -> new Charts.Event(d.day(), Numbers.plain(d.multiplier()) + "x demand for "
                    + Numbers.plain(d.hours()) + " h");
            default -> null;
        };
    }

    public static Report run(SimulationConfig config, Path outDir, Progress progress) throws IOException {
        Charts.headless();
        Files.createDirectories(outDir);
        SimProgram program = new SimProgram();
        List<RunResult> runs = new ArrayList<>();
        for (Scenario.Run run : config.scenario().runs()) {
            runs.add(new NetworkRun(config, run, program, day -> progress.dayDone(run.id(), day, config.days())).execute());
        }
        List<Path> files = new ArrayList<>();
        files.add(CsvFiles.writeHourly(outDir, runs));
        files.add(CsvFiles.writeOperators(outDir, runs));
        files.addAll(Charts.write(outDir, runs, event(config.scenario())));
        Map<String, Object> summary = Summary.of(config, runs);
        Path summaryFile = outDir.resolve(SUMMARY);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Files.writeString(summaryFile, json.writeValueAsString(summary) + "\n", StandardCharsets.UTF_8);
        files.add(summaryFile);
        List<RunSummary> summaries = new ArrayList<>();
        for (RunResult r : runs) {
            RunResult.Totals t = r.totals();
            summaries.add(new RunSummary(r.run().id(), r.run().label(), t.arrivals(), t.settled(),
                    t.pricedOut() + t.refusedByLedger(), t.fallbacks() + t.moved(), t.expired(), t.meanFeeVrt(),
                    t.firstTokenPriceUsd(), t.lastTokenPriceUsd(), r.exits().size()));
        }
        return new Report(summary, List.copyOf(files), List.copyOf(summaries));
    }
}
