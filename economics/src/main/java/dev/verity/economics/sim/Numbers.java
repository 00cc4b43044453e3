package dev.verity.economics.sim;

import java.math.BigDecimal;
import java.util.Locale;

/** Number formatting for the output files: fixed, locale-free, the same on every machine. */
final class Numbers {
    private Numbers() {}

    /** {@code x} with at most {@code decimals} decimals, trailing zeros dropped ("12.5", "3", "0.001"). */
    static String fixed(double x, int decimals) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return "";
        }
        String s = String.format(Locale.ROOT, "%." + decimals + "f", x);
        if (s.indexOf('.') >= 0) {
            s = s.replaceAll("0+$", "");
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        return s.equals("-0") ? "0" : s;
    }

    /** A parameter as typed: "10", "0.5", "0.3". */
    static String plain(double x) {
        return new BigDecimal(Double.toString(x)).stripTrailingZeros().toPlainString();
    }
}
