package dev.verity.economics.sim;

import dev.verity.protocol.VerificationMode;
import java.util.List;

/**
 * One simulated run: its hours, its operators' days, the operators who left, and the totals.
 *
 * @param run          which run (its id and label)
 * @param hours        one entry per simulated hour
 * @param days         the network's operators, one entry per simulated day
 * @param operatorDays one entry per node and day
 * @param exits        operators that left, in order
 * @param totals       counts over the whole run
 */
record RunResult(Scenario.Run run, List<HourStats> hours, List<DaySummary> days, List<NodeDay> operatorDays,
                 List<Exit> exits, Totals totals) {

    /** The operators of one day: averages over the nodes that served that day. */
    record DaySummary(int day, int operators, double netUsdMean, double rentalNetUsdMean, double vrtEarnedMean) {}

    /** One node's day. Amounts in VRT base units or USD. */
    record NodeDay(int day, String node, String gpu, boolean enclave, String status, int results, int audits,
                   double utilization, long vrtEarned, long vrtPenalized, double revenueUsd, double powerUsd,
                   double depreciationUsd, double netUsd, double rentalNetUsd) {}

    /**
     * The transactions the chain took: all of them, the client batches ({@code SubmitJobs}) and the jobs in them, and
     * the nodes' result batches ({@code SubmitResults}) and the results in them.
     */
    record Transactions(long total, long jobBatches, long jobsInBatches, long resultBatches, long resultsInBatches) {}

    /** An operator that left at the end of {@code day}, with the averages over the days that decided it. */
    record Exit(int day, String node, String gpu, double netUsdPerDay, double rentalNetUsdPerDay, int daysBelow) {}

    /**
     * Counts over the run. {@code arrivals} is every client job the simulation drew; {@code submitted} those the
     * chain took; {@code pricedOut} clients whose limit was below the base price; {@code refusedByLedger}
     * submissions the ledger refused; {@code fallbacks} jobs assigned in a fallback mode ({@code MODE_FALLBACK}) and
     * {@code moved} TEE jobs moved off a revoked enclave ({@code JOB_MOVED}).
     */
    record Totals(long arrivals, long submitted, long pricedOut, long refusedByLedger, long[] settledByMode,
                  long[] feesByMode, long expired, long cancelled, long fallbacks, long moved, long missedDeadlines,
                  long jailings, long resultsRefused, long skippedByNodes, double firstTokenPriceUsd,
                  double lastTokenPriceUsd, long finalBasePrice, Transactions transactions) {

        long settled() {
            long s = 0;
            for (long x : settledByMode) {
                s += x;
            }
            return s;
        }

        /** The mean fee of the jobs settled in {@code mode}, VRT; NaN when none. */
        double meanFeeVrt(VerificationMode mode) {
            long n = settledByMode[mode.ordinal()];
            return n == 0 ? Double.NaN : feesByMode[mode.ordinal()] / (double) n / SimChain.VRT;
        }

        double meanFeeVrt() {
            long n = settled();
            long f = 0;
            for (long x : feesByMode) {
                f += x;
            }
            return n == 0 ? Double.NaN : f / (double) n / SimChain.VRT;
        }
    }
}
