package dev.verity.gateway.template;

import dev.verity.gateway.tokenizer.TextTokenizer;
import java.util.List;

/**
 * How a model expects a conversation laid out as tokens: the template it was fine-tuned with. Special tokens are
 * placed by id and only the text between them is encoded, so a message that contains a special token's text cannot
 * open or close a turn.
 */
public interface ChatTemplate {

    /** A short name for logs and docs, such as {@code chatml}. */
    String name();

    /**
     * The prompt for {@code messages}, in order, followed by the opening of the assistant's turn.
     *
     * @throws IllegalStateException the tokenizer lacks a special token the template needs (the model is served with
     *                               the wrong template)
     */
    int[] render(List<ChatMessage> messages, TextTokenizer tokenizer);

    /**
     * The tokens that end the assistant's turn. The gateway asks the network to stop at each and never shows them.
     *
     * @throws IllegalStateException as {@link #render}
     */
    int[] endOfTurnTokens(TextTokenizer tokenizer);
}
