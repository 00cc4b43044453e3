package dev.verity.gateway.backend;

import dev.verity.protocol.generation.GenerationRequest;
import java.util.List;

/**
 * The network behind the gateway: which language models it serves, and one generation job run to its settlement.
 * The gateway renders chat templates, tokenizes and detokenizes itself; a backend sees token ids only.
 *
 * <p>Implementations are called from many request threads at once and must be thread-safe.
 */
public interface ChatBackend {

    /**
     * The models a client may ask for now, each with its tokenizer and chat template. Called on every request, so an
     * implementation should answer from memory (refreshing in the background), not from the network.
     */
    List<ServedModel> models();

    /**
     * Runs {@code request} as one job on {@code modelId} and waits for its result to be posted and checked: submits
     * the signed job, passes each token the assigned node streams to {@code listener} as it arrives, and returns once
     * the ledger has settled the result ({@link SettlementStatus#SETTLED}) or accepted it into its challenge window
     * or audit ({@link SettlementStatus#VERIFYING}).
     *
     * <p>The tokens passed to the listener are what the node says it generated; the outcome's result is what the
     * ledger holds. The gateway compares them, so a backend passes both on as they are.
     *
     * @throws BackendException     a failure of the network or of the job, typed by what the client should be told
     * @throws InterruptedException the gateway stopped waiting (its client went away, or it is shutting down); the
     *                              implementation stops listening and returns at once. A job already submitted runs on
     *                              and is charged as the ledger's rules say.
     */
    GenerationOutcome generate(String modelId, GenerationRequest request, TokenListener listener)
            throws InterruptedException;
}
