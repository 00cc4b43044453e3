package dev.verity.ledger.evidence;

import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.inference.generate.GenerationJob;
import dev.verity.inference.trace.GenerationStepVerifier;
import dev.verity.inference.trace.GenerationTrace;
import dev.verity.inference.trace.GenerationWitness;
import dev.verity.inference.trace.OneStepVerifier;
import dev.verity.inference.trace.StepRejectedException;
import dev.verity.inference.trace.StepWitness;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.ModelRecord;
import dev.verity.ledger.state.ProgramRecord;
import dev.verity.protocol.generation.GenerationRequest;
import dev.verity.protocol.schema.InputSchema;
import java.util.Optional;

/**
 * The trace of a provable job as the chain checks it: a single run of the model's program ({@code n + 2} values, one
 * step witness per transition) or, for a model whose input schema is token generation, every forward pass of its step
 * program ({@link GenerationTrace}: the size follows from the prompt's length and the request's maximum, never from the
 * result, so both parties' trees have the same shape).
 */
public final class ProvableTrace {
    private ProvableTrace() {}

    /** The generation job of {@code job}, when its model generates tokens; its input passed the schema at submission. */
    public static Optional<GenerationJob> generation(LedgerState state, JobRecord job) {
        ModelRecord model = state.models.get(job.model());
        if (model == null || !(model.inputSchema() instanceof InputSchema.TokenGeneration)) {
            return Optional.empty();
        }
        GenerationRequest r = GenerationRequest.decode(state.jobInputs.get(job.id()));
        return Optional.of(GenerationJob.of(job.id(), r.prompt(), r.maxTokens(), r.temperatureMilli(), r.topPMilli(),
                r.stopSequences(), r.seed()));
    }

    /** The number of trace values of {@code job} under {@code program}. */
    public static long size(LedgerState state, JobRecord job, ProgramRecord program) {
        return generation(state, job)
                .map(g -> new GenerationTrace(g.promptLength(), g.maxTokens(), (int) program.stepCount()).size())
                .orElse(program.traceSize());
    }

    /**
     * The correct value at trace index {@code index} of {@code job}, from the agreed value before it and the witness
     * bytes; a {@link StepRejectedException} or {@link DecodingException} says why a witness does not prove.
     */
    public static Hash transition(LedgerState state, JobRecord job, ProgramRecord program, long index, Hash previous,
                                  byte[] witness, int maxWitnessBytes) {
        Optional<GenerationJob> generation = generation(state, job);
        if (generation.isPresent()) {
            return GenerationStepVerifier.transition(program.root(), (int) program.leafCount(), (int) program.stepCount(),
                    index, previous, generation.get(), GenerationWitness.decode(witness, maxWitnessBytes));
        }
        return OneStepVerifier.transition(program.root(), (int) program.leafCount(), (int) program.stepCount(), (int) index,
                previous, state.jobInputs.get(job.id()), StepWitness.decode(witness, maxWitnessBytes));
    }

    /**
     * Whether the integer engine refuses {@code job}'s input at trace index 0, proven by {@code evidence} (the program's
     * input or start witness): the refusal, or empty when it takes the input.
     */
    public static Optional<String> inputRefusal(LedgerState state, JobRecord job, ProgramRecord program, byte[] evidence,
                                                int maxWitnessBytes) {
        Optional<GenerationJob> generation = generation(state, job);
        if (generation.isPresent()) {
            if (!(GenerationWitness.decode(evidence, maxWitnessBytes) instanceof GenerationWitness.Start start)) {
                throw new StepRejectedException("an input refusal of a generation job carries the step program's start witness");
            }
            return GenerationStepVerifier.inputRefusal(program.root(), (int) program.leafCount(), (int) program.stepCount(),
                    generation.get(), start);
        }
        if (!(StepWitness.decode(evidence, maxWitnessBytes) instanceof StepWitness.InputWitness input)) {
            throw new StepRejectedException("an input refusal in a provable mode carries the program's input witness");
        }
        return OneStepVerifier.inputRefusal(program.root(), (int) program.leafCount(), (int) program.stepCount(),
                state.jobInputs.get(job.id()), input);
    }

    /** What trace index {@code k} computes, in words. */
    public static String describe(LedgerState state, JobRecord job, ProgramRecord program, long k) {
        Optional<GenerationJob> generation = generation(state, job);
        if (generation.isEmpty()) {
            if (k == 0) {
                return "trace index 0 (quantizing the job input)";
            }
            if (k == program.traceSize() - 1) {
                return "trace index " + k + " (dequantizing the output)";
            }
            return "trace index " + k + " (engine step " + (k - 1) + ")";
        }
        GenerationTrace t = new GenerationTrace(generation.get().promptLength(), generation.get().maxTokens(),
                (int) program.stepCount());
        if (k == 0) {
            return "trace index 0 (the prompt into the first forward pass)";
        }
        if (t.isOutput(k)) {
            return "trace index " + k + " (the last draw and the output)";
        }
        if (t.stepOf(k) == 0) {
            return "trace index " + k + " (the token fed to forward pass " + t.passOf(k) + ")";
        }
        return "trace index " + k + " (engine step " + (t.stepOf(k) - 1) + " of forward pass " + t.passOf(k) + ")";
    }
}
