package dev.verity.inference.program;

import java.util.List;

/**
 * Average pooling (and GlobalAveragePool, as a window the size of the input plane) over NCHW int8.
 * Input and output share their quantization, so the mean needs no rescaling and is exact up to one
 * rounding: {@code y = divRoundHalfEven(sum, count)} where {@code sum} adds (in 64 bits) the input
 * elements inside the input and, when {@code countIncludePad}, {@code zX} for each window position in
 * the declared padding; {@code count} is the number of positions summed.
 */
public record AveragePool(String input, String output, Window2d window, boolean countIncludePad) implements Op {
    public AveragePool {
        Op.checkName(input);
        Op.checkName(output);
        if (window == null) {
            throw new IllegalArgumentException("AveragePool needs a window");
        }
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }
}
