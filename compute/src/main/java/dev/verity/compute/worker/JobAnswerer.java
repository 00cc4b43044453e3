package dev.verity.compute.worker;

import dev.verity.compute.stream.TokenStreams;
import dev.verity.compute.tee.Enclave;
import dev.verity.compute.verify.GenerationProgram;
import dev.verity.compute.verify.ProvableProgram;
import dev.verity.compute.verify.JobTrace;
import dev.verity.compute.verify.Tracer;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.ledger.evidence.TeeFailureStatement;
import dev.verity.ledger.evidence.TeeResultStatement;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.generation.GenerationResult;
import dev.verity.protocol.tx.FailureReason;
import dev.verity.sdk.api.JobView;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes a worker's answer to one assigned job: runs the model (ONNX Runtime or a package for the trusted modes, the
 * integer engine with its trace for the provable ones) and signs or proves what the job's mode needs. Every problem
 * becomes an {@link Answer.Failure}, never an exception: an input the runtime or the engine refuses is
 * {@code INPUT_REJECTED} with the mode's evidence, anything else the node's own {@code NODE_FAULT}.
 */
final class JobAnswerer {
    private static final Logger LOG = LoggerFactory.getLogger(JobAnswerer.class);

    private final ModelRunners runners;
    private final Enclave enclave;
    private final Tracer tracer;
    private final TokenStreams tokens;

    /**
     * {@code enclave} and {@code tracer} may be null: TEE or provable jobs are then answered NODE_FAULT. A generation
     * job's tokens go to {@code tokens} as they are made.
     */
    JobAnswerer(ModelRunners runners, Enclave enclave, Tracer tracer, TokenStreams tokens) {
        this.runners = runners;
        this.enclave = enclave;
        this.tracer = tracer;
        this.tokens = tokens;
    }

    /** Computes the answer to {@code job}; every problem of the node or of the input becomes a failure, never an exception. */
    Answer answer(JobView job) {
        Hash id = Hash.fromHex(job.id());
        Hash model = Hash.fromHex(job.model());
        VerificationMode mode = VerificationMode.parse(job.mode());
        byte[] input = Base64.getDecoder().decode(job.input());
        return switch (mode) {
            case NONE, TEE -> trusted(job, id, model, mode, input);
            case OPTIMISTIC, SAMPLED -> provable(id, model, mode, input);
            case ZK -> Answer.fault("this worker does not prove ZK jobs");
        };
    }

    private Answer trusted(JobView job, Hash id, Hash model, VerificationMode mode, byte[] input) {
        if (mode == VerificationMode.TEE && enclave == null) {
            return Answer.fault("a TEE job was assigned but this node runs no enclave");
        }
        Optional<ModelRunner> runner;
        try {
            runner = runners.forModel(model);
        } catch (RuntimeException | Error e) {
            LOG.warn("job {}: cannot load model {}", id.hex(), model.hex(), e);
            return Answer.fault("cannot load model " + model.hex() + ": " + FailureClassifier.describe(e));
        }
        if (runner.isEmpty()) {
            LOG.warn("job {} needs model {} which is not in this node's store", id.hex(), model.hex());
            return Answer.fault("model " + model.hex() + " is not in this node's model store");
        }
        byte[] output;
        try {
            output = runner.get().run(id, input, mode, tokens.publisher(id));
        } catch (RuntimeException | Error e) {
            FailureReason reason = FailureClassifier.classify(e);
            LOG.info("job {}: the runner threw ({}): {}", id.hex(), reason, FailureClassifier.describe(e));
            if (reason == FailureReason.NODE_FAULT) {
                return Answer.fault("the model run failed: " + FailureClassifier.describe(e));
            }
            String message = FailureClassifier.fit("the runtime refused the input: " + FailureClassifier.describe(e));
            byte[] evidence = mode == VerificationMode.TEE
                    ? enclave.sign(new TeeFailureStatement(id, model, Hash.fromHex(job.inputHash()), reason, message))
                    : new byte[0];
            return new Answer.Failure(reason, message, evidence);
        }
        byte[] evidence = mode == VerificationMode.TEE
                ? enclave.sign(new TeeResultStatement(id, model, Hash.fromHex(job.inputHash()), Sha256.digest(output)))
                : new byte[0];
        return new Answer.Result(output, evidence);
    }

    /**
     * A provable job: the integer engine's output with the trace this node commits to, or, when the engine refuses the
     * input at trace index 0 (checked here exactly as the chain checks it), an input refusal with the program's input
     * witness as evidence.
     */
    private Answer provable(Hash id, Hash model, VerificationMode mode, byte[] input) {
        if (tracer == null) {
            return Answer.fault("a " + mode + " job was assigned but this worker has no tracer for provable modes");
        }
        Optional<ProvableProgram> program;
        try {
            program = tracer.programs().forModel(model);
        } catch (RuntimeException | Error e) {
            return Answer.fault("cannot load the integer program of model " + model.hex() + ": " + FailureClassifier.describe(e));
        }
        if (program.isEmpty()) {
            return Answer.fault("model " + model.hex() + " has no package here whose program is the chain's");
        }
        try {
            Optional<String> refusal = program.get().inputRefusal(id, input);
            if (refusal.isPresent()) {
                LOG.info("job {}: the integer engine refuses the input: {}", id.hex(), refusal.get());
                return new Answer.Failure(FailureReason.INPUT_REJECTED,
                        FailureClassifier.fit("the integer engine refuses the input: " + refusal.get()),
                        program.get().refusalEvidence());
            }
            var stream = tokens.publisher(id);
            Optional<JobTrace> trace = tracer.ownResult(id, model, input, stream::token);
            if (trace.isEmpty()) {
                stream.failed("model " + model.hex() + " has no package here whose program is the chain's");
                return Answer.fault("model " + model.hex() + " has no package here whose program is the chain's");
            }
            if (program.get() instanceof GenerationProgram) {
                stream.finished(GenerationResult.decode(trace.get().output()).finishReason());
            }
            return new Answer.Result(trace.get().output(), trace.get().evidence());
        } catch (RuntimeException | Error e) {
            // The engine took the input at its first step, so whatever failed later is the node's.
            LOG.warn("job {}: tracing failed", id.hex(), e);
            tokens.publisher(id).failed("tracing failed: " + FailureClassifier.describe(e));
            return Answer.fault("tracing failed: " + FailureClassifier.describe(e));
        }
    }
}
