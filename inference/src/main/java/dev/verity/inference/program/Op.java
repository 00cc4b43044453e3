package dev.verity.inference.program;

import dev.verity.core.Bytes;
import java.util.List;

/**
 * One operation of a quantized integer program. Every op reads named tensors (activations or program
 * constants) and writes exactly one new tensor, {@link #output()}. Zero points come from the tensors'
 * {@link TensorSpec}s; scale changes are folded into each op's fixed-point factors. Every op computes
 * each output element from its inputs alone, so any contiguous range of output elements can be
 * computed on its own (the engine's slices).
 *
 * <p>In the formulas: {@code zA}, {@code zB}, {@code zX}, {@code zY} are the zero points of the inputs and
 * output, {@code rq(v, r)} is {@link dev.verity.inference.Requantize#requantize(long, int, int)},
 * {@code clamp(v)} clamps to the op's {@code [min, max]} (or to the output type's range for ops without
 * one), and int32 sums wrap (two's complement), identically in the scalar and vector kernels.
 */
public sealed interface Op permits QLinear, QConv2d, QAdd, QSub, QMul, Rescale, Clamp, LeakyRelu, Lut, MaxPool,
        AveragePool, Softmax, Reshape, Transpose, Concat, QMatMul, LayerNorm, CausalSoftmax, Gather, CacheWrite {

    /** The tensors read, in operand order. */
    List<String> inputs();

    /** The tensor written. */
    String output();

    /** The op's kind as a short name ("QLinear", "QConv2d", ...), for messages and metadata. */
    default String kind() {
        return getClass().getSimpleName();
    }

    static void checkRange(int min, int max) {
        if (min > max || min < -128 || max > 127) {
            throw new IllegalArgumentException("clamp range [" + min + ", " + max + "] is not within [-128, 127]");
        }
    }

    /** Tensor names are non-empty and at most {@link ProgramCodec#MAX_NAME_BYTES} UTF-8 bytes. */
    static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor names must not be empty");
        }
        if (name.length() > ProgramCodec.MAX_NAME_BYTES / 3 && Bytes.utf8(name).length > ProgramCodec.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("tensor name longer than " + ProgramCodec.MAX_NAME_BYTES + " UTF-8 bytes");
        }
    }
}
