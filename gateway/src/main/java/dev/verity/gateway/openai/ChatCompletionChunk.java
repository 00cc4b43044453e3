package dev.verity.gateway.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** OpenAI's {@code chat.completion.chunk}, one server-sent event of a streamed chat answer; {@code verity} on the last. */
public record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) VerityInfo verity) {

    public record Choice(int index, Delta delta, Object logprobs, @JsonProperty("finish_reason") String finishReason) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }

    public static ChatCompletionChunk of(AnswerIdentity who, List<Choice> choices, Usage usage, VerityInfo verity) {
        return new ChatCompletionChunk(who.id(), "chat.completion.chunk", who.created(), who.model(), choices, usage, verity);
    }
}
