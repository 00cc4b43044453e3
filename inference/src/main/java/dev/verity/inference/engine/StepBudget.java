package dev.verity.inference.engine;

import dev.verity.inference.program.Op;
import dev.verity.inference.program.QConv2d;
import dev.verity.inference.program.QLinear;
import dev.verity.inference.program.TensorSpec;
import java.util.Map;

/**
 * How many output elements one engine step of an op computes: the program's {@code sliceElements}, and fewer when the op
 * reads a <em>large</em> tensor (a constant, or a {@code QLinear}'s or {@code QConv2d}'s weights, of more than
 * {@value #ROWS_THRESHOLD_BYTES} bytes), which a trace commits row by row along dimension 0 and a step's proof opens
 * only where it reads: then at most {@code max(1, READ_BYTES_PER_STEP / rowBytes)} elements, {@code rowBytes} the widest
 * row of such a tensor. Each output element of the ops that read rows selectively (a fully connected output channel, a
 * convolution channel, a gathered embedding, a logit of a tied head) reads at most one row of each, so a step's proof
 * opens about {@value #READ_BYTES_PER_STEP} bytes of rows at most, however large the model.
 */
public final class StepBudget {
    /** Tensors larger than this are committed by rows in a trace. */
    public static final int ROWS_THRESHOLD_BYTES = 4096;
    /** The bytes of rows one step may read, about. */
    public static final int READ_BYTES_PER_STEP = 64 * 1024;

    private StepBudget() {}

    /**
     * Output elements per step of {@code op}, whose program slices by {@code sliceElements}; {@code specs} holds every
     * tensor's spec and {@code constants} says which names are constants.
     */
    public static int sliceElements(Op op, int sliceElements, Map<String, TensorSpec> specs,
                                    java.util.function.Predicate<String> constants) {
        long widest = 0;
        for (String in : op.inputs()) {
            TensorSpec s = specs.get(in);
            if (s != null && constants.test(in)) {
                widest = Math.max(widest, rowBytes(s));
            }
        }
        widest = Math.max(widest, weightRowBytes(op));
        if (widest == 0) {
            return sliceElements;
        }
        return (int) Math.min(sliceElements, Math.max(1, READ_BYTES_PER_STEP / widest));
    }

    /** The bytes of one row of a large tensor, or 0 for a tensor of at most {@link #ROWS_THRESHOLD_BYTES} bytes. */
    static long rowBytes(TensorSpec s) {
        long bytes = (long) s.elementCount() * s.dtype().width();
        if (bytes <= ROWS_THRESHOLD_BYTES) {
            return 0;
        }
        return s.rank() == 0 || s.dim(0) == 0 ? bytes : bytes / s.dim(0);
    }

    /** The bytes of one output channel's weights of a QLinear or QConv2d with more than the threshold, else 0. */
    static long weightRowBytes(Op op) {
        long rows;
        long row;
        switch (op) {
            case QLinear q -> {
                rows = q.outFeatures();
                row = q.inFeatures();
            }
            case QConv2d c -> {
                rows = c.outChannels();
                row = (long) c.inChannelsPerGroup() * c.window().kernelH() * c.window().kernelW();
            }
            default -> {
                return 0;
            }
        }
        return rows * row > ROWS_THRESHOLD_BYTES ? row : 0;
    }
}
