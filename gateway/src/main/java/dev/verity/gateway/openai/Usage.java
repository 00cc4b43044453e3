package dev.verity.gateway.openai;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Token counts as OpenAI reports them. The completion tokens are the tokens the job generated and was charged for,
 * an end-of-turn or stop token included, even when a stop string hides some of them.
 */
public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
                    @JsonProperty("completion_tokens") int completionTokens,
                    @JsonProperty("total_tokens") int totalTokens) {

    public static Usage of(int promptTokens, int completionTokens) {
        return new Usage(promptTokens, completionTokens, promptTokens + completionTokens);
    }
}
