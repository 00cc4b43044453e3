package dev.verity.inference.trace;

import dev.verity.core.Hash;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of one tensor an op leaf commits by rows that a step's witness gives: each row's index and canonical bytes,
 * and one multi-proof of all of them against the tensor's row root ({@link RowCommitment}). The verifier requires
 * exactly the rows the step reads ({@link RowReads}), ascending.
 */
public record WitnessRows(List<Row> rows, List<Hash> proof) {
    public WitnessRows {
        if (rows == null || proof == null || rows.stream().anyMatch(r -> r == null) || proof.stream().anyMatch(h -> h == null)) {
            throw new IllegalArgumentException("witness rows need their rows and their proof, none of them null");
        }
        rows = List.copyOf(rows);
        proof = List.copyOf(proof);
    }

    /** The indices of the rows, in the order given. */
    public int[] indices() {
        return rows.stream().mapToInt(Row::index).toArray();
    }

    /** One row: its index along dimension 0 and its canonical bytes. */
    public record Row(int index, byte[] bytes) {
        public Row {
            if (index < 0 || bytes == null) {
                throw new IllegalArgumentException("a row needs a non-negative index and its bytes");
            }
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Row r && index == r.index && Arrays.equals(bytes, r.bytes);
        }

        @Override
        public int hashCode() {
            return index * 31 + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Row(" + index + ", " + bytes.length + " bytes)";
        }
    }
}
