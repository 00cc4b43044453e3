package dev.verity.compute.verify;

import dev.verity.core.Hash;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.inference.trace.OneStepProver;
import dev.verity.inference.trace.OneStepVerifier;
import dev.verity.inference.trace.ProgramCommitment;
import dev.verity.inference.trace.StepWitness;
import dev.verity.inference.trace.TraceValues;
import dev.verity.inference.generate.TokenListener;
import dev.verity.modelhub.lm.quantize.DecoderQuantizer;
import java.util.Optional;

/**
 * A model package's integer program, ready to trace jobs: the engine that runs it and the commitment the
 * chain checks single steps against. Immutable, so one instance serves every thread.
 */
public final class IntegerProgram implements ProvableProgram {
    private final Hash model;
    private final IntegerEngine engine;
    private final ProgramCommitment commitment;

    private IntegerProgram(Hash model, IntegerEngine engine, ProgramCommitment commitment) {
        this.model = model;
        this.engine = engine;
        this.commitment = commitment;
    }

    public static IntegerProgram of(ModelPackage pkg) {
        return new IntegerProgram(pkg.id(), new IntegerEngine(pkg.program(), EngineOptions.VECTORIZED),
                new ProgramCommitment(pkg.program()));
    }

    /**
     * The provable program of a package: this class for a program of one input, a {@link GenerationProgram} for a
     * decoder's step program (the model's end token {@code endToken}, or {@code GenerationParameters.NO_END_TOKEN}),
     * for the model registered as {@code model}.
     */
    public static ProvableProgram of(Hash model, ModelPackage pkg, int endToken) {
        if (pkg.program().inputs().size() == 1) {
            return new IntegerProgram(model, new IntegerEngine(pkg.program(), EngineOptions.VECTORIZED),
                    new ProgramCommitment(pkg.program()));
        }
        return new GenerationProgram(model, DecoderQuantizer.stepOf(pkg.program()), endToken);
    }

    @Override
    public Hash model() {
        return model;
    }

    @Override
    public ProgramCommitment commitment() {
        return commitment;
    }

    /** The trace values and output of one job input. */
    public TraceValues trace(byte[] jobInput) {
        return TraceValues.compute(engine, jobInput);
    }

    @Override
    public TraceValues trace(Hash job, byte[] input, TraceCheat cheat, TokenListener tokens) {
        TraceValues honest = trace(input);
        return cheat == null ? honest : cheat.apply(job, honest);
    }

    @Override
    public byte[] witness(Hash job, byte[] input, long index) {
        return witness(input, Math.toIntExact(index)).encode();
    }

    @Override
    public Optional<String> inputRefusal(Hash job, byte[] input) {
        return inputRefusal(input);
    }

    @Override
    public byte[] refusalEvidence() {
        return inputWitness().encode();
    }

    /** The witness that proves trace index {@code index} of the job with this input. */
    public StepWitness witness(byte[] jobInput, int index) {
        return OneStepProver.witness(engine, commitment, jobInput, index);
    }

    /** The witness of trace index 0: the program's io leaf and its path to the program root (no job input in it). */
    public StepWitness.InputWitness inputWitness() {
        return new StepWitness.InputWitness(commitment.ioLeaf(), commitment.ioPath());
    }

    /**
     * Why the integer engine refuses {@code jobInput}, decided exactly as the chain decides a provable job's input
     * refusal (trace index 0 executed against this program's root with {@link #inputWitness()}); empty when the engine
     * takes the input, and the job must be answered with a result.
     */
    public Optional<String> inputRefusal(byte[] jobInput) {
        return OneStepVerifier.inputRefusal(commitment.root(), commitment.leafCount(), commitment.stepCount(), jobInput,
                inputWitness());
    }
}
