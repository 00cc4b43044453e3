package dev.verity.inference.generate;

import dev.verity.core.Coded;

/** Why a generation ended, with the explicit code it has in results. */
public enum FinishReason implements Coded {
    /** {@code maxTokens} tokens were generated. */
    LENGTH(1),
    /** The generated tokens ended with one of the stop sequences (left out of the result). */
    STOP(2),
    /** The model produced the end-of-text token (left out of the result). */
    END_OF_TEXT(3);

    private final int code;

    FinishReason(int code) {
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }

    public static FinishReason fromCode(int code) {
        return Coded.fromCode(values(), code, "finish reason");
    }
}
