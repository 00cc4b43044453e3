package dev.verity.modelhub.graph;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An ONNX model's main graph, as the model hub works with it: inputs (initializers excluded),
 * outputs, nodes in topological order, and the constant tensors by name.
 */
public record Graph(String name, long irVersion, long opsetVersion, List<ValueInfo> inputs, List<ValueInfo> outputs,
                    List<Node> nodes, SortedMap<String, TensorData> initializers) {
    public Graph {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        nodes = List.copyOf(nodes);
        initializers = Collections.unmodifiableSortedMap(new TreeMap<>(initializers));
    }

    /** Distinct operator types, sorted. */
    public List<String> operators() {
        return nodes.stream().map(Node::opType).distinct().sorted().toList();
    }
}
