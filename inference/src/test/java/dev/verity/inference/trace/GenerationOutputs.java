package dev.verity.inference.trace;

import dev.verity.core.Decoder;

/** Reads the tokens back from {@code GenerationOutput}'s bytes, for tests. */
final class GenerationOutputs {
    private GenerationOutputs() {}

    static int[] tokens(byte[] output) {
        Decoder d = new Decoder(output);
        d.u8("version");
        int[] t = new int[(int) d.u32("n")];
        for (int i = 0; i < t.length; i++) {
            t[i] = (int) d.u32("token");
        }
        return t;
    }
}
