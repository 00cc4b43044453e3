package dev.verity.economics.calculator;

import java.util.Locale;
import java.util.Objects;

/**
 * Everything the operator calculator uses, each figure with where it came from: the GPU data file (source and
 * date), a Verity default, a derivation, or "set by you". Build it with {@link #builder}; the constructor checks
 * every figure and throws an {@link IllegalArgumentException} with a one-line message for a bad one.
 *
 * @param gpu                       the GPU
 * @param count                     how many GPUs (at least 1)
 * @param pricePerKwh               electricity, USD per kWh (not negative)
 * @param pue                       power usage effectiveness (at least 1)
 * @param utilization               the share of the time the GPUs do Verity work (0..1)
 * @param purchaseUsd               purchase price per GPU, USD (not negative)
 * @param years                     years over which a GPU is written off (positive)
 * @param boardWatts                power of a busy GPU, watts (positive)
 * @param idleWatts                 power per GPU while it waits for work, host share included, watts (not negative)
 * @param rentalUsdPerHour          what a renter pays per GPU-hour on a marketplace, USD (not negative)
 * @param rentalUtilization         the share of the time the GPUs are rented out (0..1)
 * @param hostShare                 the share of the renter's price the host keeps (0..1)
 * @param tokenPriceUsd             USD per VRT (not negative)
 * @param verityUsdPerBusyHour      what a GPU earns on Verity per busy hour, USD (not negative)
 * @param networkPrice              the network price the default {@code verityUsdPerBusyHour} derives from
 * @param h100ComputeUnitsPerSecond compute units per second of one H100 (the data file's figure)
 * @param computeUnitsPerSecond     compute units per second of one busy GPU (positive): by default the H100's
 *                                  times the GPU's relative throughput
 */
