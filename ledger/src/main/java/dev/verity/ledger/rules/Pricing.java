package dev.verity.ledger.rules;

import dev.verity.core.Amounts;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import java.math.BigInteger;

/**
 * The price of one job of {@code units} compute units ({@link JobUnits}: the model's units per job, and for a
 * generation model its units per token). Prices are in base units per {@link Params#COMPUTE_UNITS_PER_PRICE_UNIT}
 * (10^15) compute units: {@code max(minJobFee, ceil(units x (basePrice + tip) / 10^15))}, times the mode's
 * multiplier in basis points (rounded down). The client's max fee caps it: the tip is what the cap cuts,
 * a job whose fee at the base price alone does not fit is not taken.
 */
public final class Pricing {
    private static final BigInteger PRICE_UNIT = BigInteger.valueOf(Params.COMPUTE_UNITS_PER_PRICE_UNIT);

    private Pricing() {}

    /** The fee in {@code mode} at a price per 10^15 compute units of {@code basePrice + tip}, before any cap. */
    public static long fee(Params p, long units, VerificationMode mode, long basePrice, long tip) {
        BigInteger[] qr = BigInteger.valueOf(units)
                .multiply(BigInteger.valueOf(Amounts.add(basePrice, tip)))
                .divideAndRemainder(PRICE_UNIT);
        long work = Amounts.add(qr[0].longValueExact(), qr[1].signum() == 0 ? 0 : 1);
        return Amounts.multiply(Math.max(p.minJobFee(), work), p.feeMultiplierBps(mode)) / 10_000;
    }

    /** The auditor's fee for re-running a SAMPLED job: the model's NONE price at the job's base price, no tip. */
    public static long auditFee(Params p, long units, long basePrice) {
        return fee(p, units, VerificationMode.NONE, basePrice, 0);
    }

    /** The least escrow a job in {@code mode} needs at {@code basePrice}: its fee without tip, plus the auditor's for SAMPLED. */
    public static long minCharge(Params p, long units, VerificationMode mode, long basePrice) {
        long fee = fee(p, units, mode, basePrice, 0);
        return mode == VerificationMode.SAMPLED ? Amounts.add(fee, auditFee(p, units, basePrice)) : fee;
    }

    /**
     * What settlement will charge for a job in {@code mode}: its fee with the tip, cut so that it (and the
     * auditor's fee for SAMPLED) fits in {@code maxFee}. Only call when {@link #minCharge} fits.
     */
    public static long cappedFee(Params p, long units, VerificationMode mode, long basePrice, long tip, long maxFee) {
        long reserved = mode == VerificationMode.SAMPLED ? auditFee(p, units, basePrice) : 0;
        return Math.min(fee(p, units, mode, basePrice, tip), maxFee - reserved);
    }
}
