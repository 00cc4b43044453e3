package dev.verity.modelhub.train;

import dev.verity.modelhub.graph.Attribute;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A fully connected layer y = W·x + b, with W of shape [out, in]; exported as Gemm with transB = 1. */
final class Dense extends Layer {
    final int in;
    final int out;
    final Param weight;
    final Param bias;
    private float[] input;

    Dense(String name, int in, int out, Random random) {
        super(name);
        this.in = in;
        this.out = out;
        this.weight = new Param(name + ".weight", new long[] {out, in});
        this.bias = new Param(name + ".bias", new long[] {out});
        weight.initHe(random, in);
    }

    @Override
    float[] forward(float[] x) {
        input = x;
        float[] w = weight.value;
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            float sum = bias.value[o];
            int row = o * in;
            for (int i = 0; i < in; i++) {
                sum += w[row + i] * x[i];
            }
            y[o] = sum;
        }
        return y;
    }

    @Override
    float[] backward(float[] dy, boolean needInputGradient) {
        float[] x = input;
        float[] w = weight.value;
        float[] dw = weight.grad;
        float[] dx = needInputGradient ? new float[in] : null;
        for (int o = 0; o < out; o++) {
            float g = dy[o];
            if (g == 0f) {
                continue;
            }
            bias.grad[o] += g;
            int row = o * in;
            for (int i = 0; i < in; i++) {
                dw[row + i] += g * x[i];
            }
            if (dx != null) {
                for (int i = 0; i < in; i++) {
                    dx[i] += g * w[row + i];
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
        graph.node(name, "Gemm", List.of(inputName, w, b), output, Map.of("transB", new Attribute.Int(1)));
    }
}
