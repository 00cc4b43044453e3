package dev.verity.modelhub.lm.train;

/** Text to token ids and back: the tokenizer a model is trained with. */
public interface TextCodec {
    int[] encode(String text);

    String decode(int[] tokens);

    int vocabularySize();

    /** A short description for reports, e.g. the tokenizer file and its hash. */
    String description();
}
