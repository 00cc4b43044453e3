package dev.verity.gateway.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** OpenAI's {@code chat.completion} object, plus {@code verity}. */
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices, Usage usage,
                             VerityInfo verity) {

    public record Choice(int index, Message message, Object logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    public record Message(String role, String content, Object refusal) {
    }

    public static ChatCompletion of(AnswerIdentity who, String content, String finishReason, Usage usage, VerityInfo verity) {
        Choice choice = new Choice(0, new Message("assistant", content, null), null, finishReason);
        return new ChatCompletion(who.id(), "chat.completion", who.created(), who.model(), List.of(choice), usage, verity);
    }
}
