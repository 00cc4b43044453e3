package dev.verity.gateway.backend;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.protocol.VerificationMode;
import java.util.Objects;

/**
 * A generation job the ledger has assigned to a node.
 *
 * @param job  the job id (the hash of its {@code SubmitJob} transaction)
 * @param mode the verification mode it runs in (a fallback may change it before the result; the outcome says)
 * @param node the assigned node
 */
public record JobStarted(Hash job, VerificationMode mode, PublicKey node) {
    public JobStarted {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(node, "node");
    }
}
