package dev.verity.ledger.state;

/**
 * A finished job as it left the live state: its final record, its input, its output (null when it has none) and its
 * node's failure report (null unless it FAILED). Block history holds the same facts; the validator archives these so
 * that its API answers for the job without replaying blocks.
 */
public record RetiredJob(JobRecord job, byte[] input, byte[] output, JobFailure failure) {}
