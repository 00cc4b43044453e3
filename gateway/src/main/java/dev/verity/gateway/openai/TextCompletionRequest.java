package dev.verity.gateway.openai;

/** A {@code POST /v1/completions} (legacy) request, checked. */
public record TextCompletionRequest(String model, Prompt prompt, SamplingOptions sampling, StreamOptions streaming) {
}
