package dev.verity.gateway.generation;

import dev.verity.gateway.backend.ServedModel;
import dev.verity.gateway.openai.ChatCompletionRequest;
import dev.verity.gateway.openai.OpenAiException;
import dev.verity.gateway.openai.Prompt;
import dev.verity.gateway.openai.SamplingOptions;
import dev.verity.gateway.openai.TextCompletionRequest;
import dev.verity.gateway.tokenizer.TextTokenizer;
import dev.verity.protocol.generation.GenerationRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an OpenAI request into a {@link GenerationRequest}: renders the chat template, encodes, converts the sampling
 * parameters to the protocol's thousandths, turns stop strings into token sequences and fits the answer in the
 * model's context. Refusals are 400s in OpenAI's words.
 */
public final class GenerationPlanner {
    /** Written before an empty legacy prompt, as OpenAI's models start a document. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    private GenerationPlanner() {
    }

    public static GenerationPlan chat(ServedModel model, ChatCompletionRequest request) {
        TextTokenizer tokenizer = model.tokenizer();
        int[] prompt;
        int[] endOfTurn;
        try {
            prompt = model.chatTemplate().render(request.messages(), tokenizer);
            endOfTurn = model.chatTemplate().endOfTurnTokens(tokenizer);
        } catch (IllegalStateException e) {
            throw OpenAiException.server(500, "model_misconfigured", "Model " + model.id() + " is served with the "
                    + model.chatTemplate().name() + " chat template, which its tokenizer cannot fill: " + e.getMessage(),
                    null, false);
        }
        return plan(model, prompt, "messages", endOfTurn, request.sampling());
    }

    public static GenerationPlan text(ServedModel model, TextCompletionRequest request) {
        int[] prompt = switch (request.prompt()) {
            case Prompt.Text t -> t.text().isEmpty() ? emptyPrompt(model) : model.tokenizer().encode(t.text());
            case Prompt.TokenIds t -> t.ids();
        };
        return plan(model, prompt, "prompt", new int[0], request.sampling());
    }

    private static int[] emptyPrompt(ServedModel model) {
        int id = model.tokenizer().specialTokenId(END_OF_TEXT).orElseThrow(() -> OpenAiException.invalid("prompt",
                "invalid_value", "Invalid 'prompt': it is empty, and model " + model.id() + " has no " + END_OF_TEXT
                        + " token to start from. Give at least one character."));
        return new int[] {id};
    }

    private static GenerationPlan plan(ServedModel model, int[] prompt, String promptParam, int[] endOfTurn,
                                       SamplingOptions sampling) {
        long vocabulary = model.tokenizer().vocabularySize();
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= vocabulary) {
                throw OpenAiException.invalid(promptParam, "invalid_value", "Invalid '" + promptParam + "[" + i + "]': "
                        + "token id " + prompt[i] + " is outside the vocabulary of model " + model.id() + " (ids 0 to "
                        + (vocabulary - 1) + ").");
            }
        }
        int room = model.contextLength() - prompt.length;
        if (room < 1) {
            throw contextExceeded(model, prompt.length, promptParam, "leaving no room for an answer");
        }
        int maxTokens = Math.min(room, model.maxNewTokens());
        if (sampling.maxTokens().isPresent()) {
            int asked = sampling.maxTokens().getAsInt();
            if (asked > model.maxNewTokens()) {
                throw OpenAiException.invalid(sampling.maxTokensParam(), "integer_above_max_value", "Invalid '"
                        + sampling.maxTokensParam() + "': integer above maximum value. Expected a value <= "
                        + model.maxNewTokens() + " (model " + model.id() + " generates at most " + model.maxNewTokens()
                        + " tokens per request), but got " + asked + " instead.");
            }
            if (asked > room) {
                throw contextExceeded(model, prompt.length, promptParam, "and you requested " + asked
                        + " tokens for the completion (" + (prompt.length + asked) + " in all)");
            }
            maxTokens = asked;
        }
        List<int[]> stopSequences = new ArrayList<>();
        for (int id : endOfTurn) {
            stopSequences.add(new int[] {id});
        }
        for (String stop : sampling.stop()) {
            // The network stops at as many stop strings as its request holds; the gateway cuts the text at every one.
            int[] ids = model.tokenizer().encode(stop);
            if (stopSequences.size() < GenerationRequest.MAX_STOP_SEQUENCES && ids.length >= 1
                    && ids.length <= GenerationRequest.MAX_STOP_TOKENS) {
                stopSequences.add(ids);
            }
        }
        int temperatureMilli = (int) Math.round(sampling.temperature() * 1000);
        int topPMilli = (int) Math.max(1, Math.round(sampling.topP() * 1000));
        GenerationRequest request = new GenerationRequest(prompt, maxTokens, temperatureMilli, topPMilli, stopSequences,
                sampling.seed());
        return new GenerationPlan(model, request, sampling.stop(), endOfTurn);
    }

    private static OpenAiException contextExceeded(ServedModel model, int promptTokens, String promptParam, String rest) {
        return OpenAiException.invalid(promptParam, "context_length_exceeded", "This model's maximum context length is "
                + model.contextLength() + " tokens. However, your " + promptParam + " resulted in " + promptTokens
                + " tokens, " + rest + ". Please reduce the length of the " + promptParam + " or completion.");
    }
}
