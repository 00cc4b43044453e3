package dev.verity.gateway.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Reads a {@code POST /v1/completions} (legacy) body: one prompt, as a string or as token ids. */
public final class TextCompletionParser {
    private static final List<CommonParameters.Unsupported> UNSUPPORTED = List.of(
            new CommonParameters.Unsupported("echo", CommonParameters.FALSE, "the answer holds the generated text only"),
            new CommonParameters.Unsupported("best_of", v -> v.isIntegralNumber() && v.longValue() == 1,
                    "each request is one job with one answer"),
            new CommonParameters.Unsupported("logprobs", CommonParameters.ZERO,
                    "nodes return tokens, not their log probabilities"),
            new CommonParameters.Unsupported("suffix", v -> v.isTextual() && v.asText().isEmpty(),
                    "the models served generate left to right only"),
            new CommonParameters.Unsupported("logit_bias", CommonParameters.EMPTY, "a job's sampling has no logit bias"),
            new CommonParameters.Unsupported("presence_penalty", CommonParameters.ZERO, "a job's sampling has no penalties"),
            new CommonParameters.Unsupported("frequency_penalty", CommonParameters.ZERO, "a job's sampling has no penalties"));

    private TextCompletionParser() {
    }

    public static TextCompletionRequest parse(RequestFields f) {
        String model = f.requiredString("model");
        Prompt prompt = prompt(f);
        CommonParameters.refuseUnsupported(f, UNSUPPORTED);
        CommonParameters.requireOneChoice(f);
        SamplingOptions sampling = CommonParameters.sampling(f, List.of("max_tokens"));
        return new TextCompletionRequest(model, prompt, sampling, CommonParameters.streaming(f));
    }

    private static Prompt prompt(RequestFields f) {
        JsonNode p = f.get("prompt");
        if (p == null) {
            throw OpenAiException.invalid("prompt", "missing_required_parameter", "Missing required parameter: 'prompt'.");
        }
        if (p.isTextual()) {
            return new Prompt.Text(p.asText());
        }
        if (!p.isArray()) {
            throw RequestFields.wrongType("prompt", "a string or an array", p);
        }
        if (p.isEmpty()) {
            throw OpenAiException.invalid("prompt", "empty_array", "Invalid 'prompt': empty array. Expected a string, "
                    + "an array of one string, or an array of token ids.");
        }
        if (p.get(0).isTextual() || p.get(0).isArray()) {
            if (p.size() != 1 || !p.get(0).isTextual()) {
                throw OpenAiException.invalid("prompt", "unsupported_value", "Invalid 'prompt': the Verity gateway "
                        + "answers one prompt per request (each is a job of its own), but got an array of " + p.size()
                        + (p.get(0).isTextual() ? " strings" : " token arrays") + ". Send one request per prompt.");
            }
            return new Prompt.Text(p.get(0).asText());
        }
        int[] ids = new int[p.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) RequestFields.integerValue("prompt[" + i + "]", p.get(i), 0, Integer.MAX_VALUE);
        }
        return new Prompt.TokenIds(ids);
    }
}
