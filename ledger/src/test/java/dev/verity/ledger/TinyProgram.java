package dev.verity.ledger;

import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.program.Constant;
import dev.verity.inference.program.DType;
import dev.verity.inference.program.Op;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.QLinear;
import dev.verity.inference.program.Quantization;
import dev.verity.inference.program.Requantization;
import dev.verity.inference.program.TensorSpec;
import dev.verity.inference.trace.ProgramCommitment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A two-layer int8 network (16 inputs, 32 hidden, 4 outputs) sliced into 10 engine steps, so a trace has
 * 12 values. Hidden unit 0 has no outgoing weight: changing it changes the intermediate states but never
 * the output, which is how a test builds "a wrong intermediate step that gives the right output".
 */
final class TinyProgram {
    static final int INPUTS = 16;
    static final int HIDDEN = 32;
    static final int OUTPUTS = 4;
    static final Program PROGRAM = build();
    static final IntegerEngine ENGINE = new IntegerEngine(PROGRAM, EngineOptions.SCALAR);
    static final ProgramCommitment COMMITMENT = new ProgramCommitment(PROGRAM);

    private TinyProgram() {}

    private static Program build() {
        Random rnd = new Random(7);
        Quantization q = new Quantization(0, new Requantization(1 << 30, 6)); // scale 1/128
        List<TensorSpec> tensors = List.of(
                new TensorSpec("x", DType.INT8, new int[] {1, INPUTS}, q),
                new TensorSpec("h", DType.INT8, new int[] {1, HIDDEN}, q),
                new TensorSpec("y", DType.INT8, new int[] {1, OUTPUTS}, q));
        byte[] w1 = bytes(rnd, HIDDEN * INPUTS);
        byte[] w2 = bytes(rnd, OUTPUTS * HIDDEN);
        for (int o = 0; o < OUTPUTS; o++) {
            w2[o * HIDDEN] = 0;
        }
        List<Op> ops = new ArrayList<>();
        ops.add(new QLinear("x", "h", INPUTS, HIDDEN, w1, new int[HIDDEN], List.of(new Requantization(1 << 30, 6)), -128, 127));
        ops.add(new QLinear("h", "y", HIDDEN, OUTPUTS, w2, new int[OUTPUTS], List.of(new Requantization(1 << 30, 6)), -128,
                127));
        return new Program(tensors, List.of("x"), List.of("y"), List.<Constant>of(), ops, 4);
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (rnd.nextInt(255) - 127);
        }
        return b;
    }

    /** A job input: 16 float32 values in [-1, 1), little-endian. */
    static byte[] input(Random rnd) {
        ByteBuffer b = ByteBuffer.allocate(4 * INPUTS).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < INPUTS; i++) {
            b.putFloat(rnd.nextInt(256) / 128f - 1f);
        }
        return b.array();
    }
}
