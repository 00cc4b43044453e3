package dev.verity.inference.program;

import java.util.List;

/**
 * Layer normalization over the last axis ({@code N = gamma.length} elements) in integers only. For each row
 * {@code x[0..N)} with zero point {@code zX}:
 *
 * <pre>
 *   d[i] = x[i] - zX                        S1 = sum d[i],  S2 = sum d[i]^2          (64 bits)
 *   T    = N * S2 - S1^2                    (= N^2 * variance, in squared input units; >= 0)
 *   V    = max(1, T + epsilon)              (epsilon = round(N^2 * eps / sX^2), chosen at import)
 *   r    = floor(2^31 / sqrt(V))            = isqrt(floor(2^62 / V)), isqrt the exact floor square root
 *   c[i] = N * d[i] - S1                    (= N * (d[i] - mean))
 *   n[i] = roundHalfEven(c[i] * r / 2^15)   (the normalized value in Q16: c[i] / sqrt(V) * 2^16)
 *   y[i] = clamp(zY + rq(n[i] * gamma[i] + beta[i], requant), -128, 127)
 * </pre>
 *
 * {@code gamma} is the scale in fixed point ({@code γ = gamma * sG}, {@code |gamma| <= 32767}), {@code beta} the
 * bias at scale {@code sG / 2^16}, and {@code requant ~ sG / (2^16 * sY)}. The one rounding of the square root
 * is the floor of {@code r}, a relative error below {@code 1 / r}: under {@code 2^-13} for rows of up to 768
 * elements. Overflow is impossible: with {@code N <= } {@link #MAX_WIDTH}, {@code T < 2^48},
 * {@code |c[i]| < 2^25}, {@code |c[i] * r| < 2^56}, {@code |n[i]| <= sqrt(N) * 2^16 <= 2^24} and the sum
 * {@code n * gamma + beta} stays below {@code 2^40}.
 */
public record LayerNorm(String input, String output, int[] gamma, int[] beta, int epsilon, Requantization requant)
        implements Op {
    /** Longest normalized row. */
    public static final int MAX_WIDTH = 1 << 16;
    /** Largest magnitude of a {@code gamma} entry. */
    public static final int MAX_GAMMA = 32_767;
    /** Fraction bits of the normalized value {@code n}. */
    public static final int FRACTION_BITS = 16;

    public LayerNorm {
        Op.checkName(input);
        Op.checkName(output);
        if (gamma.length < 1 || gamma.length > MAX_WIDTH || beta.length != gamma.length) {
            throw new IllegalArgumentException("LayerNorm needs 1 to " + MAX_WIDTH + " gamma values and as many beta "
                    + "values, got " + gamma.length + " and " + beta.length);
        }
        for (int g : gamma) {
            if (Math.abs(g) > MAX_GAMMA) {
                throw new IllegalArgumentException("LayerNorm gamma " + g + " outside [-" + MAX_GAMMA + ", " + MAX_GAMMA + "]");
            }
        }
        if (epsilon < 0) {
            throw new IllegalArgumentException("LayerNorm epsilon must not be negative, got " + epsilon);
        }
        if (requant == null) {
            throw new IllegalArgumentException("LayerNorm needs a requantization");
        }
        gamma = gamma.clone();
        beta = beta.clone();
    }

    /** The row length. */
    public int width() {
        return gamma.length;
    }

    @Override
    public int[] gamma() {
        return gamma.clone();
    }

    @Override
    public int[] beta() {
        return beta.clone();
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }
}
