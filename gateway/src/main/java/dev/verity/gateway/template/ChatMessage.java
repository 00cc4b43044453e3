package dev.verity.gateway.template;

import java.util.Objects;

/** One message of a conversation, its content as plain text. */
public record ChatMessage(ChatRole role, String content) {
    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }
}
