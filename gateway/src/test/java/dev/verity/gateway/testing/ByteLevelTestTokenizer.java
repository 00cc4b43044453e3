package dev.verity.gateway.testing;

import dev.verity.gateway.tokenizer.StreamingDetokenizer;
import dev.verity.gateway.tokenizer.TextTokenizer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A tokenizer that exists to test the gateway's HTTP layer only, not any model's: each UTF-8 byte {@code b} of the
 * text is token {@code 3 + b}, and ids 0, 1, 2 are the special tokens {@code <|endoftext|>}, {@code <|im_start|>} and
 * {@code <|im_end|>}. A character of several bytes spans several tokens, which is what the streaming decoder's tests
 * need.
 */
public final class ByteLevelTestTokenizer implements TextTokenizer {
    public static final int END_OF_TEXT = 0;
    public static final int IM_START = 1;
    public static final int IM_END = 2;
    public static final int BYTE_OFFSET = 3;
    private static final Map<String, Integer> SPECIAL = Map.of("<|endoftext|>", END_OF_TEXT, "<|im_start|>", IM_START,
            "<|im_end|>", IM_END);

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = BYTE_OFFSET + (bytes[i] & 0xFF);
        }
        return ids;
    }

    /** The text of {@code ids}, special tokens left out. */
    public String decode(int[] ids) {
        StreamingDetokenizer d = newDetokenizer();
        StringBuilder s = new StringBuilder();
        for (int id : ids) {
            s.append(d.accept(id));
        }
        return s.append(d.finish()).toString();
    }

    @Override
    public StreamingDetokenizer newDetokenizer() {
        return new Decoder();
    }

    @Override
    public OptionalInt specialTokenId(String name) {
        Integer id = SPECIAL.get(name);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public long vocabularySize() {
        return BYTE_OFFSET + 256;
    }

    /** Holds the bytes of an unfinished character until its last byte arrives. */
    private static final class Decoder implements StreamingDetokenizer {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public String accept(int tokenId) {
            if (tokenId < BYTE_OFFSET) {
                return ""; // special tokens have no text
            }
            pending.write(tokenId - BYTE_OFFSET);
            byte[] bytes = pending.toByteArray();
            int complete = completePrefix(bytes);
            pending.reset();
            pending.write(bytes, complete, bytes.length - complete);
            return new String(bytes, 0, complete, StandardCharsets.UTF_8);
        }

        @Override
        public String finish() {
            String rest = pending.toString(StandardCharsets.UTF_8); // an unfinished character becomes U+FFFD
            pending.reset();
            return rest;
        }

        /** How many leading bytes form whole characters (a malformed byte counts as one, decoded as U+FFFD). */
        private static int completePrefix(byte[] bytes) {
            int i = 0;
            while (i < bytes.length) {
                int b = bytes[i] & 0xFF;
                int length = b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : b < 0xF8 ? 4 : 1;
                if (i + length > bytes.length) {
                    return i;
                }
                i += length;
            }
            return i;
        }
    }
}
