package dev.verity.gateway.openai;

/**
 * Whether to answer with server-sent events, and whether the stream ends with a usage chunk
 * ({@code stream_options.include_usage}).
 */
public record StreamOptions(boolean stream, boolean includeUsage) {
    public static final StreamOptions WHOLE = new StreamOptions(false, false);
}
