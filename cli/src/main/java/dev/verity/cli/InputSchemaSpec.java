package dev.verity.cli;

import dev.verity.protocol.schema.InputSchema;
import dev.verity.sdk.InputSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code --input-schema} option's text form:
 * {@code text:MIN_BYTES:MAX_BYTES}, {@code float32:SHAPE:MIN:MAX} (shape as {@code 1x64}; MIN and MAX finite numbers)
 * or {@code tokens:MAX_TOKENS:VOCABULARY_SIZE}.
 */
final class InputSchemaSpec {
    static final String FORMS = "text:MIN_BYTES:MAX_BYTES, float32:SHAPE:MIN:MAX (e.g. float32:1x64:0:1) or tokens:MAX_TOKENS:VOCABULARY";

    private InputSchemaSpec() {}

    static InputSchema parse(String spec) {
        String[] parts = spec.strip().split(":", -1);
        try {
            return switch (parts[0].toLowerCase(Locale.ROOT)) {
                case "text" -> {
                    need(parts, 3, spec);
                    yield new InputSchema.Utf8Text(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                }
                case "float32" -> {
                    need(parts, 4, spec);
                    List<Integer> shape = new ArrayList<>();
                    for (String d : parts[1].split("x", -1)) {
                        shape.add(Integer.parseInt(d));
                    }
                    yield InputSchemas.float32(shape, Float.parseFloat(parts[2]), Float.parseFloat(parts[3]));
                }
                case "tokens" -> {
                    need(parts, 3, spec);
                    yield new InputSchema.TokenIds(Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
                }
                default -> throw new IllegalArgumentException("unknown kind '" + parts[0] + "'");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + spec + "' holds a number that does not parse (" + e.getMessage()
                    + "); expected " + FORMS);
        }
    }

    private static void need(String[] parts, int n, String spec) {
        if (parts.length != n) {
            throw new IllegalArgumentException("'" + spec + "' has " + parts.length + " parts; expected " + FORMS);
        }
    }
}
