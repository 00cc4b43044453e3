package dev.verity.gateway.openai;

import java.util.List;

/** How an answer is written for one endpoint: chat completions or legacy completions, whole or streamed. */
public sealed interface AnswerFormat {

    /** The prefix of answer ids: {@code chatcmpl-} or {@code cmpl-}. */
    String idPrefix();

    /** The whole answer (not streamed). */
    Object whole(AnswerIdentity who, String text, String finishReason, Usage usage, VerityInfo verity);

    /** The events a stream opens with, before any text. */
    List<Object> opening(AnswerIdentity who);

    /** An event carrying the next piece of text. */
    Object piece(AnswerIdentity who, String text);

    /** The event that says why the answer ended. */
    Object finish(AnswerIdentity who, String finishReason, VerityInfo verity);

    /** The usage event ({@code stream_options.include_usage}): no choices. */
    Object usage(AnswerIdentity who, Usage usage, VerityInfo verity);

    AnswerFormat CHAT = new Chat();
    AnswerFormat TEXT = new Text();

    /** {@code chat.completion} and {@code chat.completion.chunk}. */
    final class Chat implements AnswerFormat {
        private Chat() {
        }

        @Override
        public String idPrefix() {
            return "chatcmpl-";
        }

        @Override
        public Object whole(AnswerIdentity who, String text, String finishReason, Usage usage, VerityInfo verity) {
            return ChatCompletion.of(who, text, finishReason, usage, verity);
        }

        @Override
        public List<Object> opening(AnswerIdentity who) {
            return List.of(chunk(who, new ChatCompletionChunk.Delta("assistant", ""), null, null));
        }

        @Override
        public Object piece(AnswerIdentity who, String text) {
            return chunk(who, new ChatCompletionChunk.Delta(null, text), null, null);
        }

        @Override
        public Object finish(AnswerIdentity who, String finishReason, VerityInfo verity) {
            return chunk(who, new ChatCompletionChunk.Delta(null, null), finishReason, verity);
        }

        @Override
        public Object usage(AnswerIdentity who, Usage usage, VerityInfo verity) {
            return ChatCompletionChunk.of(who, List.of(), usage, verity);
        }

        private static ChatCompletionChunk chunk(AnswerIdentity who, ChatCompletionChunk.Delta delta, String finishReason,
                                                 VerityInfo verity) {
            return ChatCompletionChunk.of(who, List.of(new ChatCompletionChunk.Choice(0, delta, null, finishReason)), null,
                    verity);
        }
    }

    /** {@code text_completion}, whole and streamed. */
    final class Text implements AnswerFormat {
        private Text() {
        }

        @Override
        public String idPrefix() {
            return "cmpl-";
        }

        @Override
        public Object whole(AnswerIdentity who, String text, String finishReason, Usage usage, VerityInfo verity) {
            return TextCompletion.of(who, List.of(new TextCompletion.Choice(text, 0, null, finishReason)), usage, verity);
        }

        @Override
        public List<Object> opening(AnswerIdentity who) {
            return List.of();
        }

        @Override
        public Object piece(AnswerIdentity who, String text) {
            return TextCompletion.of(who, List.of(new TextCompletion.Choice(text, 0, null, null)), null, null);
        }

        @Override
        public Object finish(AnswerIdentity who, String finishReason, VerityInfo verity) {
            return TextCompletion.of(who, List.of(new TextCompletion.Choice("", 0, null, finishReason)), null, verity);
        }

        @Override
        public Object usage(AnswerIdentity who, Usage usage, VerityInfo verity) {
            return TextCompletion.of(who, List.of(), usage, verity);
        }
    }
}
