package dev.verity.gateway.openai;

/** What every object and chunk of one answer repeats: its id, when it was created (Unix seconds) and the model asked. */
public record AnswerIdentity(String id, long created, String model) {
}
