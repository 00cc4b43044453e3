package dev.verity.inference.program;

import java.util.List;

/**
 * Rows of an int8 table by index (token and position embeddings): {@code table} is {@code [rows, width]},
 * {@code indices} INT32 of any shape {@code S}, the output {@code [S..., width]} with the table's
 * quantization: {@code y[i, j] = table[indices[i], j]}. An index outside {@code [0, rows)} reads a row of the
 * table's zero point (real 0), so the op is defined for every input; callers check token ids first.
 */
public record Gather(String table, String indices, String output) implements Op {
    public Gather {
        Op.checkName(table);
        Op.checkName(indices);
        Op.checkName(output);
    }

    @Override
    public List<String> inputs() {
        return List.of(table, indices);
    }
}
