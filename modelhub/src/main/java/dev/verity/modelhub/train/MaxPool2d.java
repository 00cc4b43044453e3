package dev.verity.modelhub.train;

import dev.verity.modelhub.graph.Attribute;
import java.util.List;
import java.util.Map;

/**
 * Max pooling with a size × size window and stride size, no padding (a trailing row or column that
 * does not fill a window is dropped, as ONNX MaxPool does). The gradient flows to the first maximum.
 */
final class MaxPool2d extends Layer {
    final int channels;
    final int inHeight;
    final int inWidth;
    final int size;
    final int outHeight;
    final int outWidth;
    private int[] argmax;
    private int inputLength;

    MaxPool2d(String name, int channels, int inHeight, int inWidth, int size) {
        super(name);
        this.channels = channels;
        this.inHeight = inHeight;
        this.inWidth = inWidth;
        this.size = size;
        this.outHeight = inHeight / size;
        this.outWidth = inWidth / size;
        if (outHeight == 0 || outWidth == 0) {
            throw new IllegalArgumentException(name + ": a " + size + "×" + size + " window does not fit " + inHeight + "×" + inWidth);
        }
    }

    @Override
    float[] forward(float[] x) {
        inputLength = x.length;
        float[] y = new float[channels * outHeight * outWidth];
        argmax = new int[y.length];
        for (int c = 0; c < channels; c++) {
            for (int oy = 0; oy < outHeight; oy++) {
                for (int ox = 0; ox < outWidth; ox++) {
                    int best = (c * inHeight + oy * size) * inWidth + ox * size;
                    for (int dy = 0; dy < size; dy++) {
                        for (int dx = 0; dx < size; dx++) {
                            int i = (c * inHeight + oy * size + dy) * inWidth + ox * size + dx;
                            if (x[i] > x[best]) {
                                best = i;
                            }
                        }
                    }
                    int o = (c * outHeight + oy) * outWidth + ox;
                    y[o] = x[best];
                    argmax[o] = best;
                }
            }
        }
        return y;
    }

    @Override
    float[] backward(float[] dy, boolean needInputGradient) {
        float[] dx = new float[inputLength];
        for (int o = 0; o < dy.length; o++) {
            dx[argmax[o]] += dy[o];
        }
        return dx;
    }

    @Override
    void export(GraphBuilder graph, String input, String output) {
        graph.node(name, "MaxPool", List.of(input), output, Map.of(
                "kernel_shape", new Attribute.Ints(new long[] {size, size}),
                "strides", new Attribute.Ints(new long[] {size, size})));
    }
}
