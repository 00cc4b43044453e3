package dev.verity.economics.calculator;

import java.util.Objects;

/**
 * A figure and where it came from: a source (a publication, a market, "set by you", "Verity default") and, for
 * figures from the GPU data file, the date of the figure ("YYYY", "YYYY-MM" or "YYYY-MM-DD").
 *
 * @param value  the figure
 * @param source where it came from; never blank
 * @param date   when the figure was published or observed; null where there is none (a default, an override)
 */
public record Sourced<T>(T value, String source, String date) {
    /** The source of a figure the operator gave. */
    public static final String SET_BY_YOU = "set by you";

    public Sourced {
        Objects.requireNonNull(value, "value");
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("a figure needs a source");
        }
    }

    /** A figure from a publication or data set, with its date. */
    public static <T> Sourced<T> of(T value, String source, String date) {
        return new Sourced<>(value, source, date);
    }

    /** A figure with a source and no date (a Verity default, a derivation). */
    public static <T> Sourced<T> of(T value, String source) {
        return new Sourced<>(value, source, null);
    }

    /** A figure the operator gave (on the command line): its source is "set by you". */
    public static <T> Sourced<T> setByYou(T value) {
        return new Sourced<>(value, SET_BY_YOU, null);
    }

    /** Whether the operator gave this figure. */
    public boolean isSetByYou() {
        return SET_BY_YOU.equals(source);
    }

    /** "source (date)", or the source alone. */
    public String provenance() {
        return date == null ? source : source + " (" + date + ")";
    }
}
