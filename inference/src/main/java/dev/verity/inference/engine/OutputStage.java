package dev.verity.inference.engine;

import dev.verity.inference.Requantize;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.TensorSpec;
import java.util.List;

/**
 * What a fully-connected or convolution kernel does with each output's int32 dot product: remove
 * the input zero point (once per output, through the weight row's sum), add the bias, requantize to
 * the output scale per output channel, add the output zero point and clamp (a fused Relu/Clip).
 */
final class OutputStage {
    private final int[] weightRowSums;
    private final int[] bias;
    private final int[] multipliers;
    private final int[] shifts;
    private final int inputZeroPoint;
    private final int outputZeroPoint;
    private final int min;
    private final int max;

    /** {@code weights} holds {@code channels} rows of {@code rowLength}; one requantization for all, or one per channel. */
    OutputStage(byte[] weights, int channels, int rowLength, int[] bias, List<Requantization> requant, TensorSpec input,
                TensorSpec output, int min, int max) {
        this.weightRowSums = new int[channels];
        this.multipliers = new int[channels];
        this.shifts = new int[channels];
        for (int c = 0; c < channels; c++) {
            int sum = 0;
            for (int k = 0; k < rowLength; k++) {
                sum += weights[c * rowLength + k];
            }
            weightRowSums[c] = sum;
            Requantization r = requant.get(requant.size() == 1 ? 0 : c);
            multipliers[c] = r.multiplier();
            shifts[c] = r.shift();
        }
        this.bias = bias;
        this.inputZeroPoint = input.zeroPoint();
        this.outputZeroPoint = output.zeroPoint();
        this.min = min;
        this.max = max;
    }

    /** The quantized output of channel {@code channel} whose raw dot product is {@code dot}. */
    int apply(int channel, int dot) {
        int v = dot - inputZeroPoint * weightRowSums[channel] + bias[channel];
        return Requantize.requantize(v, multipliers[channel], shifts[channel], outputZeroPoint, min, max);
    }
}
