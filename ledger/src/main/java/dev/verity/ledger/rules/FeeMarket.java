package dev.verity.ledger.rules;

import dev.verity.ledger.state.LedgerState;
import dev.verity.protocol.Params;
import java.math.BigInteger;

/**
 * The base price per 10^15 compute units, moved at the end of every block toward the target by the
 * EIP-1559 rule: {@code base x (1 +/- changeBps/10000 x |used - target| / target)}, with {@code |used - target|}
 * capped at the target so one block moves the price by at most {@code basePriceChangeBps}. A block counts
 * the compute units of the jobs submitted in it (the demand it let in). The price never falls below
 * {@code minBasePrice}, and a block above target raises it by at least one base unit.
 */
public final class FeeMarket {
    private FeeMarket() {}

    public static long basePrice(LedgerState state) {
        long price = state.global(LedgerState.GLOBAL_BASE_PRICE);
        return price == 0 ? state.params().initialBasePrice() : price;
    }

    /** Compute units submitted in the block being executed so far. */
    public static long blockComputeUnits(LedgerState state) {
        return state.global(LedgerState.GLOBAL_BLOCK_COMPUTE_UNITS);
    }

    static void recordDemand(LedgerState state, long computeUnits) {
        long used = blockComputeUnits(state);
        state.setGlobal(LedgerState.GLOBAL_BLOCK_COMPUTE_UNITS, Long.MAX_VALUE - used < computeUnits ? Long.MAX_VALUE
                : used + computeUnits);
    }

    /**
     * Moves the price after a block. {@code waitingForCapacity} jobs are queued only because every node serving them
     * is at its declared capacity ({@code capacity} is that of all assignable nodes). When that backlog grew in this
     * block, the growth counts as demand above the target in proportion to it,
     * {@code target x (1 + min(growth, capacity) / capacity)}: the price rises while work arrives faster than the
     * network's declared capacity takes it, by the full step once a block adds a whole capacity's worth. A backlog that
     * only waits to drain (its jobs already escrowed at their own price) does not push the price further, so a burst
     * does not leave the network priced out long after it stopped arriving.
     */
    static void endBlock(LedgerState state, long waitingForCapacity, long capacity) {
        Params p = state.params();
        long previous = state.global(LedgerState.GLOBAL_WAITING_FOR_CAPACITY);
        long growth = waitingForCapacity - previous;
        if (growth != 0) {
            state.setGlobal(LedgerState.GLOBAL_WAITING_FOR_CAPACITY, waitingForCapacity);
        }
        long used = Math.max(blockComputeUnits(state), backlogDemand(p, growth, capacity));
        state.setGlobal(LedgerState.GLOBAL_BASE_PRICE, next(p, basePrice(state), used));
        state.setGlobal(LedgerState.GLOBAL_BLOCK_COMPUTE_UNITS, 0);
    }

    /** The demand a growing capacity backlog stands for: 0 unless it grew, else above target by the growth's share of capacity. */
    static long backlogDemand(Params p, long growth, long capacity) {
        if (growth <= 0) {
            return 0;
        }
        long target = p.targetComputeUnitsPerBlock();
        long share = capacity <= 0 ? 1 : Math.min(growth, capacity);
        long over = BigInteger.valueOf(target).multiply(BigInteger.valueOf(share))
                .divide(BigInteger.valueOf(capacity <= 0 ? 1 : capacity)).longValueExact();
        return target > Long.MAX_VALUE - over - 1 ? Long.MAX_VALUE : target + Math.max(over, 1);
    }

    /** The base price after a block that let in {@code used} compute units. */
    public static long next(Params p, long base, long used) {
        long target = p.targetComputeUnitsPerBlock();
        long gap = Math.min(Math.abs(used - target), target);
        long step = BigInteger.valueOf(base).multiply(BigInteger.valueOf(gap)).multiply(BigInteger.valueOf(p.basePriceChangeBps()))
                .divide(BigInteger.valueOf(target).multiply(BigInteger.valueOf(10_000))).longValueExact();
        if (used > target) {
            long up = Math.max(step, 1);
            return base > Long.MAX_VALUE - up ? Long.MAX_VALUE : base + up; // saturates: block end must not throw
        }
        return Math.max(p.minBasePrice(), base - step);
    }
}
