package dev.verity.protocol.generation;

import dev.verity.core.Coded;

/** Why generation stopped; its code is part of a generation result's consensus bytes. */
public enum FinishReason implements Coded {
    /** The model produced the end-of-text token (which is not part of the output). */
    END_OF_TEXT(1),
    /** The output ends with one of the request's stop sequences (which is part of the output). */
    STOP_SEQUENCE(2),
    /** The request's maximum number of new tokens, or the model's context, was reached. */
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

    /** OpenAI's name for it: {@code stop} for end of text and stop sequences, {@code length} otherwise. */
    public String openAiName() {
        return this == LENGTH ? "length" : "stop";
    }
}
