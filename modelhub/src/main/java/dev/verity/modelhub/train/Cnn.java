package dev.verity.modelhub.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small convolutional network: one or more blocks of Conv (square kernel, stride 1, "same" zero
 * padding of kernel/2) → Relu → MaxPool 2×2, then Flatten → Gemm to the classes. Weights are
 * He-initialised from {@code new Random(seed)}, biases start at zero.
 */
public final class Cnn extends Network {
    /** One Conv → Relu → MaxPool 2×2 block: output channels and kernel size (odd). */
    public record ConvBlock(int channels, int kernel) {
        public ConvBlock {
            if (channels <= 0 || kernel <= 0 || kernel % 2 == 0) {
                throw new IllegalArgumentException("a block needs channels > 0 and an odd kernel: " + channels + ", " + kernel);
            }
        }
    }

    private final String shape;

    public Cnn(int channels, int height, int width, List<ConvBlock> blocks, int classes, long seed) {
        super(layers(channels, height, width, blocks, classes, seed), List.of((long) channels, (long) height, (long) width),
                classes);
        StringBuilder s = new StringBuilder("CNN " + channels + "×" + height + "×" + width);
        for (ConvBlock b : blocks) {
            s.append(" → Conv ").append(b.kernel()).append('×').append(b.kernel()).append(" (").append(b.channels())
                    .append(" ch) → Relu → MaxPool 2");
        }
        shape = s.append(" → Gemm ").append(classes).toString();
    }

    /** 1×8×8 → Conv 3×3 (8 channels, pad 1) → Relu → MaxPool 2 → Flatten (128) → Gemm 10. */
    public static Cnn forDigits(long seed) {
        return new Cnn(1, 8, 8, List.of(new ConvBlock(8, 3)), 10, seed);
    }

    /**
     * 1×28×28 → Conv 5×5 (8 channels, pad 2) → Relu → MaxPool 2 → Conv 3×3 (16 channels, pad 1) → Relu
     * → MaxPool 2 → Flatten (784) → Gemm 10.
     */
    public static Cnn forFashion(long seed) {
        return new Cnn(1, 28, 28, List.of(new ConvBlock(8, 5), new ConvBlock(16, 3)), 10, seed);
    }

    private static List<Layer> layers(int channels, int height, int width, List<ConvBlock> blocks, int classes, long seed) {
        Random random = new Random(seed);
        List<Layer> layers = new ArrayList<>();
        int c = channels;
        int h = height;
        int w = width;
        for (int i = 0; i < blocks.size(); i++) {
            ConvBlock b = blocks.get(i);
            int n = i + 1;
            layers.add(new Conv2d("conv" + n, c, h, w, b.channels(), b.kernel(), b.kernel() / 2, random));
            layers.add(new Relu("relu" + n));
            MaxPool2d pool = new MaxPool2d("pool" + n, b.channels(), h, w, 2);
            layers.add(pool);
            c = b.channels();
            h = pool.outHeight;
            w = pool.outWidth;
        }
        layers.add(new Flatten("flatten"));
        layers.add(new Dense("fc", c * h * w, classes, random));
        return layers;
    }

    @Override
    public String describe() {
        return shape + ", " + parameterCount() + " parameters";
    }
}
