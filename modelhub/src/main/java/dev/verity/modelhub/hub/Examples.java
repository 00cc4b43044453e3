package dev.verity.modelhub.hub;

import dev.verity.modelhub.floatengine.FloatTensor;
import java.util.List;
import java.util.Map;

/**
 * Example inputs for a model (calibration or evaluation), each a map from graph input name to
 * tensor, with optional class labels ({@code labels} null when there are none).
 */
public record Examples(List<Map<String, FloatTensor>> inputs, int[] labels) {
    public Examples {
        inputs = List.copyOf(inputs);
        if (labels != null) {
            if (labels.length != inputs.size()) {
                throw new IllegalArgumentException(inputs.size() + " examples but " + labels.length + " labels");
            }
            labels = labels.clone();
        }
    }

    public static Examples none() {
        return new Examples(List.of(), null);
    }

    public int size() {
        return inputs.size();
    }

    public boolean labeled() {
        return labels != null && !inputs.isEmpty();
    }

    @Override
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    public Examples first(int n) {
        int k = Math.min(n, inputs.size());
        int[] l = null;
        if (labels != null) {
            l = new int[k];
            System.arraycopy(labels, 0, l, 0, k);
        }
        return new Examples(inputs.subList(0, k), l);
    }
}
