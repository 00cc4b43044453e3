package dev.verity.gateway.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.verity.gateway.backend.ServedModel;

/**
 * OpenAI's model object, plus a {@code verity} object with the model's limits.
 *
 * @param ownedBy OpenAI's {@code owned_by}
 */
public record ModelObject(String id, String object, long created, @JsonProperty("owned_by") String ownedBy,
                          Limits verity) {

    /** The most tokens of prompt and answer together, and of answer alone. */
    public record Limits(int contextLength, int maxNewTokens) {
    }

    public static ModelObject of(ServedModel m) {
        return new ModelObject(m.id(), "model", m.created(), m.ownedBy(), new Limits(m.contextLength(), m.maxNewTokens()));
    }
}
