package dev.verity.gateway.template;

import java.util.Locale;

/** Who says a chat message. */
public enum ChatRole {
    SYSTEM,
    USER,
    ASSISTANT;

    /** The name chat templates and OpenAI's API write: {@code system}, {@code user}, {@code assistant}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
