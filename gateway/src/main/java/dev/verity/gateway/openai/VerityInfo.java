package dev.verity.gateway.openai;

import dev.verity.gateway.backend.GenerationOutcome;

/**
 * The {@code verity} object attached to an answer: which job produced it, how it was verified and where its receipt is.
 *
 * @param settledAtHeight null while the result is still {@code VERIFYING}
 */
public record VerityInfo(String job, String mode, String node, String status, Long settledAtHeight, String receipt,
                         String verified) {

    public static VerityInfo of(GenerationOutcome o) {
        return new VerityInfo(o.job().hex(), o.mode().name(), o.node().hex(), o.status().name(),
                o.settledAtHeight().isPresent() ? o.settledAtHeight().getAsLong() : null, o.receiptUrl(), o.verified());
    }
}
