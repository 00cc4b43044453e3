package dev.verity.gateway.template;

import dev.verity.gateway.tokenizer.TextTokenizer;
import java.util.List;
import java.util.stream.IntStream;

/**
 * ChatML, the template of the shipped chat model: each message is {@code <|im_start|>{role}\n{content}<|im_end|>\n},
 * then {@code <|im_start|>assistant\n} opens the answer, which ends with {@code <|im_end|>}.
 */
public final class ChatMlTemplate implements ChatTemplate {
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";

    @Override
    public String name() {
        return "chatml";
    }

    @Override
    public int[] render(List<ChatMessage> messages, TextTokenizer tokenizer) {
        int start = special(tokenizer, IM_START);
        int end = special(tokenizer, IM_END);
        int[] newline = tokenizer.encode("\n");
        IntStream.Builder ids = IntStream.builder();
        for (ChatMessage m : messages) {
            ids.add(start);
            append(ids, tokenizer.encode(m.role().wireName() + "\n" + m.content()));
            ids.add(end);
            append(ids, newline);
        }
        ids.add(start);
        append(ids, tokenizer.encode(ChatRole.ASSISTANT.wireName() + "\n"));
        return ids.build().toArray();
    }

    @Override
    public int[] endOfTurnTokens(TextTokenizer tokenizer) {
        return new int[] {special(tokenizer, IM_END)};
    }

    private static void append(IntStream.Builder ids, int[] more) {
        for (int id : more) {
            ids.add(id);
        }
    }

    private static int special(TextTokenizer tokenizer, String name) {
        return tokenizer.specialTokenId(name).orElseThrow(() -> new IllegalStateException(
                "the model's tokenizer has no " + name + " token, which the ChatML chat template needs; serve the model "
                        + "with the template it was trained with"));
    }
}
