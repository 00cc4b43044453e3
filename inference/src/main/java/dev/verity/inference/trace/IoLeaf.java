package dev.verity.inference.trace;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import dev.verity.inference.program.ProgramCodec;
import dev.verity.inference.program.TensorSpec;
import java.util.List;

/**
 * Leaf 0 of a {@link ProgramCommitment}: what the first and last transitions of a trace need, namely how job
 * bytes become the initial state and how the final state becomes the job output, and the trace's size.
 *
 * <pre>
 *   string "verity.inference.trace.io.v1"
 *   tensorSpec input                   the program's single input (ProgramCodec's tensorSpec)
 *   tensorSpec output                  the program's first output, whose dequantized values are the job output
 *   u32 n, n x string                  every program output, sorted: the names of the final state
 *   u32 stepCount                      the plan size
 *   u32 opCount
 * </pre>
 *
 * @param outputNames the program outputs in ascending name order
 */
public record IoLeaf(TensorSpec input, TensorSpec output, List<String> outputNames, int stepCount, int opCount) {
    static final String TAG = "verity.inference.trace.io.v1";

    public IoLeaf {
        if (input == null || output == null || outputNames == null) {
            throw new IllegalArgumentException("an io leaf needs the input spec, the output spec and the output names");
        }
        outputNames = List.copyOf(outputNames);
        Names.requireAscending(outputNames, "output names");
        if (!outputNames.contains(output.name())) {
            throw new IllegalArgumentException("the first output '" + output.name() + "' is not among the outputs "
                    + outputNames);
        }
        if (stepCount < 0 || opCount < 0) {
            throw new IllegalArgumentException("negative step or op count: " + stepCount + ", " + opCount);
        }
    }

    public byte[] encode() {
        Encoder e = new Encoder(256);
        e.string(TAG);
        ProgramCodec.writeSpec(e, input);
        ProgramCodec.writeSpec(e, output);
        e.list(outputNames, Encoder::string);
        e.u32(stepCount);
        e.u32(opCount);
        return e.toByteArray();
    }

    /** Reads {@link #encode()}'s bytes, strictly (nothing may follow). */
    public static IoLeaf decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        Names.tag(d, TAG, "io leaf");
        TensorSpec input = ProgramCodec.readSpec(d);
        TensorSpec output = ProgramCodec.readSpec(d);
        List<String> outputs = ProgramCodec.list(d, "io leaf output names", 5, x -> ProgramCodec.name(x, "output name"));
        int steps = d.u31("io leaf step count");
        int ops = d.u31("io leaf op count");
        d.end("io leaf");
        return ProgramCodec.guard("io leaf", () -> new IoLeaf(input, output, outputs, steps, ops));
    }
}
