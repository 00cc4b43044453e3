package dev.verity.gateway.backend;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.generation.GenerationResult;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A generation job's answer as the ledger holds it.
 *
 * @param result          the generated tokens and why generation stopped, as posted and checked on chain
 * @param job             the job id
 * @param mode            the verification mode the result was checked under
 * @param node            the node that computed it
 * @param status          how far settlement has got
 * @param settledAtHeight the block height that settled it; empty while {@link SettlementStatus#VERIFYING}
 * @param receiptUrl      where the job's receipt is served: {@code <api>/v1/jobs/<id>/receipt}
 * @param verified        one sentence for people: what was checked, by whom, and what is still pending
 */
public record GenerationOutcome(GenerationResult result, Hash job, VerificationMode mode, PublicKey node,
                                SettlementStatus status, OptionalLong settledAtHeight, String receiptUrl, String verified) {
    public GenerationOutcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(settledAtHeight, "settledAtHeight");
        Objects.requireNonNull(receiptUrl, "receiptUrl");
        Objects.requireNonNull(verified, "verified");
        if (status == SettlementStatus.SETTLED && settledAtHeight.isEmpty()) {
            throw new IllegalArgumentException("a settled outcome needs the height that settled it");
        }
    }
}
