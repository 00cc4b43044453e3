package dev.verity.bench.lm;

import java.util.Arrays;

/** Wall-clock timing: warm-up runs, then the median of measured runs. */
public final class Timing {
    private Timing() {}

    /** The median time of {@code runs} runs of {@code work} after {@code warmups} unmeasured ones, in nanoseconds. */
    public static long medianNanos(int warmups, int runs, Runnable work) {
        for (int i = 0; i < warmups; i++) {
            work.run();
        }
        long[] t = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            work.run();
            t[i] = System.nanoTime() - start;
        }
        return median(t);
    }

    public static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
