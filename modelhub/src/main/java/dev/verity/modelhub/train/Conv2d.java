package dev.verity.modelhub.train;

import dev.verity.modelhub.graph.Attribute;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A 2-D convolution with a square kernel, stride 1 and equal zero padding on all sides, on one
 * [channels, height, width] image; weights of shape [outChannels, inChannels, k, k] as in ONNX Conv.
 */
final class Conv2d extends Layer {
    final int inChannels;
    final int inHeight;
    final int inWidth;
    final int outChannels;
    final int kernel;
    final int pad;
    final int outHeight;
    final int outWidth;
    final Param weight;
    final Param bias;
    private float[] input;

    Conv2d(String name, int inChannels, int inHeight, int inWidth, int outChannels, int kernel, int pad, Random random) {
        super(name);
        this.inChannels = inChannels;
        this.inHeight = inHeight;
        this.inWidth = inWidth;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.pad = pad;
        this.outHeight = inHeight + 2 * pad - kernel + 1;
        this.outWidth = inWidth + 2 * pad - kernel + 1;
        if (outHeight <= 0 || outWidth <= 0) {
            throw new IllegalArgumentException(name + ": kernel " + kernel + " does not fit " + inHeight + "×" + inWidth);
        }
        this.weight = new Param(name + ".weight", new long[] {outChannels, inChannels, kernel, kernel});
        this.bias = new Param(name + ".bias", new long[] {outChannels});
        weight.initHe(random, inChannels * kernel * kernel);
    }

    private int weightIndex(int oc, int ic, int ky, int kx) {
        return ((oc * inChannels + ic) * kernel + ky) * kernel + kx;
    }

    @Override
    float[] forward(float[] x) {
        input = x;
        float[] w = weight.value;
        float[] y = new float[outChannels * outHeight * outWidth];
        for (int oc = 0; oc < outChannels; oc++) {
            for (int oy = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++) {
                    // The kernel columns that land inside the image (the rest meet zero padding).
                    int kxFrom = Math.max(0, pad - ox);
                    int kxTo = Math.min(kernel, inWidth + pad - ox);
                    float sum = bias.value[oc];
                    for (int ic = 0; ic < inChannels; ic++) {
                        for (int ky = 0; ky < kernel; ky++) {
                            int iy = oy + ky - pad;
                            if (iy < 0 || iy >= inHeight) {
                                continue;
                            }
                            int inRow = (ic * inHeight + iy) * inWidth + ox - pad;
                            int wRow = weightIndex(oc, ic, ky, 0);
                            for (int kx = kxFrom; kx < kxTo; kx++) {
                                sum += w[wRow + kx] * x[inRow + kx];
                            }
                        }
                    }
                    y[(oc * outHeight + oy) * outWidth + ox] = sum;
                }
            }
        }
        return y;
    }

    @Override
    float[] backward(float[] dy, boolean needInputGradient) {
        float[] x = input;
        float[] w = weight.value;
        float[] dw = weight.grad;
        float[] dx = needInputGradient ? new float[x.length] : null;
        for (int oc = 0; oc < outChannels; oc++) {
            for (int oy = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++) {
                    float g = dy[(oc * outHeight + oy) * outWidth + ox];
                    if (g == 0f) {
                        continue;
                    }
                    bias.grad[oc] += g;
                    int kxFrom = Math.max(0, pad - ox);
                    int kxTo = Math.min(kernel, inWidth + pad - ox);
                    for (int ic = 0; ic < inChannels; ic++) {
                        for (int ky = 0; ky < kernel; ky++) {
                            int iy = oy + ky - pad;
                            if (iy < 0 || iy >= inHeight) {
                                continue;
                            }
                            int inRow = (ic * inHeight + iy) * inWidth + ox - pad;
                            int wRow = weightIndex(oc, ic, ky, 0);
                            for (int kx = kxFrom; kx < kxTo; kx++) {
                                dw[wRow + kx] += g * x[inRow + kx];
                            }
                            if (dx != null) {
                                for (int kx = kxFrom; kx < kxTo; kx++) {
                                    dx[inRow + kx] += g * w[wRow + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    @Override
    List<Param> params() {
        return List.of(weight, bias);
    }

    @Override
    void export(GraphBuilder graph, String inputName, String output) {
        String w = graph.initializer(weight);
        String b = graph.initializer(bias);
        graph.node(name, "Conv", List.of(inputName, w, b), output, Map.of(
                "kernel_shape", new Attribute.Ints(new long[] {kernel, kernel}),
                "pads", new Attribute.Ints(new long[] {pad, pad, pad, pad}),
                "strides", new Attribute.Ints(new long[] {1, 1})));
    }
}
