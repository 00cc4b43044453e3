package dev.verity.sdk.api;

/**
 * A bisection game over the trace of one result (docs/PROTOCOL.md, "Disputes"). {@code kind} is
 * CHALLENGE (a bonded challenge of an OPTIMISTIC result) or AUDIT (a SAMPLED audit that disagreed);
 * the {@code defender} posted the result. The disputed range is {@code [lo, hi)}, where the parties'
 * node values ({@code defenderNode}, {@code challengerNode}) differ; {@code [agreedLo, lo)} is the range
 * both revealed equal ({@code agreedNode}, null before the first move to the right). {@code phase} is
 * BISECT (each party posts the halves of the range; {@code defenderMoved}, {@code challengerMoved} say
 * who already did this round) or STEP (the range is the single trace index {@code lo}: either party
 * proves it). Whoever misses {@code deadline} loses.
 *
 * @param challengerOutputHash SHA-256 of the output the challenger says is right
 * @param bond the challenger's escrowed bond (0 for an auditor, whose stake is at risk instead)
 * @param traceSize the number of trace values (program steps + 2)
 */
public record DisputeView(String job, String model, String kind, String defender, String challenger, String defenderRoot,
                          String challengerRoot, String challengerOutputHash, long bond, long traceSize, String phase, long lo,
                          long hi, String defenderNode, String challengerNode, long agreedLo, String agreedNode,
                          boolean defenderMoved, boolean challengerMoved, long deadline, int round, int defenderMoves,
                          int challengerMoves, long openedAt) {}
