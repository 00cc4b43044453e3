package dev.verity.inference.generate;

import dev.verity.inference.program.CacheWrite;
import dev.verity.inference.program.Constant;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Gather;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.util.List;

/**
 * A hand-made step program: the logits of the next token are row {@code token} of a table (a bigram model, in units of
 * 1/16 nat), and the cache records the row of every token fed, at its position.
 */
public final class BigramSteps {
    public static final int VOCAB = 6;
    public static final int CONTEXT = 8;
    static final Quantization LOGIT_SCALE = new Quantization(0, new Requantization(1 << 30, 3)); // 1/16

    private BigramSteps() {}

    /** Row {@code t} of the table: token {@code (t + 1) % VOCAB} clearly first, {@code (t + 2) % VOCAB} second. */
    public static int[] table() {
        int[] v = new int[VOCAB * VOCAB];
        for (int t = 0; t < VOCAB; t++) {
            for (int u = 0; u < VOCAB; u++) {
                v[t * VOCAB + u] = u == (t + 1) % VOCAB ? 40 : u == (t + 2) % VOCAB ? 24 : (u * 7 + t * 3) % 9;
            }
        }
        return v;
    }

    public static DecoderStep step() {
        List<TensorSpec> specs = List.of(
                new TensorSpec("token", DType.INT32, new int[] {1}, Quantization.NONE),
                new TensorSpec("position", DType.INT32, new int[] {1}, Quantization.NONE),
                new TensorSpec("cache", DType.INT8, new int[] {CONTEXT, VOCAB}, LOGIT_SCALE),
                new TensorSpec("table", DType.INT8, new int[] {VOCAB, VOCAB}, LOGIT_SCALE),
                new TensorSpec("logits", DType.INT8, new int[] {1, VOCAB}, LOGIT_SCALE),
                new TensorSpec("cache.next", DType.INT8, new int[] {CONTEXT, VOCAB}, LOGIT_SCALE));
        Constant table = new Constant("table", Tensor.of(DType.INT8, new int[] {VOCAB, VOCAB}, table()));
        Program p = new Program(specs, List.of("token", "position", "cache"), List.of("logits", "cache.next"),
                List.of(table), List.of(new Gather("table", "token", "logits"),
                        new CacheWrite("cache", "logits", "position", "cache.next", 0)), 4);
        return new DecoderStep(p, "token", "position", "logits", List.of(new CacheSlot("cache", "cache.next")), CONTEXT);
    }
}
