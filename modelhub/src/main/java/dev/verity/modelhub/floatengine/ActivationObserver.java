package dev.verity.modelhub.floatengine;

import dev.verity.modelhub.graph.Node;

/**
 * Sees every tensor a node produces while {@link FloatEngine#run(java.util.Map, ActivationObserver)} runs, in
 * execution order (the graph's node order, and each node's outputs in order); omitted optional outputs are not
 * reported. The quantizer uses it to record activation ranges for calibration.
 */
@FunctionalInterface
public interface ActivationObserver {
    void onTensor(String name, Node producer, FloatTensor value);
}
