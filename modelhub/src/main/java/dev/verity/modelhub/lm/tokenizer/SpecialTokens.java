package dev.verity.modelhub.lm.tokenizer;

import java.util.List;

/**
 * The special tokens of the project's language model, at ids 0, 1 and 2: the document separator GPT-2 uses and the
 * two ChatML markers chat templates need.
 */
public final class SpecialTokens {
    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";

    /** In id order. */
    public static final List<String> ALL = List.of(END_OF_TEXT, IM_START, IM_END);

    private SpecialTokens() {
    }
}
