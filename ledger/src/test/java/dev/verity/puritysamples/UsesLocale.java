package dev.verity.puritysamples;

/** Impure: text that depends on the default locale. */
public final class UsesLocale {
    public static String lower(String s) {
        return s.toLowerCase();
    }

    public static String label(long n) {
        return String.format("%,d", n);
    }
}