public record CalculatorInputs(
        GpuSpec gpu,
        Sourced<Integer> count,
        Sourced<Double> pricePerKwh,
        Sourced<Double> pue,
        Sourced<Double> utilization,
        Sourced<Double> purchaseUsd,
        Sourced<Double> years,
        Sourced<Double> boardWatts,
        Sourced<Double> idleWatts,
        Sourced<Double> rentalUsdPerHour,
        Sourced<Double> rentalUtilization,
        Sourced<Double> hostShare,
        Sourced<Double> tokenPriceUsd,
        Sourced<Double> verityUsdPerBusyHour,
        NetworkPrice networkPrice,
        Sourced<Double> h100ComputeUnitsPerSecond,
        Sourced<Double> computeUnitsPerSecond) {

    public static final double DEFAULT_PRICE_PER_KWH = 0.15;
    public static final double DEFAULT_UTILIZATION = 0.5;
    public static final double DEFAULT_TOKEN_PRICE_USD = 1.00;

    public CalculatorInputs {
        Objects.requireNonNull(gpu, "gpu");
        Objects.requireNonNull(networkPrice, "networkPrice");
        Objects.requireNonNull(h100ComputeUnitsPerSecond, "h100ComputeUnitsPerSecond");
        if (Objects.requireNonNull(count, "count").value() < 1) {
            throw new IllegalArgumentException("the GPU count must be at least 1, got " + count.value());
        }
        atLeast("the price per kWh", pricePerKwh, 0);
        atLeast("the PUE", pue, 1);
        share("the utilization", utilization);
        atLeast("the purchase price", purchaseUsd, 0);
        positive("the depreciation years", years);
        positive("the board power (watts)", boardWatts);
        atLeast("the idle power (watts)", idleWatts, 0);
        atLeast("the rental price per hour", rentalUsdPerHour, 0);
        share("the rental utilization", rentalUtilization);
        share("the host share", hostShare);
        atLeast("the token price", tokenPriceUsd, 0);
        positive("the throughput (compute units per second)", computeUnitsPerSecond);
        atLeast("the revenue per busy hour", verityUsdPerBusyHour, 0);
    }

    private static double finite(String what, Sourced<Double> v) {
        Objects.requireNonNull(v, what);
        if (!Double.isFinite(v.value())) {
            throw new IllegalArgumentException(what + " must be a number, got " + v.value());
        }
        return v.value();
    }

    private static void atLeast(String what, Sourced<Double> v, double min) {
        if (finite(what, v) < min) {
            throw new IllegalArgumentException(what + (min == 0 ? " must not be negative" : " must be at least "
                    + fmt(min)) + ", got " + fmt(v.value()));
        }
    }

    private static void positive(String what, Sourced<Double> v) {
        if (finite(what, v) <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + fmt(v.value()));
        }
    }

    private static void share(String what, Sourced<Double> v) {
        double x = finite(what, v);
        if (x < 0 || x > 1) {
            throw new IllegalArgumentException(what + " must be between 0 and 1, got " + fmt(x));
        }
    }

    private static String fmt(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }

    /** {@code x} as "1e14" or "3.15e13" (three significant digits at most). */
    public static String scientific(double x) {
        if (x == 0 || !Double.isFinite(x)) {
            return Double.toString(x);
        }
        int exp = (int) Math.floor(Math.log10(Math.abs(x)));
        java.math.BigDecimal m = new java.math.BigDecimal(x / Math.pow(10, exp))
                .round(new java.math.MathContext(3)).stripTrailingZeros();
        if (m.abs().compareTo(java.math.BigDecimal.TEN) >= 0) {
            m = m.movePointLeft(1).stripTrailingZeros();
            exp++;
        }
        return m.toPlainString() + "e" + exp;
    }

    /** Inputs for {@code gpu} with every figure at its default; set what the operator gives. */
    public static Builder builder(GpuCatalog catalog, GpuSpec gpu, NetworkPrice networkPrice) {
        return new Builder(catalog, gpu, networkPrice);
    }

    /**
     * Collects the operator's figures; each setter takes null for "not given" (the default stays). Figures given
     * are reported as "set by you".
     */
    public static final class Builder {
        private final GpuCatalog catalog;
        private final GpuSpec gpu;
        private final NetworkPrice networkPrice;
        private Integer count;
        private Double pricePerKwh;
        private Double pue;
        private Double utilization;
        private Double purchaseUsd;
        private Double years;
        private Double boardWatts;
        private Double idleWatts;
        private Double rentalUsdPerHour;
        private Double rentalUtilization;
        private Double hostShare;
        private Double tokenPriceUsd;
        private Double verityUsdPerBusyHour;
        private Double computeUnitsPerSecond;
        private Sourced<Double> measuredUtilization;
        private Sourced<Double> measuredPerHour;

        private Builder(GpuCatalog catalog, GpuSpec gpu, NetworkPrice networkPrice) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            this.gpu = Objects.requireNonNull(gpu, "gpu");
            this.networkPrice = Objects.requireNonNull(networkPrice, "networkPrice");
        }

        public Builder count(Integer v) { count = v; return this; }
        public Builder pricePerKwh(Double v) { pricePerKwh = v; return this; }
        public Builder pue(Double v) { pue = v; return this; }
        public Builder utilization(Double v) { utilization = v; return this; }
        public Builder purchaseUsd(Double v) { purchaseUsd = v; return this; }
        public Builder years(Double v) { years = v; return this; }
        public Builder boardWatts(Double v) { boardWatts = v; return this; }
        public Builder idleWatts(Double v) { idleWatts = v; return this; }
        public Builder rentalUsdPerHour(Double v) { rentalUsdPerHour = v; return this; }
        public Builder rentalUtilization(Double v) { rentalUtilization = v; return this; }
        public Builder hostShare(Double v) { hostShare = v; return this; }
        public Builder tokenPriceUsd(Double v) { tokenPriceUsd = v; return this; }
        /** The Verity revenue per busy GPU-hour in USD, instead of the one derived from the network price. */
        public Builder verityUsdPerBusyHour(Double v) { verityUsdPerBusyHour = v; return this; }
        /** Compute units per second of one busy GPU, instead of the H100's times the GPU's relative throughput. */
        public Builder computeUnitsPerSecond(Double v) { computeUnitsPerSecond = v; return this; }

        /**
         * The revenue side measured on chain instead of assumed: the utilization and the revenue per busy hour
         * that together give a node's actual earnings per day, both attributed to {@code source}.
         */
        public Builder measured(double utilizationOnChain, double usdPerBusyHour, String source) {
            measuredUtilization = Sourced.of(utilizationOnChain, source);
            measuredPerHour = Sourced.of(usdPerBusyHour, source);
            return this;
        }

        /** What a busy hour earns at the network price and the token price given to this builder (or the default). */
        public double derivedUsdPerBusyHour() {
            return derivedRevenue(given(tokenPriceUsd, Sourced.of(DEFAULT_TOKEN_PRICE_USD, "default"))).value();
        }

        /** The inputs; an {@link IllegalArgumentException} names the first bad figure. */
        public CalculatorInputs build() {
            Sourced<Double> u = measuredUtilization != null ? measuredUtilization : given(utilization,
                    Sourced.of(DEFAULT_UTILIZATION, "Verity default: busy half the time"));
            Sourced<Double> token = given(tokenPriceUsd,
                    Sourced.of(DEFAULT_TOKEN_PRICE_USD, "Verity default; set your own token price"));
            Sourced<Double> rentalU = given(rentalUtilization, Sourced.of(u.value(),
                    u.isSetByYou() ? "same as the utilization (set by you)" : "same as the utilization"));
            Sourced<Double> perHour = measuredPerHour != null ? measuredPerHour
                    : verityUsdPerBusyHour != null ? Sourced.setByYou(verityUsdPerBusyHour) : derivedRevenue(token);
            return new CalculatorInputs(gpu,
                    count != null ? Sourced.setByYou(count) : Sourced.of(1, "default: one GPU"),
                    given(pricePerKwh, Sourced.of(DEFAULT_PRICE_PER_KWH,
                            "Verity default, within US industrial 6–20 ¢/kWh (EIA Electric Power Monthly)", "2025")),
                    given(pue, gpu.pue()),
                    u,
                    given(purchaseUsd, gpu.purchaseUsd()),
                    given(years, gpu.depreciationYears()),
                    given(boardWatts, gpu.boardWatts()),
                    given(idleWatts, gpu.idleWatts()),
                    given(rentalUsdPerHour, gpu.rentalUsdPerHour()),
                    rentalU,
                    given(hostShare, gpu.marketplaceHostShare()),
                    token,
                    perHour,
                    networkPrice,
                    catalog.h100ComputeUnitsPerSecond(),
                    throughput());
        }

        /** The GPU's compute units per second: set by you, or the H100's times the GPU's relative throughput. */
        private Sourced<Double> throughput() {
            if (computeUnitsPerSecond != null) {
                return Sourced.setByYou(computeUnitsPerSecond);
            }
            double h100 = catalog.h100ComputeUnitsPerSecond().value();
            return Sourced.of(h100 * gpu.relativeThroughput().value(), "the H100's " + scientific(h100)
                    + " × relative throughput " + trim(gpu.relativeThroughput().value()));
        }

        private Sourced<Double> derivedRevenue(Sourced<Double> token) {
            if (!Double.isFinite(token.value()) || token.value() < 0) {
                return token; // the constructor reports the token price
            }
            Sourced<Double> cus = throughput();
            if (!Double.isFinite(cus.value()) || cus.value() <= 0) {
                return cus; // the constructor reports the throughput
            }
            double usd = networkPrice.usdPerBusyHour(cus.value(), token.value());
            String source = String.format(Locale.ROOT, "derived from the network price: %,d base units per 10^15 "
                            + "compute units, node share %s%% (%s); %s compute units/s (%s); token price %.2f USD",
                    networkPrice.basePricePerPetaComputeUnit(),
                    trim(networkPrice.nodeShareBps() / 100.0),
                    networkPrice.source(),
                    scientific(cus.value()), cus.source(), token.value());
            return Sourced.of(usd, source);
        }

        private static String trim(double x) {
            return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
        }

        private static String scientific(double x) {
            return CalculatorInputs.scientific(x);
        }

        private static <T> Sourced<T> given(T v, Sourced<T> otherwise) {
            return v != null ? Sourced.setByYou(v) : otherwise;
        }
    }
}
