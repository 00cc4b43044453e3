package dev.verity.compute.worker;

import dev.verity.protocol.tx.FailureReason;

/** What a worker answers an assigned job with: a result, or a failure report; either carries its mode's evidence. */
sealed interface Answer {
    record Result(byte[] output, byte[] evidence) implements Answer {}

    /** {@code message} fits the chain's limit. */
    record Failure(FailureReason reason, String message, byte[] evidence) implements Answer {}

    /** The node's own failure: a missed job, reported now so the job goes to another node at once. */
    static Failure fault(String message) {
        return new Failure(FailureReason.NODE_FAULT, FailureClassifier.fit(message), new byte[0]);
    }
}
