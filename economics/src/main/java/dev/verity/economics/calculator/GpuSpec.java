package dev.verity.economics.calculator;

import java.util.List;
import java.util.Locale;

/**
 * One GPU's figures from the data file ({@code gpus.json}), each with its source and date.
 *
 * @param id                   the short name ("H100", "RTX 4090")
 * @param name                 the full name ("H100 80GB SXM")
 * @param aliases              further names the GPU is known by (matched like the id, see {@link #normalize})
 * @param boardWatts           the board power when busy, watts
 * @param idleWatts            what the machine draws per GPU while the GPU waits for work (idle GPU plus its
 *                             share of the host), watts
 * @param pue                  the power usage effectiveness of where such a GPU runs (facility power / IT power)
 * @param purchaseUsd          the purchase price of one GPU, USD
 * @param depreciationYears    the years over which the GPU is written off
 * @param rentalUsdPerHour     what a renter pays per GPU-hour on a marketplace, USD
 * @param marketplaceHostShare the share of the renter's price the host keeps (0..1)
 * @param relativeThroughput   dense FP16 tensor throughput relative to an H100 SXM
 */
public record GpuSpec(
        String id,
        String name,
        List<String> aliases,
        Sourced<Double> boardWatts,
        Sourced<Double> idleWatts,
        Sourced<Double> pue,
        Sourced<Double> purchaseUsd,
        Sourced<Double> depreciationYears,
        Sourced<Double> rentalUsdPerHour,
        Sourced<Double> marketplaceHostShare,
        Sourced<Double> relativeThroughput) {

    /** The name that asks for a GPU not in the data file, its figures given by the operator ({@link GpuCatalog#custom}). */
    public static final String CUSTOM = "custom";

    /** The names of the figures, in data-file order (the JSON field names). */
    public static final List<String> FIGURES = List.of("boardWatts", "idleWatts", "pue", "purchaseUsd",
            "depreciationYears", "rentalUsdPerHour", "marketplaceHostShare", "relativeThroughput");

    public GpuSpec {
        aliases = List.copyOf(aliases);
    }

    /** Whether {@code query} names this GPU: its id, its name or an alias, ignoring case, spaces and dashes. */
    public boolean matches(String query) {
        String q = normalize(query);
        if (q.equals(normalize(id)) || q.equals(normalize(name))) {
            return true;
        }
        return aliases.stream().anyMatch(a -> q.equals(normalize(a)));
    }

    /** A figure by its data-file name ({@link #FIGURES}). */
    public Sourced<Double> figure(String field) {
        return switch (field) {
            case "boardWatts" -> boardWatts;
            case "idleWatts" -> idleWatts;
            case "pue" -> pue;
            case "purchaseUsd" -> purchaseUsd;
            case "depreciationYears" -> depreciationYears;
            case "rentalUsdPerHour" -> rentalUsdPerHour;
            case "marketplaceHostShare" -> marketplaceHostShare;
            case "relativeThroughput" -> relativeThroughput;
            default -> throw new IllegalArgumentException("no figure '" + field + "'; the figures are " + FIGURES);
        };
    }

    /** A GPU name as compared: lower case, letters and digits only ("RTX 4090" and "rtx-4090" are "rtx4090"). */
    static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
