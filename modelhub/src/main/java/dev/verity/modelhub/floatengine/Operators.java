package dev.verity.modelhub.floatengine;

import java.util.HashMap;
import java.util.Map;

/** The table of implemented operators, by ONNX op_type. */
final class Operators {
    private Operators() {}

    static Map<String, Op> registry() {
        Map<String, Op> ops = new HashMap<>();
        ElementwiseOps.register(ops);
        LinearOps.register(ops);
        PoolOps.register(ops);
        NormalizationOps.register(ops);
        ReduceOps.register(ops);
        ShapeOps.register(ops);
        ResizeOps.register(ops);
        LossOps.register(ops);
        IndexOps.register(ops);
        return Map.copyOf(ops);
    }
}
