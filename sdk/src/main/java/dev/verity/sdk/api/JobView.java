package dev.verity.sdk.api;

import java.util.List;

/**
 * A job. {@code input} and {@code output} are base64 (output null until a result is posted);
 * {@code status} is QUEUED, ASSIGNED, SETTLED or EXPIRED.
 */
public record JobView(String id, String client, String model, String inputHash, String mode, List<String> fallbackModes,
                      long maxFee, long fee, long deadlineBlocks, String status, String assignedNode, long assignedAt,
                      long deadlineHeight, int reassignments, long submittedAt, String outputHash, long settledAt,
                      String input, String output) {}
