package dev.verity.modelhub.quantize;

import dev.verity.inference.pkg.IoInfo;
import dev.verity.inference.pkg.ModelMetadata;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.graph.TensorData;
import dev.verity.modelhub.graph.ValueInfo;
import java.util.List;

/** Assembles {@link ModelPackage}s from an imported model and its quantized program. */
public final class ModelPackages {
    private ModelPackages() {}

    /**
     * @param onnx the original ONNX file
     * @param graph its parsed graph
     * @param model the quantizer's result for it
     * @param calibrationAccuracyBps accuracy of the quantized program in basis points, or {@link ModelMetadata#UNKNOWN}
     * @param floatAccuracyBps accuracy of the float model in basis points, or {@link ModelMetadata#UNKNOWN}
     */
    public static ModelPackage build(String name, byte[] onnx, Graph graph, QuantizedModel model, int calibrationAccuracyBps,
            int floatAccuracyBps) {
        ModelMetadata meta = new ModelMetadata(name, io(graph.inputs(), graph), io(graph.outputs(), graph),
                computeUnits(graph), graph.operators(), calibrationAccuracyBps, floatAccuracyBps);
        return new ModelPackage(onnx, model.program(), meta);
    }

    /** {@code floor(10000 * correct / total)}. */
    public static int basisPoints(long correct, long total) {
        if (total <= 0 || correct < 0 || correct > total) {
            throw new IllegalArgumentException("need 0 <= correct <= total, total > 0");
        }
        return (int) (correct * 10_000 / total);
    }

    /**
     * Compute units as the protocol defines them (docs/PROTOCOL.md, node's {@code OnnxModelInspector}): the
     * element count of every MatMul, Gemm and Conv weight initializer (input 1); if there is none, the total
     * parameter count; never less than 1.
     */
    public static long computeUnits(Graph graph) {
        long total = 0;
        for (Node n : graph.nodes()) {
            if ((n.opType().equals("MatMul") || n.opType().equals("Gemm") || n.opType().equals("Conv"))
                    && n.inputs().size() > 1) {
                TensorData w = graph.initializers().get(n.inputs().get(1));
                if (w != null) {
                    total += w.elementCount();
                }
            }
        }
        if (total == 0) {
            for (TensorData t : graph.initializers().values()) {
                total += t.elementCount();
            }
        }
        return Math.max(1, total);
    }

    private static List<IoInfo> io(List<ValueInfo> values, Graph graph) {
        return values.stream().filter(v -> !graph.initializers().containsKey(v.name())).map(v -> {
            int[] shape = new int[v.dims().size()];
            for (int i = 0; i < shape.length; i++) {
                long d = v.dims().get(i);
                shape[i] = d < 0 || d > Integer.MAX_VALUE ? -1 : (int) d;
            }
            return new IoInfo(v.name(), v.type().code(), shape);
        }).toList();
    }
}
