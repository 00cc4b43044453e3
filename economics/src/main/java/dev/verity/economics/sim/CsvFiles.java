package dev.verity.economics.sim;

import dev.verity.protocol.VerificationMode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CSV time series: {@code hourly.csv} (one row per run and simulated hour) and {@code operators.csv} (one row
 * per run, node and simulated day). Comma-separated, a header line, "\n" line ends, numbers without locale; an
 * empty cell means "no value" (a latency in an hour where nothing settled).
 */
final class CsvFiles {
    static final String HOURLY = "hourly.csv";
    static final String OPERATORS = "operators.csv";

    private CsvFiles() {}

    static List<String> hourlyHeader() {
        List<String> h = new ArrayList<>(List.of("run", "hour", "time_days"));
        for (String what : List.of("submitted", "settled", "refused")) {
            for (VerificationMode m : VerificationMode.values()) {
                h.add(what + "_" + m);
            }
        }
        h.addAll(List.of("priced_out", "mode_fallbacks", "jobs_moved", "expired", "cancelled", "missed_deadlines",
                "queue_length", "queue_mean", "queue_max", "latency_p50_s", "latency_p99_s", "base_price",
                "base_price_usd", "token_price_usd", "active_nodes", "operator_net_usd_per_day", "rental_net_usd_per_day"));
        return h;
    }

    static List<String> operatorsHeader() {
        return List.of("run", "day", "node", "gpu", "enclave", "status", "results", "audits", "utilization", "vrt_earned",
                "vrt_penalized", "revenue_usd", "power_usd", "depreciation_usd", "net_usd", "rental_net_usd");
    }

    static Path writeHourly(Path dir, List<RunResult> runs) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", hourlyHeader())).append('\n');
        for (RunResult r : runs) {
            for (HourStats h : r.hours()) {
                List<String> row = new ArrayList<>(List.of(r.run().id(), Integer.toString(h.hour),
                        Numbers.fixed(h.hour / 24.0, 4)));
                for (long[] counts : List.of(h.submitted, h.settled, h.refused)) {
                    for (long c : counts) {
                        row.add(Long.toString(c));
                    }
                }
                RunResult.DaySummary day = h.hour / 24 < r.days().size() ? r.days().get(h.hour / 24) : null;
                double price = h.basePrice();
                row.addAll(List.of(Long.toString(h.pricedOut), Long.toString(h.fallbacks), Long.toString(h.moved),
                        Long.toString(h.expired), Long.toString(h.cancelled), Long.toString(h.missedDeadlines),
                        Long.toString(h.queueLength), Numbers.fixed(h.queueMean(), 2), Long.toString(h.queueMax),
                        Numbers.fixed(h.latency(50), 1), Numbers.fixed(h.latency(99), 1), Numbers.fixed(price, 1),
                        Numbers.fixed(price / SimChain.VRT * h.tokenPriceUsd, 8), Numbers.fixed(h.tokenPriceUsd, 4),
                        Integer.toString(h.activeNodes), day == null ? "" : Numbers.fixed(day.netUsdMean(), 2),
                        day == null ? "" : Numbers.fixed(day.rentalNetUsdMean(), 2)));
                sb.append(String.join(",", row)).append('\n');
            }
        }
        Path file = dir.resolve(HOURLY);
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        return file;
    }

    static Path writeOperators(Path dir, List<RunResult> runs) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", operatorsHeader())).append('\n');
        for (RunResult r : runs) {
            for (RunResult.NodeDay d : r.operatorDays()) {
                sb.append(String.join(",", r.run().id(), Integer.toString(d.day()), d.node(), csv(d.gpu()),
                        Boolean.toString(d.enclave()), d.status(), Integer.toString(d.results()), Integer.toString(d.audits()),
                        Numbers.fixed(d.utilization(), 4), vrt(d.vrtEarned()), vrt(d.vrtPenalized()),
                        Numbers.fixed(d.revenueUsd(), 4), Numbers.fixed(d.powerUsd(), 4), Numbers.fixed(d.depreciationUsd(), 4),
                        Numbers.fixed(d.netUsd(), 4), Numbers.fixed(d.rentalNetUsd(), 4))).append('\n');
            }
        }
        Path file = dir.resolve(OPERATORS);
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        return file;
    }

    /** Base units as VRT with all six decimals, exactly. */
    static String vrt(long baseUnits) {
        String sign = baseUnits < 0 ? "-" : "";
        long a = Math.abs(baseUnits);
        return sign + a / SimChain.VRT + "." + String.format(java.util.Locale.ROOT, "%06d", a % SimChain.VRT);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
