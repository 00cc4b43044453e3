package dev.verity.modelhub.quantize;

import dev.verity.inference.program.Program;
import dev.verity.inference.program.Tensor;
import dev.verity.modelhub.floatengine.FloatTensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A quantizer's result: the integer program, and notes on what was folded, fused or dropped. The helpers
 * convert the float inputs and outputs of the original model to and from the program's int8 tensors.
 */
public record QuantizedModel(Program program, List<String> notes) {
    public QuantizedModel {
        notes = List.copyOf(notes);
    }

    /** Quantizes float inputs (by graph input name) with the program's input quantizations. */
    public SortedMap<String, Tensor> quantizeInputs(Map<String, FloatTensor> inputs) {
        TreeMap<String, Tensor> out = new TreeMap<>();
        for (String name : program.inputs()) {
            FloatTensor t = inputs.get(name);
            if (t == null) {
                throw new IllegalArgumentException("missing input '" + name + "'");
            }
            out.put(name, FixedPoint.quantize(t, program.tensor(name).quantization()));
        }
        return out;
    }

    /** Dequantizes program outputs to floats, in the program's output order. */
    public Map<String, FloatTensor> dequantizeOutputs(Map<String, Tensor> outputs) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (String name : program.outputs()) {
            out.put(name, FixedPoint.dequantize(outputs.get(name), program.tensor(name).quantization()));
        }
        return out;
    }
}
