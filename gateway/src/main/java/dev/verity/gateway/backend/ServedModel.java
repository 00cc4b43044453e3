package dev.verity.gateway.backend;

import dev.verity.gateway.template.ChatTemplate;
import dev.verity.gateway.tokenizer.TextTokenizer;
import java.util.Objects;

/**
 * A language model the network serves, as the gateway shows and uses it.
 *
 * @param id            the name clients pass as {@code model} (an alias or the model's hash)
 * @param created       when it was registered, in Unix seconds (OpenAI's {@code created})
 * @param ownedBy       who registered it (OpenAI's {@code owned_by})
 * @param contextLength the most tokens of prompt and generated text together (its schema's context length)
 * @param maxNewTokens  the most tokens one job may generate (its schema's limit)
 * @param tokenizer     the tokenizer the model was trained with
 * @param chatTemplate  how its chat prompts are laid out
 */
public record ServedModel(String id, long created, String ownedBy, int contextLength, int maxNewTokens,
                          TextTokenizer tokenizer, ChatTemplate chatTemplate) {
    public ServedModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ownedBy, "ownedBy");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(chatTemplate, "chatTemplate");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a served model needs a non-blank id");
        }
        if (contextLength < 2 || maxNewTokens < 1 || maxNewTokens >= contextLength) {
            throw new IllegalArgumentException("model " + id + ": the context (" + contextLength + ") must hold at least one "
                    + "prompt token and the most new tokens (" + maxNewTokens + ", at least 1)");
        }
    }
}
