package dev.verity.inference.program;

import java.util.List;

/**
 * Element-wise multiplication with broadcasting: {@code y = clamp(zY + rq((a - zA) * (b - zB), requant))},
 * {@code requant ~ sA * sB / sY}.
 */
public record QMul(String a, String b, String output, Requantization requant, int min, int max) implements Op {
    public QMul {
        Op.checkName(a);
        Op.checkName(b);
        Op.checkName(output);
        if (requant == null) {
            throw new IllegalArgumentException("QMul needs a requantization");
        }
        Op.checkRange(min, max);
    }

    @Override
    public List<String> inputs() {
        return List.of(a, b);
    }
}
