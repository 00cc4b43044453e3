package dev.verity.gateway.tokenizer;

import java.util.OptionalInt;

/**
 * A language model's tokenizer as the gateway uses it: text to ids on the way in, ids to text on the way out. The
 * network side backs it with the model's own tokenizer files (a Hugging Face {@code tokenizer.json}).
 *
 * <p>Implementations are thread-safe; each streamed answer gets its own {@link StreamingDetokenizer}.
 */
public interface TextTokenizer {

    /**
     * The ids of {@code text}, with no special tokens added (no beginning-of-text, no end-of-text). The gateway
     * passes the text between a chat template's special tokens, never the special tokens' own text.
     */
    int[] encode(String text);

    /** A fresh decoder for one answer's ids, in order. */
    StreamingDetokenizer newDetokenizer();

    /** The id of the special token written {@code name} (such as {@code <|im_end|>}); empty when there is none. */
    OptionalInt specialTokenId(String name);

    /** The number of ids; every id is below it. */
    long vocabularySize();
}
