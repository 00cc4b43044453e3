package dev.verity.inference.generate;

import dev.verity.core.Coded;

/**
 * Why a generation ended, with the explicit code it has in results: the same names and codes as the chain's
 * {@code protocol.generation.FinishReason} (this pure module cannot see it; a ledger test holds them equal).
 */
public enum FinishReason implements Coded {
    /** The model produced the end-of-text token (left out of the result). */
    END_OF_TEXT(1),
    /** The generated tokens ended with one of the stop sequences (kept in the result). */
    STOP_SEQUENCE(2),
    /** {@code maxTokens} tokens were generated. */
    LENGTH(3);

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
