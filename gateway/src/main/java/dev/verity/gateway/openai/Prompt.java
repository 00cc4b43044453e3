package dev.verity.gateway.openai;

/** A legacy completion's prompt: text to encode, or token ids given as they are. */
public sealed interface Prompt {

    record Text(String text) implements Prompt {
    }

    record TokenIds(int[] ids) implements Prompt {
        public TokenIds {
            ids = ids.clone();
        }

        @Override
        public int[] ids() {
            return ids.clone();
        }
    }
}
