package dev.verity.puritysamples;

import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Pure: what deterministic code typically does (records, enums, sealed types and pattern switches,
 * lambdas and method references, string concatenation, sorted and insertion-ordered maps, long
 * arithmetic, hashing) must not be reported.
 */
public final class CleanSample {

    public enum Kind { TRANSFER, STAKE, SLASH }

    public sealed interface Tx permits Transfer, Stake {}

    public record Transfer(String from, String to, long amount) implements Tx {}

    public record Stake(String who, long amount, List<String> tags) implements Tx {}

    public static final class CleanException extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        public CleanException(String message) {
            super(message);
        }
    }

    private CleanSample() {
    }

    public static long amountOf(Tx tx) {
        return switch (tx) {
            case Transfer t -> t.amount();
            case Stake s -> s.amount();
        };
    }

    public static int weight(Kind kind) {
        return switch (kind) {
            case TRANSFER -> 1;
            case STAKE -> 2;
            case SLASH -> 3;
        };
    }

    public static String describe(Tx tx) {
        return "tx " + tx + " moves " + amountOf(tx) + " units, kind " + Kind.TRANSFER.name().toLowerCase(Locale.ROOT);
    }

    public static Map<String, Long> balances(List<Transfer> transfers) {
        Map<String, Long> out = new TreeMap<>();
        for (Transfer t : transfers) {
            out.merge(t.from(), -t.amount(), Long::sum);
            out.merge(t.to(), t.amount(), Long::sum);
        }
        Map<String, Long> ordered = new LinkedHashMap<>(out);
        ordered.replaceAll((k, v) -> Math.floorMod(v, 1_000_000_007L) + Math.multiplyExact(2L, 3L));
        return ordered;
    }

    public static List<String> sorted(List<String> in) {
        List<String> copy = new ArrayList<>(in);
        copy.sort(Comparator.comparing(Function.identity()));
        String[] arr = copy.toArray(new String[0]);
        Arrays.sort(arr);
        return List.of(arr);
    }

    public static String digest(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new CleanException("no SHA-256: " + e.getMessage());
        }
    }

    public static long ratio(long a, long b) {
        if (b == 0) {
            throw new IllegalArgumentException("division by zero");
        }
        return Optional.of(a / b).map(x -> x * 100 / 100).orElseThrow();
    }
}
