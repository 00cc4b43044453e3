package dev.verity.gateway.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * OpenAI's legacy {@code text_completion} object: the whole answer, and each event of a streamed one (then
 * {@code usage} and {@code verity} ride on the last events only).
 */
public record TextCompletion(String id, String object, long created, String model, List<Choice> choices,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage,
                             @JsonInclude(JsonInclude.Include.NON_NULL) VerityInfo verity) {

    public record Choice(String text, int index, Object logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    public static TextCompletion of(AnswerIdentity who, List<Choice> choices, Usage usage, VerityInfo verity) {
        return new TextCompletion(who.id(), "text_completion", who.created(), who.model(), choices, usage, verity);
    }
}
