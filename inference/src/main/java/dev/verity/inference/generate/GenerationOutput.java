package dev.verity.inference.generate;

import dev.verity.core.Encoder;
import java.util.List;

/**
 * The canonical bytes of a generation's output, the job output the chain settles: {@code u8 version (1)}, {@code u32 n}
 * then {@code n u32} generated ids, {@code u8 finish reason} ({@link FinishReason#code()}). The protocol's
 * {@code GenerationResult} reads and writes the same bytes (this pure module cannot see it; a ledger test holds the two
 * encodings equal).
 */
public final class GenerationOutput {
    public static final int VERSION = 1;

    private GenerationOutput() {}

    public static byte[] encode(List<Integer> tokens, FinishReason reason) {
        Encoder e = new Encoder(8 + 4 * tokens.size()).u8(VERSION).u32(tokens.size());
        for (int id : tokens) {
            e.u32(Integer.toUnsignedLong(id));
        }
        return e.u8(reason.code()).toByteArray();
    }
}
