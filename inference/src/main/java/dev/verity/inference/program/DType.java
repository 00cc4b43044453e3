package dev.verity.inference.program;

/**
 * Element types of integer tensors. Activations are {@link #INT8}; {@link #INT16} is available for
 * tensors that need more resolution (layout ops carry any type); {@link #INT32} holds accumulators and
 * biases. The code is the byte used in every canonical encoding; elements are encoded two's complement,
 * big-endian, {@link #width()} bytes each.
 */
public enum DType {
    INT8(1, 1, -128, 127),
    INT16(2, 2, -32768, 32767),
    INT32(3, 4, Integer.MIN_VALUE, Integer.MAX_VALUE);

    private final int code;
    private final int width;
    private final int min;
    private final int max;

    DType(int code, int width, int min, int max) {
        this.code = code;
        this.width = width;
        this.min = min;
        this.max = max;
    }

    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int width() {
        return width;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public static DType fromCode(int code) {
        return switch (code) {
            case 1 -> INT8;
            case 2 -> INT16;
            case 3 -> INT32;
            default -> throw new IllegalArgumentException("unknown dtype code " + code);
        };
    }
}
