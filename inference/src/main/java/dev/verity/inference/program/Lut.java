package dev.verity.inference.program;

import java.util.List;

/**
 * An int8 to int8 function by table (Sigmoid, Tanh): {@code y = table[x + 128]}. The quantizer builds
 * the 256 entries at import as {@code quantize_Y(f(dequantize_X(x)))}.
 */
public record Lut(String input, String output, byte[] table) implements Op {
    public Lut {
        Op.checkName(input);
        Op.checkName(output);
        if (table.length != 256) {
            throw new IllegalArgumentException("a lookup table has 256 entries, got " + table.length);
        }
        table = table.clone();
    }

    @Override
    public byte[] table() {
        return table.clone();
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }
}
