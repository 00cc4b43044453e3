package dev.verity.inference.program;

import java.util.List;

/**
 * 2-D convolution over NCHW int8 tensors (ONNX Conv with constant weights, BatchNormalization folded in).
 * Weights are symmetric int8 {@code [Cout][Cin/groups][kernelH][kernelW]}, bias int32 at scale
 * {@code sX * sW[oc]}. For output element {@code (n, oc, oh, ow)} with {@code g = oc / (Cout/groups)}:
 *
 * <pre>
 *   acc = sum_{ic, kh, kw} x'[n, g*Cin/groups + ic, ih, iw] * w[oc, ic, kh, kw]  -  zX * sum w[oc]  +  bias[oc]
 *   y = clamp(zY + rq(acc, requant[oc or 0]))
 * </pre>
 *
 * summed in the order (ic, kh, kw) ascending, int32, where {@code x'} is the input with padding
 * positions reading {@code zX} (real zero), and {@code ih, iw} as in {@link Window2d}.
 *
 * <p>Weights may be empty: a <em>hollow</em> op (see {@link QLinear}), which a program refuses.
 */
public record QConv2d(String input, String output, Window2d window, int groups, byte[] weights, int[] bias,
                      List<Requantization> requant, int min, int max) implements Op {
    public QConv2d {
        Op.checkName(input);
        Op.checkName(output);
        if (window == null) {
            throw new IllegalArgumentException("QConv2d needs a window");
        }
        if (groups < 1) {
            throw new IllegalArgumentException("QConv2d groups must be at least 1, got " + groups);
        }
        int outChannels = bias.length;
        if (outChannels < 1 || outChannels % groups != 0) {
            throw new IllegalArgumentException("QConv2d: " + outChannels + " output channels (bias length) is not a"
                    + " positive multiple of " + groups + " groups");
        }
        long perChannel = (long) window.kernelH() * window.kernelW();
        if (weights.length % (perChannel * outChannels) != 0) {
            throw new IllegalArgumentException("QConv2d weights: " + weights.length + " values is not a multiple of "
                    + outChannels + " x " + window.kernelH() + " x " + window.kernelW());
        }
        requant = List.copyOf(requant);
        if (requant.size() != 1 && requant.size() != outChannels) {
            throw new IllegalArgumentException("QConv2d requant: expected 1 or " + outChannels + " entries, got "
                    + requant.size());
        }
        Op.checkRange(min, max);
        weights = weights.clone();
        bias = bias.clone();
    }

    public int outChannels() {
        return bias.length;
    }

    /** Whether the op holds no weights (see {@link QLinear}). */
    public boolean hollow() {
        return weights.length == 0;
    }

    /** Input channels per group, implied by the weights (0 for a hollow op). */
    public int inChannelsPerGroup() {
        return weights.length / (bias.length * window.kernelH() * window.kernelW());
    }

    @Override
    public byte[] weights() {
        return weights.clone();
    }

    @Override
    public int[] bias() {
        return bias.clone();
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }
}
