package dev.verity.sdk.api;

/**
 * A provable ({@code OPTIMISTIC} or {@code SAMPLED}) result waiting to settle. {@code phase} is
 * CHALLENGE_WINDOW, AWAITING_AUDIT_DRAW, AWAITING_AUDITOR (drawn, waiting for a node with room), AUDITING or DISPUTED; {@code phaseEnds} is the height at which
 * the phase ends; {@code windowEnds} the end of an OPTIMISTIC result's challenge window (0 for SAMPLED);
 * {@code auditor} the node that must re-run a SAMPLED job (null unless one was assigned). Watchers
 * re-run CHALLENGE_WINDOW claims; an auditor answers the AUDITING claims assigned to it.
 *
 * @param node the node that posted the result
 * @param root the trace root the result committed to
 */
public record ClaimView(String job, String model, String mode, String phase, String node, String root, long postedAt,
                        long phaseEnds, long windowEnds, String auditor, int auditAttempts) {}
