package dev.verity.gateway.generation;

import dev.verity.gateway.backend.ServedModel;
import dev.verity.protocol.generation.GenerationRequest;
import java.util.List;
import java.util.Objects;

/**
 * A client's request turned into a job: the model, the generation request the network runs, and what the gateway
 * needs to turn the tokens back into the client's answer.
 *
 * @param stopStrings     the client's stop strings, cut from the text whether or not the network could stop at them
 * @param endOfTurnTokens the chat template's tokens that end the answer (empty for legacy completions)
 */
public record GenerationPlan(ServedModel model, GenerationRequest request, List<String> stopStrings, int[] endOfTurnTokens) {
    public GenerationPlan {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(request, "request");
        stopStrings = List.copyOf(stopStrings);
        endOfTurnTokens = endOfTurnTokens.clone();
    }

    @Override
    public int[] endOfTurnTokens() {
        return endOfTurnTokens.clone();
    }

    /** A fresh decoder of this plan's answer. */
    public AnswerText newAnswerText() {
        return new AnswerText(model.tokenizer().newDetokenizer(), endOfTurnTokens, stopStrings);
    }
}
