package dev.verity.gateway.openai;

import java.util.List;

/** {@code GET /v1/models}: {@code {"object": "list", "data": [model, ...]}}. */
public record ModelList(String object, List<ModelObject> data) {
    public ModelList(List<ModelObject> data) {
        this("list", List.copyOf(data));
    }
}
