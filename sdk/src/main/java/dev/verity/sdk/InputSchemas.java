package dev.verity.sdk;

import dev.verity.protocol.schema.InputSchema;
import dev.verity.sdk.api.InputSchemaView;
import java.util.List;

/**
 * Conversions between the chain's {@link InputSchema} and its API view, and the float-valued constructors that the
 * pure ledger cannot have. A client checks an input with {@code fromView(view).problem(bytes)}: the same code the
 * ledger runs at submission.
 */
public final class InputSchemas {
    public static final String UTF8_TEXT = "UTF8_TEXT";
    public static final String FLOAT32_TENSOR = "FLOAT32_TENSOR";
    public static final String TOKEN_IDS = "TOKEN_IDS";
    public static final String TOKEN_GENERATION = "TOKEN_GENERATION";

    private InputSchemas() {}

    /** A float32 tensor of {@code shape} whose values must be finite and within {@code min..max}. */
    public static InputSchema.Float32Tensor float32(List<Integer> shape, float min, float max) {
        if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
            throw new IllegalArgumentException("the range must be two finite numbers, min <= max; got " + min + ".." + max);
        }
        return new InputSchema.Float32Tensor(shape, Float.floatToIntBits(min), Float.floatToIntBits(max));
    }

    /** A float32 tensor of {@code shape} taking any finite value. */
    public static InputSchema.Float32Tensor anyFinite(List<Integer> shape) {
        return float32(shape, -Float.MAX_VALUE, Float.MAX_VALUE);
    }

    public static InputSchemaView view(InputSchema s) {
        return switch (s) {
            case InputSchema.Utf8Text t -> new InputSchemaView(UTF8_TEXT, t.minBytes(), t.maxBytes(), null, null, null, null, null,
                    t.byteLimit(), t.describe());
            case InputSchema.Float32Tensor t -> {
                float min = Float.intBitsToFloat(t.minBits());
                float max = Float.intBitsToFloat(t.maxBits());
                yield new InputSchemaView(FLOAT32_TENSOR, null, null, t.shape(), min, max, null, null, t.byteLimit(),
                        "float32 little-endian tensor of shape " + t.shape() + ", finite values in [" + min + ", " + max + "]");
            }
            case InputSchema.TokenIds t -> new InputSchemaView(TOKEN_IDS, null, null, null, null, null, t.maxTokens(),
                    t.vocabularySize(), t.byteLimit(), t.describe());
            case InputSchema.TokenGeneration t -> new InputSchemaView(TOKEN_GENERATION, null, null, null, null, null,
                    t.maxNewTokens(), t.vocabularySize(), t.byteLimit(), t.describe(), t.contextLength(), t.promptUnits(),
                    t.generatedUnits());
        };
    }

    public static InputSchema fromView(InputSchemaView v) {
        return switch (v.kind()) {
            case UTF8_TEXT -> new InputSchema.Utf8Text(v.minBytes(), v.maxBytes());
            case FLOAT32_TENSOR -> new InputSchema.Float32Tensor(v.shape(), Float.floatToIntBits(v.min()), Float.floatToIntBits(v.max()));
            case TOKEN_IDS -> new InputSchema.TokenIds(v.maxTokens(), v.vocabularySize());
            case TOKEN_GENERATION -> new InputSchema.TokenGeneration(v.vocabularySize(), v.contextLength(), v.maxTokens(),
                    v.promptUnits(), v.generatedUnits());
            default -> throw new IllegalArgumentException("unknown input schema kind '" + v.kind() + "'");
        };
    }
}
