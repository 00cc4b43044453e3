package dev.verity.inference.trace;

import dev.verity.core.Decoder;
import dev.verity.core.DecodingException;
import java.util.List;

/** Small checks shared by the trace encodings. */
final class Names {
    private Names() {}

    /** Names strictly ascending ({@code String.compareTo}), so a list has one order and no duplicates. */
    static void requireAscending(List<String> names, String what) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) == null) {
                throw new IllegalArgumentException(what + ": null name");
            }
            if (i > 0 && names.get(i - 1).compareTo(names.get(i)) >= 0) {
                throw new IllegalArgumentException(what + " are not strictly ascending: '" + names.get(i - 1) + "' then '"
                        + names.get(i) + "'");
            }
        }
    }

    /** Reads a domain tag and refuses any other. */
    static void tag(Decoder d, String tag, String what) {
        String got = d.string(what + " tag", 64);
        if (!got.equals(tag)) {
            throw new DecodingException(what + ": tag '" + got + "', expected '" + tag + "'");
        }
    }

}
