package dev.verity.economics.sim;

import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.VerificationMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The simulated clients: jobs arrive as a Poisson process; each asks for a mode from the mix (TEE jobs with the
 * run's fallback ladder), picks one of the program's inputs, has a limit price (a multiple of the genesis base
 * price, log-uniform) and, three times in ten, a tip of 1 to 5% of the base price. Every draw comes from the
 * run's one seeded random source, in a fixed order.
 */
final class Clients {
    static final int ACCOUNTS = 16;
    static final long FUNDS = 100_000_000 * SimChain.VRT;
    private static final double TIP_CHANCE = 0.3;

    /** One client job: when it arrives, what it asks for, and what the client is willing to pay. */
    record Arrival(long atMs, VerificationMode mode, List<VerificationMode> fallbacks, long deadlineBlocks,
                   long limitPrice, double tipShare, int input) {}

    private final SimulationConfig config;
    private final Scenario.Run run;
    private final SplittableRandom random;
    private final long referencePrice;
    private final List<PrivateKey> keys = new ArrayList<>();
    private long count;

    Clients(SimulationConfig config, Scenario.Run run, SplittableRandom random, long referencePrice) {
        this.config = config;
        this.run = run;
        this.random = random;
        this.referencePrice = referencePrice;
        for (int i = 0; i < ACCOUNTS; i++) {
            keys.add(PrivateKey.deterministic(String.format(Locale.ROOT, "sim/client-%02d", i + 1)));
        }
    }

    List<Genesis.Allocation> allocations() {
        return keys.stream().map(k -> new Genesis.Allocation(k.publicKey(), FUNDS)).toList();
    }

    /** The account that sends the next job (clients take turns). */
    PrivateKey nextSender() {
        return keys.get((int) (count++ % ACCOUNTS));
    }

    /** The jobs arriving during the block that starts at {@code startMs}, in time order. */
    List<Arrival> arrivals(long startMs, long blockMillis, double multiplier) {
        double expected = config.jobsPerHour() * multiplier * blockMillis / 3_600_000.0;
        int n = poisson(expected);
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = startMs + 1 + (long) (random.nextDouble() * (blockMillis - 1));
        }
        java.util.Arrays.sort(times);
        List<Arrival> out = new ArrayList<>(n);
        for (long t : times) {
            out.add(draw(t));
        }
        return out;
    }

    private Arrival draw(long atMs) {
        SimulationConfig.ModeMix mix = config.mix();
        double u = random.nextDouble();
        VerificationMode mode = u < mix.tee() ? VerificationMode.TEE
                : u < mix.tee() + mix.optimistic() ? VerificationMode.OPTIMISTIC
                : u < mix.tee() + mix.optimistic() + mix.sampled() ? VerificationMode.SAMPLED : VerificationMode.NONE;
        List<VerificationMode> fallbacks = mode == VerificationMode.TEE ? run.teeFallbacks() : List.of();
        long deadline = fallbacks.contains(VerificationMode.ZK) ? config.zkDeadlineBlocks() : config.deadlineBlocks();
        double lo = Math.log(config.limitPrice().minMultiple());
        double hi = Math.log(config.limitPrice().maxMultiple());
        long limit = Math.max(1, Math.round(referencePrice * Math.exp(lo + random.nextDouble() * (hi - lo))));
        double tip = random.nextDouble() < TIP_CHANCE ? 0.01 + 0.04 * random.nextDouble() : 0;
        int input = random.nextInt(SimProgram.INPUTS);
        return new Arrival(atMs, mode, fallbacks, deadline, limit, tip, input);
    }

    /** A Poisson draw (Knuth's method, split in steps of 30 so large means do not underflow). */
    private int poisson(double mean) {
        int n = 0;
        double left = mean;
        while (left > 0) {
            double step = Math.min(left, 30);
            left -= step;
            double limit = Math.exp(-step);
            double p = random.nextDouble();
            while (p > limit) {
                n++;
                p *= random.nextDouble();
            }
        }
        return n;
    }
}
