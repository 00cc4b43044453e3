package dev.verity.sdk;

import dev.verity.protocol.Params;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Converts between base units (what the chain counts) and VRT tokens (what people read): 1 VRT = 1,000,000 base units. */
public final class Amounts {
    public static final long BASE_UNITS_PER_TOKEN = Params.BASE_UNITS_PER_TOKEN;
    public static final String SYMBOL = "VRT";
    private static final int DECIMALS = 6;

    private Amounts() {}

    /** {@code 1500000} → {@code "1.500000 VRT"}; negative amounts keep their sign. */
    public static String formatTokens(long baseUnits) {
        return tokens(baseUnits) + " " + SYMBOL;
    }

    /** {@code 1500000} → {@code "1.500000"}: the token amount without the symbol. */
    public static String tokens(long baseUnits) {
        return BigDecimal.valueOf(baseUnits).movePointLeft(DECIMALS).setScale(DECIMALS, RoundingMode.UNNECESSARY).toPlainString();
    }

    /**
     * Parses a token amount typed by a person: {@code "1.5"}, {@code "1.5 VRT"}, {@code "1000"}; at most
     * six decimals. Returns base units.
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static long parseTokens(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no amount given; write it in VRT, e.g. 1.5");
        }
        String t = text.strip();
        if (t.regionMatches(true, t.length() - SYMBOL.length(), SYMBOL, 0, SYMBOL.length())) {
            t = t.substring(0, t.length() - SYMBOL.length()).strip();
        }
        BigDecimal value;
        try {
            value = new BigDecimal(t.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an amount; write it in VRT, e.g. 1.5");
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException("the amount must not be negative, got " + text);
        }
        BigDecimal base = value.movePointRight(DECIMALS);
        try {
            base = base.setScale(0, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' has more than " + DECIMALS + " decimals (1 base unit = 0.000001 VRT)");
        }
        try {
            return base.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large an amount");
        }
    }
}
