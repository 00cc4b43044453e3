package dev.verity.inference.trace;

import dev.verity.inference.program.Gather;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.QConv2d;
import dev.verity.inference.program.QLinear;
import dev.verity.inference.program.QMatMul;
import dev.verity.inference.program.Tensor;
import dev.verity.inference.program.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;

/**
 * Which rows (along dimension 0) of each tensor an op leaf commits by rows one step reads: a pure function of the op
 * leaf, the slice and the tensors the step is given in full, which the prover and the verifier both evaluate. A step
 * of slice {@code j} computes the output's flat elements {@code [j·S, min(E, (j+1)·S))}, {@code S = sliceElements},
 * and reads:
 *
 * <ul>
 *   <li>the weights of a {@code QLinear} (rows = output features): row {@code e mod outFeatures} for each element
 *       {@code e};</li>
 *   <li>the weights of a {@code QConv2d} (rows = output channels): the channel {@code (e / (OH·OW)) mod Cout};</li>
 *   <li>the table of a {@code Gather}: the row {@code indices[e / width]} where it lies in {@code [0, rows)} (an index
 *       outside reads the zero point, no row); every row if the indices are themselves committed by rows;</li>
 *   <li>an operand of a {@code QMatMul} {@code [..., M, K] × [..., N, K]} (transposed) or {@code [..., K, N]}: for the
 *       element in flat row {@code r = e / N} (batch {@code g = r / M}) and column {@code n = e mod N}, the dimension-0
 *       row of {@code a} holding flat row {@code r}, and of {@code b} the one holding flat row {@code g·N + n}
 *       (transposed) or batch {@code g}'s block (every row of a rank-2 {@code b} not transposed: each column spans
 *       them all);</li>
 *   <li>any other operand, of any other op: every row.</li>
 * </ul>
 *
 * A constant read by several operands of one op reads the union. The kernels read nothing else of these tensors that
 * reaches the slice's elements, so a tensor rebuilt from exactly these rows, zeros elsewhere, gives the slice's output.
 */
final class RowReads {
    private RowReads() {}

    /**
     * For each tensor {@code leaf} commits by rows ({@link OpLeaf#rowCommitted()} order), the rows step {@code slice}
     * reads, ascending. {@code full} holds the tensors the step is given in full: its non-constant inputs and the leaf's
     * inline constants.
     */
    static List<int[]> rows(OpLeaf leaf, int slice, SortedMap<String, Tensor> full) {
        int elements = leaf.output().elementCount();
        int from = (int) Math.min((long) slice * leaf.sliceElements(), elements);
        int to = (int) Math.min((long) (slice + 1) * leaf.sliceElements(), elements);
        List<int[]> out = new ArrayList<>();
        for (OpLeaf.CommittedTensor c : leaf.rowCommitted()) {
            boolean[] read = new boolean[c.rowCount()];
            if (c == leaf.weights()) {
                weightRows(leaf.op(), leaf.output(), from, to, read);
            } else {
                List<String> operands = leaf.op().inputs();
                for (int j = 0; j < operands.size(); j++) {
                    if (operands.get(j).equals(c.spec().name())) {
                        operandRows(leaf, j, c.spec(), from, to, full, read);
                    }
                }
            }
            out.add(ascending(read));
        }
        return List.copyOf(out);
    }

    private static void weightRows(Op op, TensorSpec output, int from, int to, boolean[] read) {
        switch (op) {
            case QLinear q -> {
                for (int e = from; e < to && e - from < q.outFeatures(); e++) {
                    read[e % q.outFeatures()] = true;
                }
            }
            case QConv2d c -> {
                int plane = output.dim(2) * output.dim(3);
                int channels = c.outChannels();
                for (int e = from; e < to; e++) {
                    read[(e / plane) % channels] = true;
                }
            }
            default -> throw new IllegalArgumentException(op.kind() + " has no weights");
        }
    }

    private static void operandRows(OpLeaf leaf, int operand, TensorSpec spec, int from, int to,
                                    SortedMap<String, Tensor> full, boolean[] read) {
        Op op = leaf.op();
        if (op instanceof Gather g && operand == 0) {
            Tensor indices = full.get(g.indices());
            if (indices != null) {
                int width = spec.dim(1);
                int rows = spec.dim(0);
                for (int e = from; e < to; e++) {
                    int row = indices.get(e / width);
                    if (row >= 0 && row < rows) {
                        read[row] = true;
                    }
                }
                return;
            }
        } else if (op instanceof QMatMul m) {
            matMulRows(m, leaf.output(), operand, spec, from, to, read);
            return;
        }
        Arrays.fill(read, true);
    }

    private static void matMulRows(QMatMul m, TensorSpec output, int operand, TensorSpec spec, int from, int to,
                                   boolean[] read) {
        int rank = output.rank();
        int n = output.dim(rank - 1);
        int rows = output.dim(rank - 2);
        int stride0 = spec.elementCount() / spec.dim(0); // elements per dimension-0 row of the operand
        if (operand == 0) {
            int depth = spec.dim(rank - 1);
            for (int e = from; e < to; e++) {
                read[(int) ((long) (e / n) * depth / stride0)] = true;
            }
        } else if (m.transposeB()) {
            int depth = spec.dim(rank - 1);
            for (int e = from; e < to; e++) {
                int row = e / n;
                int batch = row / rows;
                read[(int) (((long) batch * n + (e - row * n)) * depth / stride0)] = true;
            }
        } else if (rank == 2) {
            if (from < to) {
                Arrays.fill(read, true);
            }
        } else {
            int depth = spec.dim(rank - 2);
            for (int e = from; e < to; e++) {
                int batch = e / n / rows;
                read[(int) ((long) batch * depth * n / stride0)] = true;
            }
        }
    }

    private static int[] ascending(boolean[] read) {
        int count = 0;
        for (boolean r : read) {
            count += r ? 1 : 0;
        }
        int[] out = new int[count];
        int k = 0;
        for (int i = 0; i < read.length; i++) {
            if (read[i]) {
                out[k++] = i;
            }
        }
        return out;
    }
}
