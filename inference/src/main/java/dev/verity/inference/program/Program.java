package dev.verity.inference.program;

import dev.verity.core.Decoder;
import dev.verity.core.Encoder;
import java.util.List;

/**
 * A quantized integer program: a straight-line sequence of integer ops over named tensors.
 *
 * <ul>
 *   <li>{@code tensors}: every tensor the program names (inputs, constants, op outputs) with its type,
 *       static shape and quantization; names unique;</li>
 *   <li>{@code inputs}: the tensors the caller provides (already quantized);</li>
 *   <li>{@code outputs}: the tensors returned;</li>
 *   <li>{@code constants}: tensors with fixed values (weights of Conv/Gemm live inside their ops);</li>
 *   <li>{@code ops}: in execution order; each op writes one new tensor and reads only inputs, constants
 *       and outputs of earlier ops (single assignment);</li>
 *   <li>{@code sliceElements}: the step granularity, part of the program because it fixes the step
 *       plan and so the step hashes: an op whose output has {@code E} elements runs as
 *       {@code ceil(E / sliceElements)} steps (see {@code IntegerEngine}).</li>
 * </ul>
 *
 * The constructor checks everything the engine relies on ({@link ProgramValidator}), so a program that
 * exists can run. {@link #encode()} is canonical (see {@link ProgramCodec}).
 */
public record Program(List<TensorSpec> tensors, List<String> inputs, List<String> outputs, List<Constant> constants,
                      List<Op> ops, int sliceElements) {
    public Program {
        tensors = List.copyOf(tensors);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        constants = List.copyOf(constants);
        ops = List.copyOf(ops);
        ProgramValidator.validate(tensors, inputs, outputs, constants, ops, sliceElements);
    }

    /** The spec of a tensor, or an exception naming it. */
    public TensorSpec tensor(String name) {
        for (TensorSpec t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no tensor named '" + name + "'");
    }

    /** The canonical encoding (see {@link ProgramCodec}). */
    public byte[] encode() {
        Encoder e = new Encoder(1024);
        ProgramCodec.write(e, this);
        return e.toByteArray();
    }

    /** Reads {@link #encode()}'s output; any malformation is a {@link dev.verity.core.DecodingException}. */
    public static Program decode(byte[] bytes) {
        Decoder d = new Decoder(bytes);
        Program p = ProgramCodec.read(d);
        d.end("program");
        return p;
    }

    /** Distinct op kinds, sorted. */
    public List<String> opKinds() {
        return ops.stream().map(Op::kind).distinct().sorted().toList();
    }

    /** Multiply-accumulates of one run: the sum over QLinear, QConv2d and QMatMul of output elements times reduction length. */
    public long multiplyAccumulates() {
        long total = 0;
        for (Op op : ops) {
            if (op instanceof QLinear q) {
                total += (long) tensor(q.output()).elementCount() * q.inFeatures();
            } else if (op instanceof QConv2d c) {
                total += (long) tensor(c.output()).elementCount() * c.inChannelsPerGroup() * c.window().kernelH()
                        * c.window().kernelW();
            } else if (op instanceof QMatMul m) {
                TensorSpec a = tensor(m.a());
                total += (long) tensor(m.output()).elementCount() * a.dim(a.rank() - 1);
            }
        }
        return total;
    }
}
