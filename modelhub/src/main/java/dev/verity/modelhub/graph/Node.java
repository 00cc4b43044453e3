package dev.verity.modelhub.graph;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** One operator application. An empty input name means an omitted optional input (as in ONNX). */
public record Node(String name, String opType, List<String> inputs, List<String> outputs, SortedMap<String, Attribute> attributes) {
    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = Collections.unmodifiableSortedMap(new TreeMap<>(attributes));
    }

    public long intAttr(String key, long fallback) {
        return attributes.get(key) instanceof Attribute.Int i ? i.value() : fallback;
    }

    public float floatAttr(String key, float fallback) {
        return attributes.get(key) instanceof Attribute.Float f ? f.value() : fallback;
    }

    public long[] intsAttr(String key, long[] fallback) {
        return attributes.get(key) instanceof Attribute.Ints i ? i.values() : fallback;
    }

    public String stringAttr(String key, String fallback) {
        return attributes.get(key) instanceof Attribute.Str s ? s.value() : fallback;
    }

    /** For error messages: "Conv node 'conv1'". */
    public String describe() {
        return opType + " node '" + (name.isEmpty() ? outputs.get(0) : name) + "'";
    }
}
