package dev.verity.devnet;

import dev.verity.compute.model.BundledModels;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.protocol.schema.InputSchema;
import dev.verity.sdk.InputSchemas;
import java.util.ArrayList;
import java.util.List;

/** The input schemas the shipped models declare on chain when a devnet registers them. */
public final class ShippedSchemas {
    /**
     * all-MiniLM-L6-v2: UTF-8 text of 1 to 8 KiB. The runner embeds the first 256 word pieces, so longer text
     * would only cost bandwidth and block space.
     */
    public static final InputSchema SENTENCE_TEXT = new InputSchema.Utf8Text(1, 8 * 1024);

    /**
     * The shipped chat model: generation requests within its context, up to 96 new tokens, charged per token at about
     * one forward pass's multiply-accumulates (the per-job units are 1).
     */
    public static final InputSchema CHAT = new InputSchema.TokenGeneration(BundledModels.CHAT_VOCABULARY,
            BundledModels.CHAT_CONTEXT, 96, BundledModels.CHAT_UNITS_PER_TOKEN, BundledModels.CHAT_UNITS_PER_TOKEN);

    private ShippedSchemas() {}

    /** The digits MLP: its 64 pixels as float32, scaled to 0..1 as in training. */
    public static InputSchema digits(ModelPackage pkg) {
        return forPackage(pkg, 0f, 1f);
    }

    /** A package's input tensor, values finite and within {@code min..max}. */
    public static InputSchema forPackage(ModelPackage pkg, float min, float max) {
        return InputSchemas.float32(packageShape(pkg), min, max);
    }

    /** The shape of a single-input package, with a leading open batch dimension taken as 1. */
    public static List<Integer> packageShape(ModelPackage pkg) {
        if (pkg.metadata().inputs().size() != 1) {
            throw new IllegalArgumentException("package " + pkg.metadata().name() + " has " + pkg.metadata().inputs().size()
                    + " inputs; a job input is one tensor");
        }
        int[] shape = pkg.metadata().inputs().get(0).shape();
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 1 && i > 0) {
                throw new IllegalArgumentException("package input dimension " + i + " is open (" + shape[i] + ")");
            }
            dims.add(Math.max(1, shape[i]));
        }
        return dims;
    }
}
