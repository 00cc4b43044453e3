package dev.verity.inference.program;

import java.util.List;

/**
 * Element-wise subtraction {@code a - b}, as {@link QAdd} with {@code b}'s term subtracted:
 * {@code acc = (a - zA) * multiplierA - (b - zB) * multiplierB}, {@code y = clamp(zY + shiftRoundHalfEven(acc, shift))}.
 */
public record QSub(String a, String b, String output, int multiplierA, int multiplierB, int shift, int min, int max)
        implements Op {
    public QSub {
        QAdd.check(a, b, output, multiplierA, multiplierB, shift, min, max);
    }

    @Override
    public List<String> inputs() {
        return List.of(a, b);
    }
}
