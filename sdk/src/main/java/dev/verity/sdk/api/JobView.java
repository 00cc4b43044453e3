package dev.verity.sdk.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A job. {@code input} and {@code output} are base64 (output null until a result is posted);
 * {@code status} is QUEUED, ASSIGNED, VERIFYING, DISPUTED, SETTLED, FAILED, EXPIRED or CANCELLED; the last four
 * are final (a CANCELLED job lost its enclave to a revocation with no fallback mode left and was refunded
 * in full). Job lists leave {@code input} and {@code output} out (they are omitted from the JSON when
 * null); fetch one job to get them. {@code verification} is the pending provable result of a VERIFYING
 * or DISPUTED job and {@code dispute} the game over it while DISPUTED (each omitted otherwise). {@code basePrice}
 * and {@code tip} are the price per 10^15 compute units it was submitted at and the client's tip. A FAILED job
 * (final: its node reported that the input was refused, was paid its fee, and the rest refunded) carries
 * {@code failure}: the reason and the node's message.
 */
public record JobView(String id, String client, String model, String inputHash, String mode, List<String> fallbackModes,
                      long maxFee, long fee, long basePrice, long tip, long deadlineBlocks, String status, String assignedNode, long assignedAt,
                      long deadlineHeight, int reassignments, long submittedAt, String outputHash, long settledAt,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String input,
                      @JsonInclude(JsonInclude.Include.NON_NULL) String output,
                      @JsonInclude(JsonInclude.Include.NON_NULL) ClaimView verification,
                      @JsonInclude(JsonInclude.Include.NON_NULL) DisputeView dispute,
                      @JsonInclude(JsonInclude.Include.NON_NULL) FailureView failure) {

    /** Why a job failed, as its node reported it. */
    public record FailureView(String reason, String message, String node, long height) {}

    /** The same job without its input and output, as lists show it. */
    public JobView summary() {
        return new JobView(id, client, model, inputHash, mode, fallbackModes, maxFee, fee, basePrice, tip, deadlineBlocks, status, assignedNode,
                assignedAt, deadlineHeight, reassignments, submittedAt, outputHash, settledAt, null, null, verification, dispute, failure);
    }
}
