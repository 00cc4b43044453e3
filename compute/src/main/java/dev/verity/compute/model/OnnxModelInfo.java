package dev.verity.compute.model;

import java.util.List;

/**
 * What {@link OnnxModelInspector} learned from an ONNX file without running it.
 *
 * @param irVersion      the ONNX IR version of the file
 * @param opsetVersion   the version of the default ({@code ai.onnx}) operator set, 0 if the file imports none
 * @param inputs         the graph inputs a caller must feed (initializers listed as inputs are left out)
 * @param outputs        the graph outputs
 * @param operators      the distinct operator types of the main graph, sorted
 * @param nodeCount      the number of nodes in the main graph
 * @param parameterCount the total element count of all initializers
 * @param computeUnits   the estimated cost of one inference, see {@link OnnxModelInspector}
 */
public record OnnxModelInfo(
        long irVersion,
        long opsetVersion,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        List<String> operators,
        int nodeCount,
        long parameterCount,
        long computeUnits) {

    public OnnxModelInfo {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        operators = List.copyOf(operators);
    }
}
