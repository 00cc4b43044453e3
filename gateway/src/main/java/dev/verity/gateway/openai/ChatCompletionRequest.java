package dev.verity.gateway.openai;

import dev.verity.gateway.template.ChatMessage;
import java.util.List;

/** A {@code POST /v1/chat/completions} request, checked. */
public record ChatCompletionRequest(String model, List<ChatMessage> messages, SamplingOptions sampling,
                                    StreamOptions streaming) {
    public ChatCompletionRequest {
        messages = List.copyOf(messages);
    }
}
