package dev.verity.inference.program;

import dev.verity.core.Coded;

/**
 * Element types of integer tensors. Activations are {@link #INT8}; {@link #INT16} is available for
 * tensors that need more resolution (layout ops carry any type); {@link #INT32} holds accumulators and
 * biases. The code is the byte used in every canonical encoding; elements are encoded two's complement,
 * big-endian, {@link #width()} bytes each.
 */
public enum DType implements Coded {
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

    /** The stable code of this type in program, leaf and witness bytes (consensus: never renumbered). */
    @Override
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

    /** The type with this code; a {@link dev.verity.core.DecodingException} if none has it. */
    public static DType fromCode(int code) {
        return Coded.fromCode(values(), code, "dtype");
    }
}
