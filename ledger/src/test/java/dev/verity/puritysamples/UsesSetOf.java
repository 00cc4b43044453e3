package dev.verity.puritysamples;

import java.util.Set;

/** Impure: Set.of iterates in an order that changes between JVM runs. */
public final class UsesSetOf {
    public static String first() {
        return Set.of("a", "b", "c").iterator().next();
    }
}
