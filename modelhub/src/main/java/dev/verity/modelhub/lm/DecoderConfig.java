package dev.verity.modelhub.lm;

/**
 * The shape of a GPT-2-style decoder-only transformer: token and learned position embeddings, {@code layers} blocks of
 * pre-LayerNorm causal self-attention ({@code heads} heads of {@code width / heads}) and an MLP ({@code width} to
 * {@code mlpWidth} to {@code width}, GELU with the tanh approximation), a final LayerNorm, and a language-model head
 * tied to the token embedding. This is the layout of Hugging Face's GPT-2, so its exported ONNX files share names and
 * shapes with ours.
 */
public record DecoderConfig(int vocabSize, int contextLength, int layers, int heads, int width, int mlpWidth) {
    /** LayerNorm's epsilon, as GPT-2 uses. */
    public static final float LAYER_NORM_EPSILON = 1e-5f;

    public DecoderConfig {
        positive("vocabSize", vocabSize);
        positive("contextLength", contextLength);
        positive("layers", layers);
        positive("heads", heads);
        positive("width", width);
        positive("mlpWidth", mlpWidth);
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " is not a multiple of heads " + heads);
        }
    }

    public int headWidth() {
        return width / heads;
    }

    /** Trainable values (the head is tied, so it adds none). */
    public long parameterCount() {
        long perBlock = 2L * width + (long) width * 3 * width + 3L * width + (long) width * width + width + 2L * width
                + (long) width * mlpWidth + mlpWidth + (long) mlpWidth * width + width;
        return (long) vocabSize * width + (long) contextLength * width + layers * perBlock + 2L * width;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
    }
}
