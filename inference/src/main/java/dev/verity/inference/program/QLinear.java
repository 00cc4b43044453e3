package dev.verity.inference.program;

import java.util.List;

/**
 * Fully connected layer (ONNX Gemm / MatMul with constant weights). The input's last dimension is
 * {@code inFeatures} ({@code K}); the other dimensions are flattened into {@code M} rows. Weights are
 * symmetric int8 stored as {@code [outFeatures][inFeatures]} (row {@code n} is output feature {@code n}),
 * bias int32 at scale {@code sX * sW[n]}. For output element {@code (m, n)}:
 *
 * <pre>
 *   acc = sum_k x[m,k] * w[n,k]  -  zX * sum_k w[n,k]  +  bias[n]        (int32, k ascending)
 *   y[m,n] = clamp(zY + rq(acc, requant[n or 0]))
 * </pre>
 *
 * {@code requant} has one entry (per tensor) or {@code outFeatures} entries (per output channel);
 * {@code [min, max]} is the output clamp (a fused Relu/Clip narrows it).
 *
 * <p>Weights may be empty: a <em>hollow</em> op, which is what a trace's op leaf read back from bytes holds when it
 * commits the weights by rows. A program refuses a hollow op, so one never runs.
 */
public record QLinear(String input, String output, int inFeatures, int outFeatures, byte[] weights, int[] bias,
                      List<Requantization> requant, int min, int max) implements Op {
    public QLinear {
        Op.checkName(input);
        Op.checkName(output);
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("QLinear needs at least one input and one output feature");
        }
        if (weights.length != 0 && (long) inFeatures * outFeatures != weights.length) {
            throw new IllegalArgumentException("QLinear weights: expected " + ((long) inFeatures * outFeatures)
                    + " values, got " + weights.length);
        }
        if (bias.length != outFeatures) {
            throw new IllegalArgumentException("QLinear bias: expected " + outFeatures + " values, got " + bias.length);
        }
        requant = List.copyOf(requant);
        if (requant.size() != 1 && requant.size() != outFeatures) {
            throw new IllegalArgumentException("QLinear requant: expected 1 or " + outFeatures + " entries, got "
                    + requant.size());
        }
        Op.checkRange(min, max);
        weights = weights.clone();
        bias = bias.clone();
    }

    /** Whether the op holds no weights (see the class comment). */
    public boolean hollow() {
        return weights.length == 0;
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
