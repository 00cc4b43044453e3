package dev.verity.modelhub.train;

import java.util.Arrays;
import java.util.Random;

/**
 * Labelled images for classification: {@code inputs[i]} is image {@code i} as
 * {@code channels × height × width} floats in [0, 1] (channel-major, then rows), {@code labels[i]}
 * its class in {@code 0 .. classes-1}. The arrays are shared, not copied: treat them as read-only.
 */
public record Dataset(String name, float[][] inputs, int[] labels, int channels, int height, int width, int classes) {
    public Dataset {
        if (inputs.length != labels.length) {
            throw new IllegalArgumentException(name + ": " + inputs.length + " inputs but " + labels.length + " labels");
        }
        int features = channels * height * width;
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].length != features) {
                throw new IllegalArgumentException(name + ": row " + i + " has " + inputs[i].length
                        + " values, expected " + features);
            }
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": row " + i + " has label " + labels[i]);
            }
        }
    }

    public int size() {
        return labels.length;
    }

    /** Values per example: {@code channels × height × width}. */
    public int features() {
        return channels * height * width;
    }

    /** The rows at these indices, in this order. */
    public Dataset subset(String subsetName, int[] indices) {
        float[][] x = new float[indices.length][];
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            x[i] = inputs[indices[i]];
            y[i] = labels[indices[i]];
        }
        return new Dataset(subsetName, x, y, channels, height, width, classes);
    }

    /** How many examples of each class. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * A seeded random split: the row indices are shuffled by Fisher–Yates with
     * {@code new java.util.Random(seed)}, the first {@code round(size × testFraction)} of them form the
     * test set, the rest the training set; each part keeps the original row order.
     */
    public Split shuffledSplit(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in (0, 1): " + testFraction);
        }
        int n = size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int testSize = (int) Math.round(n * testFraction);
        int[] test = Arrays.copyOfRange(order, 0, testSize);
        int[] train = Arrays.copyOfRange(order, testSize, n);
        Arrays.sort(test);
        Arrays.sort(train);
        return new Split(subset(name + "-train", train), subset(name + "-test", test));
    }

    @Override
    public String toString() {
        return "Dataset(" + name + ", " + size() + " × " + channels + "×" + height + "×" + width + ", " + classes + " classes)";
    }
}
