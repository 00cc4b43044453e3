package dev.verity.economics.sim;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
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
import dev.verity.inference.trace.TraceValues;
import dev.verity.proofs.trace.TraceClaim;
import dev.verity.proofs.trace.TraceTree;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The model every simulated job runs: a two-layer int8 network (16 inputs, 32 hidden units, 4 outputs) on the
 * real integer engine, sliced into 9 steps, so a job's trace has 11 values. Its inputs are 64 bytes, so a month
 * of jobs fits in memory. On chain it is registered with a much larger declared compute-unit count (by default
 * 5 x 10^15 per job, 50 seconds of an H100): the chain prices and the simulated nodes spend time by that figure,
 * while the evidence (outputs, trace claims, audits) is computed from this small program for real.
 *
 * <p>Jobs draw their input from {@value #INPUTS} fixed inputs, whose traces are computed up front; after that it only
 * reads, so the signing threads share it.
 */
public final class SimProgram {
    public static final int INPUT_FEATURES = 16;
    public static final int INPUT_BYTES = 4 * INPUT_FEATURES;
    /** The number of distinct job inputs. */
    public static final int INPUTS = 64;
    /** The model's id on chain: the hash of the program's description, as a model file hash would be. */
    public static final Hash MODEL = Sha256.digest(Bytes.utf8("verity simulator model: int8 MLP 16-32-4, weight seed 7"));

    private static final int HIDDEN = 32;
    private static final int OUTPUTS = 4;

    private final Program program;
    private final IntegerEngine engine;
    private final ProgramCommitment commitment;
    private final byte[][] inputs = new byte[INPUTS][];
    private final Hash[] inputHashes = new Hash[INPUTS];
    private final TraceValues[] traces = new TraceValues[INPUTS];

    public SimProgram() {
        program = build();
        engine = new IntegerEngine(program, EngineOptions.SCALAR);
        commitment = new ProgramCommitment(program);
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < INPUTS; i++) {
            inputs[i] = input(rnd);
            inputHashes[i] = Sha256.digest(inputs[i]);
            traces[i] = TraceValues.compute(engine, inputs[i]);
        }
    }

    public ProgramCommitment commitment() {
        return commitment;
    }

    /** The bytes of input {@code index}. */
    public byte[] input(int index) {
        return inputs[index].clone();
    }

    public Hash inputHash(int index) {
        return inputHashes[index];
    }

    /** The output bytes of input {@code index}: the engine's first output, dequantized. */
    public byte[] output(int index) {
        return trace(index).output();
    }

    public Hash outputHash(int index) {
        return trace(index).values().get(trace(index).values().size() - 1);
    }

    /** The trace claim (root and output path) of the tree {@code resultNode} commits for {@code job} on input {@code index}. */
    public byte[] traceClaim(Hash job, PublicKey resultNode, int index) {
        return TraceClaim.of(new TraceTree(job, resultNode, trace(index).values())).encode();
    }

    private TraceValues trace(int index) {
        return traces[index];
    }

    private static Program build() {
        SplittableRandom rnd = new SplittableRandom(7);
        Quantization q = new Quantization(0, new Requantization(1 << 30, 6)); // scale 1/128
        List<TensorSpec> tensors = List.of(
                new TensorSpec("x", DType.INT8, new int[] {1, INPUT_FEATURES}, q),
                new TensorSpec("h", DType.INT8, new int[] {1, HIDDEN}, q),
                new TensorSpec("y", DType.INT8, new int[] {1, OUTPUTS}, q));
        List<Op> ops = new ArrayList<>();
        ops.add(new QLinear("x", "h", INPUT_FEATURES, HIDDEN, weights(rnd, HIDDEN * INPUT_FEATURES), new int[HIDDEN],
                List.of(new Requantization(1 << 30, 6)), -128, 127));
        ops.add(new QLinear("h", "y", HIDDEN, OUTPUTS, weights(rnd, OUTPUTS * HIDDEN), new int[OUTPUTS],
                List.of(new Requantization(1 << 30, 6)), -128, 127));
        return new Program(tensors, List.of("x"), List.of("y"), List.<Constant>of(), ops, 4);
    }

    private static byte[] weights(SplittableRandom rnd, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (rnd.nextInt(255) - 127);
        }
        return b;
    }

    /** 16 float32 values in [-1, 1), little-endian. */
    private static byte[] input(SplittableRandom rnd) {
        ByteBuffer b = ByteBuffer.allocate(INPUT_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < INPUT_FEATURES; i++) {
            b.putFloat(rnd.nextInt(256) / 128f - 1f);
        }
        return b.array();
    }
}
