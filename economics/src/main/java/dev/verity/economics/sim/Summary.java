package dev.verity.economics.sim;

import dev.verity.protocol.VerificationMode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The content of {@code summary.json}: the parameters used and each run's totals. Keys keep their order. */
final class Summary {
    private Summary() {}

    static Map<String, Object> of(SimulationConfig c, List<RunResult> runs) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scenario", c.scenario().name());
        doc.put("description", c.scenario().describe());
        doc.put("days", c.days());
        doc.put("seed", c.seed());
        doc.put("block_seconds", c.blockSeconds());
        doc.put("jobs_per_hour", number(c.jobsPerHour(), 3));
        doc.put("token_price_usd", number(c.tokenPriceUsd(), 6));
        doc.put("zk_cost_multiple", number(c.zkCostMultiple(), 3));
        doc.put("compute_units_per_job", c.computeUnitsPerJob());
        doc.put("target_compute_units_per_block", c.targetComputeUnitsPerBlock());
        doc.put("fleet_jobs_per_hour", number(c.fleetJobsPerHour(), 1));
        List<Map<String, Object>> fleet = new ArrayList<>();
        for (SimulationConfig.NodeGroup g : c.fleet()) {
            fleet.add(ordered("gpu", g.gpu().id(), "count", g.count(), "enclave", g.enclave()));
        }
        doc.put("fleet", fleet);
        doc.put("usd_per_kwh", number(c.usdPerKwh(), 4));
        doc.put("rental_utilization", number(c.rentalUtilization(), 4));
        List<Map<String, Object>> out = new ArrayList<>();
        for (RunResult r : runs) {
            out.add(run(r));
        }
        doc.put("runs", out);
        return doc;
    }

    private static Map<String, Object> run(RunResult r) {
        RunResult.Totals t = r.totals();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", r.run().id());
        m.put("label", r.run().label());
        m.put("tee_fallbacks", r.run().teeFallbacks().stream().map(Enum::name).toList());
        m.put("jobs_simulated", t.arrivals());
        m.put("submitted", t.submitted());
        m.put("settled", t.settled());
        Map<String, Object> byMode = new LinkedHashMap<>();
        Map<String, Object> fees = new LinkedHashMap<>();
        for (VerificationMode mode : VerificationMode.values()) {
            byMode.put(mode.name(), t.settledByMode()[mode.ordinal()]);
            fees.put(mode.name(), number(t.meanFeeVrt(mode), 6));
        }
        m.put("settled_by_mode", byMode);
        m.put("refused", t.pricedOut() + t.refusedByLedger());
        m.put("priced_out", t.pricedOut());
        m.put("refused_by_ledger", t.refusedByLedger());
        m.put("expired", t.expired());
        m.put("cancelled", t.cancelled());
        m.put("fallbacks", t.fallbacks() + t.moved());
        m.put("mode_fallbacks", t.fallbacks());
        m.put("jobs_moved", t.moved());
        m.put("missed_deadlines", t.missedDeadlines());
        m.put("jailings", t.jailings());
        m.put("mean_fee_vrt", number(t.meanFeeVrt(), 6));
        m.put("mean_fee_vrt_by_mode", fees);
        m.put("token_price_usd", ordered("start", number(t.firstTokenPriceUsd(), 6), "end", number(t.lastTokenPriceUsd(), 6)));
        m.put("final_base_price", t.finalBasePrice());
        RunResult.Transactions x = t.transactions();
        m.put("transactions", ordered("total", x.total(), "job_batches", x.jobBatches(), "jobs_in_batches", x.jobsInBatches(),
                "result_batches", x.resultBatches(), "results_in_batches", x.resultsInBatches()));
        List<Map<String, Object>> exits = new ArrayList<>();
        for (RunResult.Exit e : r.exits()) {
            exits.add(ordered("day", e.day(), "node", e.node(), "gpu", e.gpu(),
                    "net_usd_per_day", number(e.netUsdPerDay(), 2), "rental_net_usd_per_day", number(e.rentalNetUsdPerDay(), 2),
                    "days_below_rental", e.daysBelow()));
        }
        m.put("exits", exits);
        return m;
    }

    /** A number with at most {@code decimals} decimals, or null for NaN (JSON has no NaN). */
    static BigDecimal number(double x, int decimals) {
        String s = Numbers.fixed(x, decimals);
        return s.isEmpty() ? null : new BigDecimal(s);
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
