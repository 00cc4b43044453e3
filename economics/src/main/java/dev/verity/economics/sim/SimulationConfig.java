package dev.verity.economics.sim;

import dev.verity.economics.calculator.GpuSpec;
import java.util.List;

/**
 * Everything one simulation uses. Build it with {@link #builder}: every figure has a default, and
 * {@link Builder#build} refuses a bad one with a message that names it.
 *
 * @param scenario            what happens (see {@link Scenario})
 * @param days                simulated days
 * @param seed                the one seed of every random draw
 * @param blockSeconds        simulated seconds per block
 * @param jobsPerHour         client arrivals per hour (a Poisson process), before a scenario multiplies them
 * @param tokenPriceUsd       USD per VRT at the start (a scenario may move it)
 * @param zkCostMultiple      how many times longer than the inference a ZK job occupies its node
 * @param computeUnitsPerJob  compute units the model declares per job (what the chain prices, what a node spends)
 * @param fleet               the compute nodes
 * @param mix                 the verification modes clients ask for
 * @param limitPrice          how much clients are willing to pay
 * @param deadlineBlocks      the result deadline clients set, in blocks
 * @param zkDeadlineBlocks    the deadline of clients whose jobs may fall back to ZK (long enough for a proof)
 * @param targetShare         the fee market's target as a share of the fleet's capacity per block
 * @param usdPerKwh           electricity price
 * @param rentalUtilization   the share of the time a GPU rented out on a marketplace is rented
 */
