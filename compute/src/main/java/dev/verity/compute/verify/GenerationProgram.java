package dev.verity.compute.verify;

import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.inference.engine.EngineOptions;
import dev.verity.inference.engine.IntegerEngine;
import dev.verity.inference.generate.DecoderStep;
import dev.verity.inference.generate.GenerationJob;
import dev.verity.inference.generate.TokenListener;
import dev.verity.inference.trace.DecoderCommitment;
import dev.verity.inference.trace.GenerationStepVerifier;
import dev.verity.inference.trace.GenerationTracer;
import dev.verity.inference.trace.GenerationWitness;
import dev.verity.inference.trace.TraceValues;
import dev.verity.protocol.generation.GenerationRequest;
import java.util.Optional;
import java.util.function.IntBinaryOperator;

/**
 * A language model's step program as a node traces its provable generation jobs: every forward pass on the integer
 * engine, the tokens drawn with the job's seed, the trace the chain checks ({@code inference/trace/GenerationTrace}).
 */
public final class GenerationProgram implements ProvableProgram {
    private final Hash model;
    private final DecoderCommitment commitment;
    private final GenerationTracer tracer;

    public GenerationProgram(Hash model, DecoderStep step, int endToken) {
        this.model = model;
        this.commitment = new DecoderCommitment(step, endToken);
        this.tracer = new GenerationTracer(commitment, new IntegerEngine(step.program(), EngineOptions.VECTORIZED));
    }

    @Override
    public Hash model() {
        return model;
    }

    @Override
    public DecoderCommitment commitment() {
        return commitment;
    }

    /** The generation job of a request for job {@code job}; a request that does not decode is refused. */
    static GenerationJob job(Hash job, byte[] input) {
        GenerationRequest r;
        try {
            r = GenerationRequest.decode(input);
        } catch (DecodingException e) {
            throw new IllegalArgumentException("the input is not a generation request: " + e.getMessage(), e);
        }
        return GenerationJob.of(job, r.prompt(), r.maxTokens(), r.temperatureMilli(), r.topPMilli(), r.stopSequences(),
                r.seed());
    }

    @Override
    public TraceValues trace(Hash job, byte[] input, TraceCheat cheat, TokenListener tokens) {
        GenerationJob spec = job(job, input);
        IntBinaryOperator substitute = cheat == null ? null : cheat.tokenSubstitute(job);
        if (substitute != null) {
            return tracer.trace(spec, tokens, substitute);
        }
        TraceValues honest = tracer.trace(spec, tokens);
        return cheat == null ? honest : cheat.apply(job, honest);
    }

    @Override
    public byte[] witness(Hash job, byte[] input, long index) {
        return tracer.witness(job(job, input), index).encode();
    }

    @Override
    public Optional<String> inputRefusal(Hash job, byte[] input) {
        GenerationJob spec;
        try {
            spec = job(job, input);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return GenerationStepVerifier.inputRefusal(commitment.root(), commitment.leafCount(), commitment.stepCount(), spec,
                start());
    }

    @Override
    public byte[] refusalEvidence() {
        return start().encode();
    }

    private GenerationWitness.Start start() {
        return new GenerationWitness.Start(commitment.decoderLeaf(), commitment.decoderPath());
    }
}
