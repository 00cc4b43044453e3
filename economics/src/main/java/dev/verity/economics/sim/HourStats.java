package dev.verity.economics.sim;

import dev.verity.protocol.VerificationMode;
import java.util.Arrays;

/** What happened in one simulated hour of one run. */
final class HourStats {
    static final int MODES = VerificationMode.values().length;

    final int hour;
    /** Jobs the chain took, by the mode the client asked for. */
    final long[] submitted = new long[MODES];
    /** Jobs settled, by the mode they settled in. */
    final long[] settled = new long[MODES];
    /** Clients priced out by the base price or refused by the ledger, by the mode they asked for. */
    final long[] refused = new long[MODES];
    /** Fees of the jobs settled, base units, by mode. */
    final long[] fees = new long[MODES];
    long pricedOut;
    long fallbacks;
    long moved;
    long expired;
    long cancelled;
    long missedDeadlines;
    long jailed;
    private double[] latencies = new double[16];
    private int latencyCount;
    private double basePriceSum;
    private int blocks;
    double tokenPriceUsd = Double.NaN;
    /** Jobs waiting on chain or assigned and not yet answered, at the end of the hour. */
    long queueLength;
    private long queueSum;
    private int queueSamples;
    long queueMax;
    int activeNodes;

    HourStats(int hour) {
        this.hour = hour;
    }

    void block(long basePrice, double tokenPrice) {
        basePriceSum += basePrice;
        blocks++;
        if (Double.isNaN(tokenPriceUsd)) {
            tokenPriceUsd = tokenPrice;
        }
    }

    /** The queue after one of the hour's blocks. */
    void queue(long length) {
        queueSum += length;
        queueSamples++;
        queueMax = Math.max(queueMax, length);
        queueLength = length;
    }

    /** The mean queue over the hour's blocks. */
    double queueMean() {
        return queueSamples == 0 ? Double.NaN : queueSum / (double) queueSamples;
    }

    void settledAfter(double seconds) {
        if (latencyCount == latencies.length) {
            latencies = Arrays.copyOf(latencies, latencyCount * 2);
        }
        latencies[latencyCount++] = seconds;
    }

    /** The mean base price in force over the hour's blocks, base units per 10^15 compute units. */
    double basePrice() {
        return blocks == 0 ? Double.NaN : basePriceSum / blocks;
    }

    long settledTotal() {
        return Arrays.stream(settled).sum();
    }

    long submittedTotal() {
        return Arrays.stream(submitted).sum();
    }

    long refusedTotal() {
        return Arrays.stream(refused).sum();
    }

    /** The {@code p}-th percentile (nearest rank) of submit-to-settlement times in seconds; NaN when none settled. */
    double latency(double p) {
        if (latencyCount == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * latencyCount);
        return sorted[Math.max(0, Math.min(latencyCount - 1, rank - 1))];
    }
}