public record SimulationConfig(Scenario scenario, int days, long seed, int blockSeconds, double jobsPerHour,
                               double tokenPriceUsd, double zkCostMultiple, long computeUnitsPerJob, List<NodeGroup> fleet,
                               ModeMix mix, LimitPrice limitPrice, long deadlineBlocks, long zkDeadlineBlocks,
                               double targetShare, double usdPerKwh, double rentalUtilization) {

    public static final int DEFAULT_DAYS = 30;
    public static final long DEFAULT_SEED = 1;
    public static final int DEFAULT_BLOCK_SECONDS = 10;
    public static final double DEFAULT_JOBS_PER_HOUR = 460;
    public static final double DEFAULT_TOKEN_PRICE_USD = 1.00;
    public static final double DEFAULT_ZK_COST_MULTIPLE = 100;
    /** 50 seconds of an H100 at 10^14 compute units per second. */
    public static final long DEFAULT_COMPUTE_UNITS_PER_JOB = 5_000_000_000_000_000L;
    public static final double DEFAULT_USD_PER_KWH = 0.15;
    public static final double DEFAULT_RENTAL_UTILIZATION = 0.5;
    public static final long DEFAULT_DEADLINE_BLOCKS = 360;
    public static final long DEFAULT_ZK_DEADLINE_BLOCKS = 4_000;
    public static final double DEFAULT_TARGET_SHARE = 0.5;
    public static final int MAX_DAYS = 366;

    /** A group of identical nodes: {@code count} GPUs of one kind, each its own node, with or without a TEE enclave. */
    public record NodeGroup(GpuSpec gpu, int count, boolean enclave) {}

    /** The share of jobs asking for each mode first; TEE jobs carry a fallback ladder, the others none. */
    public record ModeMix(double tee, double optimistic, double sampled, double none) {
        public static final ModeMix DEFAULT = new ModeMix(0.5, 0.2, 0.2, 0.1);
    }

    /**
     * What a client is willing to pay, per 10^15 compute units in NONE terms: the genesis base price times a
     * multiple drawn log-uniformly between {@code minMultiple} and {@code maxMultiple}. A client whose limit is
     * below the current base price is priced out (refused demand); the others escrow their limit as max fee.
     */
    public record LimitPrice(double minMultiple, double maxMultiple) {
        public static final LimitPrice DEFAULT = new LimitPrice(0.75, 12);
    }

    /**
     * 24 nodes: 3 H100, 6 A100 and 6 L40S in confidential VMs (with TEE enclaves) and 9 RTX 4090 home rigs
     * without; 8.6 H100s of compute, about 620 jobs per hour of 5 x 10^15 compute units.
     */
    public static final List<NodeGroup> DEFAULT_FLEET = List.of(new NodeGroup(Gpus.get("H100"), 3, true),
            new NodeGroup(Gpus.get("A100"), 6, true), new NodeGroup(Gpus.get("L40S"), 6, true),
            new NodeGroup(Gpus.get("RTX 4090"), 9, false));

    public SimulationConfig {
        fleet = List.copyOf(fleet);
    }

    public static Builder builder(Scenario scenario) {
        return new Builder(scenario);
    }

    public long blocks() {
        return (long) days * 86_400 / blockSeconds;
    }

    public int nodeCount() {
        int n = 0;
        for (NodeGroup g : fleet) {
            n += g.count();
        }
        return n;
    }

    /** Compute units per second of the whole fleet. */
    public double fleetComputeUnitsPerSecond() {
        double cu = 0;
        for (NodeGroup g : fleet) {
            cu += g.count() * Gpus.computeUnitsPerSecond(g.gpu());
        }
        return cu;
    }

    /** Jobs per hour the fleet can compute at full use (one model, no ZK). */
    public double fleetJobsPerHour() {
        return fleetComputeUnitsPerSecond() * 3600 / computeUnitsPerJob;
    }

    /** The fee market's target: {@code targetShare} of what the fleet computes in one block. */
    public long targetComputeUnitsPerBlock() {
        return Math.max(1, Math.round(fleetComputeUnitsPerSecond() * blockSeconds * targetShare));
    }

    /** Builds a configuration; each setter takes the value as given, {@link #build} checks them all. */
    public static final class Builder {
        private final Scenario scenario;
        private int days = DEFAULT_DAYS;
        private long seed = DEFAULT_SEED;
        private int blockSeconds = DEFAULT_BLOCK_SECONDS;
        private double jobsPerHour = DEFAULT_JOBS_PER_HOUR;
        private double tokenPriceUsd = DEFAULT_TOKEN_PRICE_USD;
        private double zkCostMultiple = DEFAULT_ZK_COST_MULTIPLE;
        private long computeUnitsPerJob = DEFAULT_COMPUTE_UNITS_PER_JOB;
        private List<NodeGroup> fleet = DEFAULT_FLEET;
        private ModeMix mix = ModeMix.DEFAULT;
        private LimitPrice limitPrice = LimitPrice.DEFAULT;
        private long deadlineBlocks = DEFAULT_DEADLINE_BLOCKS;
        private long zkDeadlineBlocks = DEFAULT_ZK_DEADLINE_BLOCKS;
        private double targetShare = DEFAULT_TARGET_SHARE;
        private double usdPerKwh = DEFAULT_USD_PER_KWH;
        private double rentalUtilization = DEFAULT_RENTAL_UTILIZATION;

        private Builder(Scenario scenario) {
            if (scenario == null) {
                throw new IllegalArgumentException("a scenario is needed; known scenarios: " + String.join(", ", Scenario.NAMES));
            }
            this.scenario = scenario;
        }

        public Builder days(int v) { days = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder blockSeconds(int v) { blockSeconds = v; return this; }
        public Builder jobsPerHour(double v) { jobsPerHour = v; return this; }
        public Builder tokenPriceUsd(double v) { tokenPriceUsd = v; return this; }
        public Builder zkCostMultiple(double v) { zkCostMultiple = v; return this; }
        public Builder computeUnitsPerJob(long v) { computeUnitsPerJob = v; return this; }
        public Builder fleet(List<NodeGroup> v) { fleet = v; return this; }
        public Builder mix(ModeMix v) { mix = v; return this; }
        public Builder limitPrice(LimitPrice v) { limitPrice = v; return this; }
        public Builder deadlineBlocks(long v) { deadlineBlocks = v; return this; }
        public Builder zkDeadlineBlocks(long v) { zkDeadlineBlocks = v; return this; }
        public Builder targetShare(double v) { targetShare = v; return this; }
        public Builder usdPerKwh(double v) { usdPerKwh = v; return this; }
        public Builder rentalUtilization(double v) { rentalUtilization = v; return this; }

        public SimulationConfig build() {
            if (days < 1 || days > MAX_DAYS) {
                throw new IllegalArgumentException("--days must be 1 to " + MAX_DAYS + ", got " + days);
            }
            if (blockSeconds < 1 || blockSeconds > 3600 || 3600 % blockSeconds != 0) {
                throw new IllegalArgumentException("the block time must divide an hour (1, 2, 5, 10, 30, 60 ... seconds), got "
                        + blockSeconds);
            }
            if (!(jobsPerHour >= 0) || Double.isInfinite(jobsPerHour)) {
                throw new IllegalArgumentException("the load must be 0 or more jobs per hour, got " + jobsPerHour);
            }
            if (jobsPerHour / 3600 * blockSeconds * scenarioPeak() > 500) {
                throw new IllegalArgumentException("the load of " + Numbers.plain(jobsPerHour) + " jobs per hour brings more than "
                        + "500 jobs into one block; lower the load or the block time");
            }
            if (!(tokenPriceUsd >= 0) || Double.isInfinite(tokenPriceUsd)) {
                throw new IllegalArgumentException("the token price must be 0 or more USD, got " + tokenPriceUsd);
            }
            if (!(zkCostMultiple >= 1) || zkCostMultiple > 1e6) {
                throw new IllegalArgumentException("the ZK cost multiple must be 1 to 1000000, got " + zkCostMultiple);
            }
            if (computeUnitsPerJob < 1) {
                throw new IllegalArgumentException("a job must declare at least 1 compute unit, got " + computeUnitsPerJob);
            }
            if (fleet.isEmpty() || fleet.stream().anyMatch(g -> g.count() < 0)) {
                throw new IllegalArgumentException("the fleet needs at least one node and no negative counts");
            }
            int nodes = fleet.stream().mapToInt(NodeGroup::count).sum();
            if (nodes < 1 || nodes > 1000) {
                throw new IllegalArgumentException("the fleet must have 1 to 1000 nodes, got " + nodes);
            }
            checkMix();
            if (!(limitPrice.minMultiple() > 0) || !(limitPrice.maxMultiple() >= limitPrice.minMultiple())
                    || Double.isInfinite(limitPrice.maxMultiple())) {
                throw new IllegalArgumentException("client limit prices need 0 < min multiple <= max multiple");
            }
            if (deadlineBlocks < 2 || zkDeadlineBlocks < 2 || deadlineBlocks > 10_000 || zkDeadlineBlocks > 10_000) {
                throw new IllegalArgumentException("deadlines must be 2 to 10000 blocks");
            }
            if (!(targetShare > 0) || targetShare > 10) {
                throw new IllegalArgumentException("the fee-market target share must be above 0 and at most 10, got " + targetShare);
            }
            if (!(usdPerKwh >= 0) || Double.isInfinite(usdPerKwh)) {
                throw new IllegalArgumentException("the electricity price must be 0 or more USD per kWh, got " + usdPerKwh);
            }
            if (!(rentalUtilization >= 0) || rentalUtilization > 1) {
                throw new IllegalArgumentException("the rental utilization must be between 0 and 1, got " + rentalUtilization);
            }
            double event = scenario.eventDay();
            if (event >= days) {
                throw new IllegalArgumentException("the " + scenario.name() + " event at day " + Numbers.plain(event)
                        + " is not within the " + days + "-day run; give more --days or an earlier --event-day");
            }
            return new SimulationConfig(scenario, days, seed, blockSeconds, jobsPerHour, tokenPriceUsd, zkCostMultiple,
                    computeUnitsPerJob, fleet, mix, limitPrice, deadlineBlocks, zkDeadlineBlocks, targetShare, usdPerKwh,
                    rentalUtilization);
        }

        private double scenarioPeak() {
            return scenario instanceof Scenario.DemandSpike s ? s.multiplier() : 1;
        }

        private void checkMix() {
            double[] shares = {mix.tee(), mix.optimistic(), mix.sampled(), mix.none()};
            double sum = 0;
            for (double s : shares) {
                if (!(s >= 0)) {
                    throw new IllegalArgumentException("mode shares must be 0 or more");
                }
                sum += s;
            }
            if (Math.abs(sum - 1) > 1e-9) {
                throw new IllegalArgumentException("mode shares must add up to 1, got " + sum);
            }
        }
    }
}
