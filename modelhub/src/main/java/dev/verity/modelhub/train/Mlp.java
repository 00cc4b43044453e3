package dev.verity.modelhub.train;

import java.util.List;
import java.util.Random;

/**
 * A multi-layer perceptron with one hidden layer: Gemm → Relu → Gemm. Weights are He-initialised
 * from {@code new Random(seed)}, biases start at zero.
 */
public final class Mlp extends Network {
    private final int inputs;
    private final int hidden;

    public Mlp(int inputs, int hidden, int classes, long seed) {
        super(layers(inputs, hidden, classes, seed), List.of((long) inputs), classes);
        this.inputs = inputs;
        this.hidden = hidden;
    }

    /** 64 → 32 → 10, for the 8×8 digits. */
    public static Mlp forDigits(long seed) {
        return new Mlp(64, 32, 10, seed);
    }

    /** 784 → 128 → 10, for the 28×28 Fashion-MNIST images. */
    public static Mlp forFashion(long seed) {
        return new Mlp(784, 128, 10, seed);
    }

    private static List<Layer> layers(int inputs, int hidden, int classes, long seed) {
        Random random = new Random(seed);
        return List.of(new Dense("fc1", inputs, hidden, random), new Relu("relu1"), new Dense("fc2", hidden, classes, random));
    }

    @Override
    public String describe() {
        return "MLP " + inputs + "→" + hidden + "→" + classes() + " (ReLU), " + parameterCount() + " parameters";
    }
}
