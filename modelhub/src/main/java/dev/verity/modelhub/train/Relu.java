package dev.verity.modelhub.train;

import java.util.List;
import java.util.Map;

/** max(0, x), element-wise. */
final class Relu extends Layer {
    private float[] output;

    Relu(String name) {
        super(name);
    }

    @Override
    float[] forward(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] > 0f ? x[i] : 0f;
        }
        output = y;
        return y;
    }

    @Override
    float[] backward(float[] dy, boolean needInputGradient) {
        float[] dx = new float[dy.length];
        for (int i = 0; i < dy.length; i++) {
            dx[i] = output[i] > 0f ? dy[i] : 0f;
        }
        return dx;
    }

    @Override
    void export(GraphBuilder graph, String input, String output) {
        graph.node(name, "Relu", List.of(input), output, Map.of());
    }
}
