package dev.verity.economics.sim;

/**
 * One operator's day-by-day book, from the chain's events: VRT earned (node share, audit fees, dispute rewards)
 * and lost (penalties, slashes), their USD value at the token price of the moment, and the time the GPU was busy.
 */
final class OperatorAccount {
    static final long DAY_MS = 86_400_000L;

    private final long[] earned;
    private final long[] penalized;
    private final double[] usd;
    private final long[] busyMs;
    private final int[] results;
    private final int[] audits;

    OperatorAccount(int days) {
        earned = new long[days];
        penalized = new long[days];
        usd = new double[days];
        busyMs = new long[days];
        results = new int[days];
        audits = new int[days];
    }

    int days() {
        return earned.length;
    }

    /** The day (0-based) of a time in milliseconds since genesis, within the run. */
    int dayOf(long ms) {
        return (int) Math.max(0, Math.min(days() - 1, (ms - 1) / DAY_MS));
    }

    void earn(long ms, long baseUnits, double tokenPriceUsd) {
        int d = dayOf(ms);
        earned[d] += baseUnits;
        usd[d] += baseUnits / (double) SimChain.VRT * tokenPriceUsd;
    }

    void lose(long ms, long baseUnits, double tokenPriceUsd) {
        int d = dayOf(ms);
        penalized[d] += baseUnits;
        usd[d] -= baseUnits / (double) SimChain.VRT * tokenPriceUsd;
    }

    void resultSent(long ms) {
        results[dayOf(ms)]++;
    }

    void auditSent(long ms) {
        audits[dayOf(ms)]++;
    }

    /** Counts [start, end) as busy time, split at day boundaries; time after the run is not counted. */
    void busy(long startMs, long endMs) {
        long t = startMs;
        while (t < endMs) {
            int d = (int) (t / DAY_MS);
            if (d >= days()) {
                return;
            }
            long dayEnd = (d + 1) * DAY_MS;
            long until = Math.min(endMs, dayEnd);
            busyMs[d] += until - t;
            t = until;
        }
    }

    long earned(int day) {
        return earned[day];
    }

    long penalized(int day) {
        return penalized[day];
    }

    /** VRT income net of penalties, in USD at the token price of each payment. */
    double revenueUsd(int day) {
        return usd[day];
    }

    double utilization(int day) {
        return Math.min(1, busyMs[day] / (double) DAY_MS);
    }

    int results(int day) {
        return results[day];
    }

    int audits(int day) {
        return audits[day];
    }
}
