package dev.verity.modelhub.train;

import dev.verity.modelhub.graph.Attribute;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.graph.TensorData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Collects the nodes and initializers of a graph being exported. */
final class GraphBuilder {
    final List<Node> nodes = new ArrayList<>();
    final SortedMap<String, TensorData> initializers = new TreeMap<>();

    /** Adds the parameter's current values as an initializer; returns its name. */
    String initializer(Param param) {
        initializers.put(param.name, TensorData.ofFloats(param.name, param.shape, param.value));
        return param.name;
    }

    void node(String name, String opType, List<String> inputs, String output, Map<String, Attribute> attributes) {
        nodes.add(new Node(name, opType, inputs, List.of(output), new TreeMap<>(attributes)));
    }
}
