package dev.verity.cli.lm;

import dev.verity.modelhub.lm.train.TextCodec;
import java.nio.charset.StandardCharsets;

/** Development only: one token per UTF-8 byte (ids 0 to 255), for trying the trainer without a tokenizer file. */
final class ByteLevelCodec implements TextCodec {
    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] tokens = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            tokens[i] = bytes[i] & 0xFF;
        }
        return tokens;
    }

    @Override
    public String decode(int[] tokens) {
        byte[] bytes = new byte[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            bytes[i] = (byte) tokens[i];
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public int vocabularySize() {
        return 256;
    }

    @Override
    public String description() {
        return "one token per UTF-8 byte (development only)";
    }
}
