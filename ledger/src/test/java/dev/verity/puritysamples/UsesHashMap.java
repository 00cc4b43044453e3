package dev.verity.puritysamples;

import java.util.HashMap;
import java.util.Map;

/** Impure: iterates a HashMap, whose order depends on hash codes. */
public final class UsesHashMap {
    public static String keys(String... words) {
        Map<String, Integer> counts = new HashMap<>();
        for (String w : words) {
            counts.merge(w, 1, Integer::sum);
        }
        return String.join(",", counts.keySet());
    }
}
