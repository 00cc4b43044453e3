package dev.verity.modelhub.hub;

import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.pkg.IoInfo;
import dev.verity.inference.pkg.ModelMetadata;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.modelhub.floatengine.FloatEngine;
import dev.verity.modelhub.floatengine.FloatTensor;
import dev.verity.modelhub.floatengine.UnsupportedOperatorException;
import dev.verity.modelhub.graph.Graph;
import dev.verity.modelhub.graph.Node;
import dev.verity.modelhub.graph.ValueInfo;
import dev.verity.modelhub.onnx.OnnxLimits;
import dev.verity.modelhub.onnx.OnnxParser;
import dev.verity.modelhub.quantize.Calibration;
import dev.verity.modelhub.quantize.Calibrator;
import dev.verity.modelhub.quantize.QuantizedModel;
import dev.verity.modelhub.quantize.Quantizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a model package from an ONNX file: parse (within the limits), check every operator is
 * supported, calibrate activation ranges with the float reference engine, quantize to an integer
 * program, measure float and integer accuracy on labeled evaluation examples, and put the ONNX
 * bytes, the program and the metadata into one canonical package. The same inputs always give the
 * same package bytes.
 */
public final class ModelImporter {
    /** Name of the package, parsing limits, and how many calibration examples to use at most. */
    public record Options(String name, OnnxLimits limits, int maxCalibrationExamples) {
        public static Options named(String name) {
            return new Options(name, OnnxLimits.DEFAULTS, 512);
        }
    }

    /** The package and what was measured while building it. */
    public record Imported(ModelPackage modelPackage, Graph graph, QuantizedModel quantized, Accuracy accuracy) {}

    private ModelImporter() {}

    public static Imported importModel(byte[] onnx, Examples calibration, Examples evaluation, Options options) {
        Graph graph = new OnnxParser(options.limits()).parse(onnx);
        refuseUnsupported(graph);
        if (calibration.size() == 0) {
            throw new IllegalArgumentException("quantization needs calibration examples (--calibration)");
        }
        Calibration ranges = Calibrator.calibrate(graph, calibration.first(options.maxCalibrationExamples()).inputs());
        QuantizedModel quantized = new Quantizer().quantize(graph, ranges);
        Accuracy accuracy = evaluation.labeled() ? Accuracy.measure(graph, quantized, evaluation) : Accuracy.UNMEASURED;
        ModelMetadata metadata = new ModelMetadata(options.name(), io(graph.inputs()), io(graph.outputs()),
                quantized.program().multiplyAccumulates(), graph.operators(), accuracy.integerBps(), accuracy.floatBps());
        return new Imported(new ModelPackage(onnx, quantized.program(), metadata), graph, quantized, accuracy);
    }

    /** Refuses a model with any operator outside what both engines support, naming it and its node. */
    public static void refuseUnsupported(Graph graph) {
        for (Node n : graph.nodes()) {
            String engine = !FloatEngine.supports(n.opType()) ? "the float reference engine"
                    : !Quantizer.supportedOperators().contains(n.opType()) ? "the integer engine" : null;
            if (engine != null) {
                throw new UnsupportedOperatorException(n.opType(), n.name(),
                        "operator " + n.opType() + " used by " + n.describe() + " is not supported by " + engine);
            }
        }
    }

    private static List<IoInfo> io(List<ValueInfo> values) {
        List<IoInfo> out = new ArrayList<>();
        for (ValueInfo v : values) {
            int[] shape = new int[v.dims().size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = (int) Math.max(-1, Math.min(Integer.MAX_VALUE, v.dims().get(i)));
            }
            out.add(new IoInfo(v.name(), v.type().code(), shape));
        }
        return out;
    }

    /** Classification accuracy of the float model and of the integer program on labeled examples, in basis points. */
    public record Accuracy(int floatBps, int integerBps, int examples) {
        static final Accuracy UNMEASURED = new Accuracy(ModelMetadata.UNKNOWN, ModelMetadata.UNKNOWN, 0);

        static Accuracy measure(Graph graph, QuantizedModel quantized, Examples examples) {
            FloatEngine floats = new FloatEngine(graph);
            IntegerEngine integers = new IntegerEngine(quantized.program(), EngineOptions.VECTORIZED);
            String output = graph.outputs().get(0).name();
            int[] labels = examples.labels();
            int floatHits = 0;
            int integerHits = 0;
            for (int i = 0; i < examples.size(); i++) {
                Map<String, FloatTensor> in = examples.inputs().get(i);
                if (argmax(floats.run(in).get(output)) == labels[i]) {
                    floatHits++;
                }
                var result = integers.run(quantized.quantizeInputs(in));
                if (argmax(quantized.dequantizeOutputs(result.outputs()).get(output)) == labels[i]) {
                    integerHits++;
                }
            }
            int n = examples.size();
            return new Accuracy((int) (10_000L * floatHits / n), (int) (10_000L * integerHits / n), n);
        }

        static int argmax(FloatTensor t) {
            float[] d = t.data();
            int best = 0;
            for (int i = 1; i < d.length; i++) {
                if (d[i] > d[best]) {
                    best = i;
                }
            }
            return best;
        }
    }
}
