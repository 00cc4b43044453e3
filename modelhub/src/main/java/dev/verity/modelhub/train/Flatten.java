package dev.verity.modelhub.train;

import dev.verity.modelhub.graph.Attribute;
import java.util.List;
import java.util.Map;

/**
 * [N, C, H, W] to [N, C·H·W]. Here an example is already a flat channel-major array, so the layer
 * changes nothing; it exists for the exported graph (ONNX Flatten, axis 1).
 */
final class Flatten extends Layer {
    Flatten(String name) {
        super(name);
    }

    @Override
    float[] forward(float[] x) {
        return x;
    }

    @Override
    float[] backward(float[] dy, boolean needInputGradient) {
        return dy;
    }

    @Override
    void export(GraphBuilder graph, String input, String output) {
        graph.node(name, "Flatten", List.of(input), output, Map.of("axis", new Attribute.Int(1)));
    }
}
