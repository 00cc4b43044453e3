package dev.verity.inference.pkg;

import dev.verity.core.Bytes;
import java.util.List;

/**
 * What a model package says about its model.
 *
 * @param name a human-readable name
 * @param inputs the ONNX graph inputs (initializers excluded)
 * @param outputs the ONNX graph outputs
 * @param computeUnits estimated multiply-accumulates of one inference
 * @param operators the ONNX operator types the model uses, sorted, distinct
 * @param calibrationAccuracyBps accuracy of the quantized program on the evaluation data, in basis points
 *        (0..10000), or {@link #UNKNOWN}
 * @param floatAccuracyBps accuracy of the float model on the same data, in basis points, or {@link #UNKNOWN}
 */
public record ModelMetadata(String name, List<IoInfo> inputs, List<IoInfo> outputs, long computeUnits,
                            List<String> operators, int calibrationAccuracyBps, int floatAccuracyBps) {
    /** An accuracy that was not measured. */
    public static final int UNKNOWN = -1;
    /** Longest model name, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 1024;
    /** Longest operator name, in UTF-8 bytes. */
    public static final int MAX_OPERATOR_BYTES = 256;

    public ModelMetadata {
        if (name == null || name.isEmpty() || Bytes.utf8(name).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("model name must be 1 to " + MAX_NAME_BYTES + " UTF-8 bytes");
        }
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        operators = List.copyOf(operators);
        if (computeUnits < 0) {
            throw new IllegalArgumentException("compute units must not be negative");
        }
        for (int i = 0; i < operators.size(); i++) {
            if (operators.get(i).isEmpty() || Bytes.utf8(operators.get(i)).length > MAX_OPERATOR_BYTES) {
                throw new IllegalArgumentException("operator names must be 1 to " + MAX_OPERATOR_BYTES + " UTF-8 bytes");
            }
            if (i > 0 && operators.get(i - 1).compareTo(operators.get(i)) >= 0) {
                throw new IllegalArgumentException("operators must be sorted and distinct: " + operators);
            }
        }
        checkBps("calibration accuracy", calibrationAccuracyBps);
        checkBps("float accuracy", floatAccuracyBps);
    }

    private static void checkBps(String what, int bps) {
        if (bps != UNKNOWN && (bps < 0 || bps > 10_000)) {
            throw new IllegalArgumentException(what + " " + bps + " is not in basis points [0, 10000]");
        }
    }
}
