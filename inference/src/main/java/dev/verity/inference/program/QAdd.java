package dev.verity.inference.program;

import java.util.List;

/**
 * Element-wise addition with ONNX multidirectional broadcasting; each operand is rescaled to the output
 * scale by its own integer multiplier, with one common shift and a single rounding:
 *
 * <pre>
 *   acc = (a - zA) * multiplierA + (b - zB) * multiplierB            (int32, cannot overflow)
 *   y   = clamp(zY + shiftRoundHalfEven(acc, shift))
 * </pre>
 *
 * where {@code multiplierA / 2^shift ~ sA / sY} and {@code multiplierB / 2^shift ~ sB / sY}. The
 * multipliers are bounded by {@link #MAX_MULTIPLIER} ({@code < 2^22}) so that with
 * {@code |a - zA|, |b - zB| <= 255} the sum stays below 2^31 in magnitude.
 */
public record QAdd(String a, String b, String output, int multiplierA, int multiplierB, int shift, int min, int max)
        implements Op {
    /** Largest allowed magnitude of an operand multiplier of QAdd/QSub. */
    public static final int MAX_MULTIPLIER = (1 << 22) - 1;

    public QAdd {
        check(a, b, output, multiplierA, multiplierB, shift, min, max);
    }

    static void check(String a, String b, String output, int multiplierA, int multiplierB, int shift, int min, int max) {
        Op.checkName(a);
        Op.checkName(b);
        Op.checkName(output);
        if (Math.abs(multiplierA) > MAX_MULTIPLIER || Math.abs(multiplierB) > MAX_MULTIPLIER) {
            throw new IllegalArgumentException("element-wise multipliers must be at most " + MAX_MULTIPLIER
                    + " in magnitude, got " + multiplierA + ", " + multiplierB);
        }
        if (shift < 0 || shift > 31) {
            throw new IllegalArgumentException("element-wise shift " + shift + " outside [0, 31]");
        }
        Op.checkRange(min, max);
    }

    @Override
    public List<String> inputs() {
        return List.of(a, b);
    }
}
