package dev.verity.ledger.rules;

import dev.verity.core.Amounts;
import dev.verity.core.Hash;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.ModelRecord;
import dev.verity.protocol.generation.GenerationRequest;
import dev.verity.protocol.generation.GenerationResult;
import dev.verity.protocol.schema.InputSchema;

/**
 * The compute units a job is priced on. Most models charge their units per job. A generation model
 * ({@link InputSchema.TokenGeneration}) adds its units per prompt token and per generated token: the escrow is taken
 * for the most new tokens the request allows ({@link #reserved}), settlement charges the tokens generated
 * ({@link #used}), and the client gets the rest back.
 */
public final class JobUnits {
    private JobUnits() {}

    /** The units the escrow must cover for {@code input} (already accepted by the model's schema). */
    public static long reserved(ModelRecord model, byte[] input) {
        if (!(model.inputSchema() instanceof InputSchema.TokenGeneration g)) {
            return model.computeUnits();
        }
        GenerationRequest r = GenerationRequest.decode(input);
        return Amounts.add(model.computeUnits(), g.tokenUnits(r.promptLength(), r.maxTokens()));
    }

    /** {@link #reserved} for a job in the state (its input is read only for a generation model). */
    public static long reserved(LedgerState state, ModelRecord model, Hash job) {
        if (!(model.inputSchema() instanceof InputSchema.TokenGeneration)) {
            return model.computeUnits();
        }
        return reserved(model, state.jobInputs.get(job));
    }

    /**
     * The units of the answer {@code output} (null: none, as when the input was refused): for a generation model the
     * prompt and the tokens generated; otherwise the model's units per job.
     */
    public static long used(ModelRecord model, byte[] input, byte[] output) {
        if (!(model.inputSchema() instanceof InputSchema.TokenGeneration g)) {
            return model.computeUnits();
        }
        GenerationRequest r = GenerationRequest.decode(input);
        int generated = output == null ? 0 : GenerationResult.decode(output).length();
        return Amounts.add(model.computeUnits(), g.tokenUnits(r.promptLength(), generated));
    }

    /**
     * Null when {@code output} can answer {@code input} on {@code model}; otherwise what is wrong. Only generation models
     * constrain their output here: a result that does not decode, is longer than its request allows, uses ids outside
     * the vocabulary or gives a finish reason its tokens contradict is refused before anything is held or paid on it.
     */
    public static String outputProblem(ModelRecord model, byte[] input, byte[] output) {
        if (!(model.inputSchema() instanceof InputSchema.TokenGeneration g)) {
            return null;
        }
        GenerationResult result;
        try {
            result = GenerationResult.decode(output);
        } catch (RuntimeException e) {
            return "not a generation result: " + e.getMessage();
        }
        return result.problemFor(GenerationRequest.decode(input), g.vocabularySize(), g.contextLength());
    }
}
