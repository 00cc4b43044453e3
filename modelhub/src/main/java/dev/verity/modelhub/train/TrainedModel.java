package dev.verity.modelhub.train;

import dev.verity.modelhub.graph.Graph;
import java.util.List;

/**
 * The result of {@link ModelTraining#train}: the trained network, its ONNX graph and bytes, and its
 * accuracy as measured by the network's own float forward pass on the training and test sets.
 */
public record TrainedModel(String dataset, String architecture, TrainingOptions options, Network network, Graph graph,
                           byte[] onnx, double trainAccuracy, double testAccuracy, Dataset testSet,
                           List<EpochStats> history, long trainingMillis) {
    public TrainedModel {
        onnx = onnx.clone();
        history = List.copyOf(history);
    }

    @Override
    public byte[] onnx() {
        return onnx.clone();
    }

    /** "digits-mlp": the graph's name, and the file name without ".onnx". */
    public String name() {
        return dataset + "-" + architecture;
    }
}
