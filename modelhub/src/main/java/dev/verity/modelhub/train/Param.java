package dev.verity.modelhub.train;

import java.util.Random;

/** A trainable tensor: its values, the gradient summed over the current mini-batch, and Adam's moments. */
final class Param {
    final String name;
    final long[] shape;
    final float[] value;
    final float[] grad;
    final float[] m;
    final float[] v;

    Param(String name, long[] shape) {
        int n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, (int) d);
        }
        this.name = name;
        this.shape = shape.clone();
        this.value = new float[n];
        this.grad = new float[n];
        this.m = new float[n];
        this.v = new float[n];
    }

    /** He initialisation: normal with standard deviation sqrt(2 / fanIn), suited to ReLU. */
    void initHe(Random random, int fanIn) {
        double std = Math.sqrt(2.0 / fanIn);
        for (int i = 0; i < value.length; i++) {
            value[i] = (float) (random.nextGaussian() * std);
        }
    }
}
