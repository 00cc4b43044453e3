package dev.verity.gateway.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

/**
 * The max fee the gateway escrows for a generation job: what the chain's price formula (docs/PROTOCOL.md, "Prices and
 * fees") gives for the prompt and the most new tokens, in the most expensive of the job's modes (with the auditor's fee
 * for SAMPLED), at {@code headroom} times the base price so that a rising price does not refuse the job. Settlement
 * charges the tokens generated and refunds the rest.
 */
record JobPrices(JsonNode params, long basePrice, int headroom) {
    private static final BigInteger PRICE_UNIT = BigInteger.valueOf(Params.COMPUTE_UNITS_PER_PRICE_UNIT);

    long maxFee(long units, VerificationMode mode, List<VerificationMode> fallbacks) {
        long most = fee(units, mode);
        for (VerificationMode m : fallbacks) {
            most = Math.max(most, fee(units, m));
        }
        return most;
    }

    private long fee(long units, VerificationMode mode) {
        BigInteger price = BigInteger.valueOf(basePrice).multiply(BigInteger.valueOf(headroom));
        BigInteger[] qr = BigInteger.valueOf(units).multiply(price).divideAndRemainder(PRICE_UNIT);
        BigInteger work = qr[0].add(qr[1].signum() == 0 ? BigInteger.ZERO : BigInteger.ONE)
                .max(BigInteger.valueOf(params.path("minJobFee").asLong()));
        BigInteger fee = work.multiply(BigInteger.valueOf(multiplier(mode))).divide(BigInteger.valueOf(10_000));
        if (mode == VerificationMode.SAMPLED) {
            fee = fee.add(work.multiply(BigInteger.valueOf(multiplier(VerificationMode.NONE))).divide(BigInteger.valueOf(10_000)));
        }
        return fee.min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
    }

    private long multiplier(VerificationMode mode) {
        JsonNode m = params.path(mode.name().toLowerCase(Locale.ROOT) + "FeeMultiplierBps");
        if (!m.canConvertToLong()) {
            throw new IllegalStateException("the chain's parameters give no fee multiplier for " + mode);
        }
        return m.asLong();
    }
}
