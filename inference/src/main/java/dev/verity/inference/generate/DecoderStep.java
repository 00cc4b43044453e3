package dev.verity.inference.generate;

import dev.verity.inference.program.DType;
import dev.verity.inference.program.Program;
import dev.verity.inference.program.TensorSpec;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A decoder's forward pass for one new token as a static {@link Program}, with the roles of its tensors.
 *
 * <ul>
 *   <li>{@code tokenInput}: INT32 {@code [1]}, the token fed at this position;</li>
 *   <li>{@code positionInput}: INT32 {@code [1]}, its position {@code p} in {@code [0, contextLength)};</li>
 *   <li>{@code caches}: every other input, each a key or value cache of fixed shape covering all
 *       {@code contextLength} positions (rows {@code >= p} hold whatever they held: the attention mask never
 *       reads them), with its output after the token's row is written;</li>
 *   <li>{@code logitsOutput}: {@code [1, vocabSize]} of any integer type, whose quantization scale (positive, at
 *       least 2^-30) turns logits into nats for sampling.</li>
 * </ul>
 *
 * Generation starts from caches of zeros; a run's cache outputs are the next run's cache inputs.
 */
public record DecoderStep(Program program, String tokenInput, String positionInput, String logitsOutput,
                          List<CacheSlot> caches, int contextLength) {
    public DecoderStep {
        caches = List.copyOf(caches);
        if (contextLength < 1) {
            throw new IllegalArgumentException("the context length must be positive, got " + contextLength);
        }
        if (tokenInput.equals(positionInput)) {
            throw new IllegalArgumentException("token and position need separate inputs, both are '" + tokenInput + "'");
        }
        scalarInput(program, tokenInput, "token");
        scalarInput(program, positionInput, "position");
        TreeSet<String> expected = new TreeSet<>(program.inputs());
        expected.remove(tokenInput);
        expected.remove(positionInput);
        TreeSet<String> given = new TreeSet<>();
        TreeSet<String> outputs = new TreeSet<>(program.outputs());
        for (CacheSlot c : caches) {
            if (!given.add(c.input())) {
                throw new IllegalArgumentException("cache '" + c.input() + "' listed twice");
            }
            if (!outputs.contains(c.output())) {
                throw new IllegalArgumentException("cache output '" + c.output() + "' is not a program output");
            }
            TensorSpec in = program.tensor(c.input());
            TensorSpec out = program.tensor(c.output());
            if (in.dtype() != out.dtype() || !Arrays.equals(in.shape(), out.shape())
                    || !in.quantization().equals(out.quantization())) {
                throw new IllegalArgumentException("cache '" + c.input() + "' is " + in + " but its output is " + out);
            }
        }
        if (!given.equals(expected)) {
            throw new IllegalArgumentException("the program inputs besides token and position " + expected
                    + " must be exactly the cache inputs " + given);
        }
        if (!outputs.contains(logitsOutput)) {
            throw new IllegalArgumentException("logits '" + logitsOutput + "' is not a program output");
        }
        TensorSpec logits = program.tensor(logitsOutput);
        if (logits.rank() != 2 || logits.dim(0) != 1 || logits.dim(1) < 1) {
            throw new IllegalArgumentException("logits must be [1, vocabSize], are " + Arrays.toString(logits.shape()));
        }
        Sampler.checkScale(logits.quantization().scale());
    }

    /** The vocabulary size: the logits' second dimension. */
    public int vocabSize() {
        return program.tensor(logitsOutput).dim(1);
    }

    public TensorSpec logitsSpec() {
        return program.tensor(logitsOutput);
    }

    private static void scalarInput(Program program, String name, String role) {
        if (!program.inputs().contains(name)) {
            throw new IllegalArgumentException("the " + role + " '" + name + "' is not a program input");
        }
        TensorSpec s = program.tensor(name);
        if (s.dtype() != DType.INT32 || !Arrays.equals(s.shape(), new int[] {1})) {
            throw new IllegalArgumentException("the " + role + " '" + name + "' must be INT32 [1], is " + s);
        }
    }
}
