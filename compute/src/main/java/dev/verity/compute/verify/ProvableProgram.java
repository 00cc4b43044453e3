package dev.verity.compute.verify;

import dev.verity.core.Hash;
import dev.verity.inference.generate.TokenListener;
import dev.verity.inference.trace.CommittedProgram;
import dev.verity.inference.trace.TraceValues;
import dev.verity.sdk.api.ProgramView;
import java.util.Optional;

/**
 * A model's integer program as a node traces, proves and refuses its jobs: one run of a program per job
 * ({@link IntegerProgram}), or a decoder's step program run once per token of a generation ({@link GenerationProgram}).
 * Immutable, so one instance serves every thread.
 */
public sealed interface ProvableProgram permits IntegerProgram, GenerationProgram {
    Hash model();

    /** What the chain registered for the model: root, leaf count and step count. */
    CommittedProgram commitment();

    /**
     * The trace values and output of job {@code job} with input {@code input}, cheated {@code cheat}'s way when it is not
     * null; a generation tells {@code tokens} each token as it is drawn.
     *
     * @throws IllegalArgumentException when the integer engine refuses the input
     */
    TraceValues trace(Hash job, byte[] input, TraceCheat cheat, TokenListener tokens);

    /** The encoded witness that proves trace index {@code index} of the honest run of the job. */
    byte[] witness(Hash job, byte[] input, long index);

    /**
     * Why the integer engine refuses the job's input, decided exactly as the chain decides a provable job's input refusal
     * (trace index 0 against this program's root with {@link #refusalEvidence()}); empty when it takes the input.
     */
    Optional<String> inputRefusal(Hash job, byte[] input);

    /** The evidence of an input refusal: the witness of trace index 0, which holds no job input. */
    byte[] refusalEvidence();

    /** Null when the chain's registration is this program; else what differs, in words. */
    default String mismatch(ProgramView registered) {
        CommittedProgram c = commitment();
        if (registered == null) {
            return "the model has no integer program registered on the chain";
        }
        if (!c.root().hex().equals(registered.root()) || c.leafCount() != registered.leafCount()
                || c.stepCount() != registered.stepCount()) {
            return "the chain's program (root " + registered.root() + ", " + registered.leafCount() + " leaves, "
                    + registered.stepCount() + " steps) is not the local package's (root " + c.root().hex() + ", "
                    + c.leafCount() + " leaves, " + c.stepCount() + " steps)";
        }
        return null;
    }
}
