package dev.verity.ledger.state;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;

/**
 * A bisection game over the trace tree of one result (keyed by the job). The disputed range
 * {@code [lo, hi)} is one where the parties' node values differ ({@code defenderNode},
 * {@code challengerNode}); {@code agreedLo} and {@code agreedNode} describe the range {@code [agreedLo, lo)}
 * whose node value both parties revealed equal, which holds the leaf before {@code lo} (null before the
 * first move to the right). Moves of the current round are null until posted.
 *
 * @param challengerOutput the output the challenger (or auditor) says is right; it becomes the job's if it wins
 * @param bond what the challenger escrowed (0 for an auditor, whose stake is at risk instead)
 */
public record DisputeRecord(Hash job, DisputeKind kind, PublicKey defender, PublicKey challenger, Hash defenderRoot,
                            Hash challengerRoot, byte[] challengerOutput, long bond, long traceSize, DisputePhase phase,
                            long lo, long hi, Hash defenderNode, Hash challengerNode, long agreedLo, Hash agreedNode,
                            BisectionMove defenderMove, BisectionMove challengerMove, long deadline, int round,
                            int defenderMoves, int challengerMoves, long openedAt) {

    public DisputeRecord {
        challengerOutput = challengerOutput.clone();
    }

    @Override
    public byte[] challengerOutput() {
        return challengerOutput.clone();
    }

    public boolean isParty(PublicKey key) {
        return key.equals(defender) || key.equals(challenger);
    }

    public DisputeRecord withMove(boolean byDefender, BisectionMove move) {
        return new DisputeRecord(job, kind, defender, challenger, defenderRoot, challengerRoot, challengerOutput, bond,
                traceSize, phase, lo, hi, defenderNode, challengerNode, agreedLo, agreedNode,
                byDefender ? move : defenderMove, byDefender ? challengerMove : move, deadline, round,
                defenderMoves + (byDefender ? 1 : 0), challengerMoves + (byDefender ? 0 : 1), openedAt);
    }

    /** The next round over {@code [newLo, newHi)}, moves cleared. */
    public DisputeRecord narrowed(long newLo, long newHi, Hash dNode, Hash cNode, long newAgreedLo, Hash newAgreedNode,
                                  long newDeadline) {
        DisputePhase next = newHi - newLo == 1 ? DisputePhase.STEP : DisputePhase.BISECT;
        return new DisputeRecord(job, kind, defender, challenger, defenderRoot, challengerRoot, challengerOutput, bond,
                traceSize, next, newLo, newHi, dNode, cNode, newAgreedLo, newAgreedNode, null, null, newDeadline,
                round + 1, defenderMoves, challengerMoves, openedAt);
    }

    /** The step proof counts as a move of whoever posted it. */
    public DisputeRecord withStepProofBy(boolean byDefender) {
        return new DisputeRecord(job, kind, defender, challenger, defenderRoot, challengerRoot, challengerOutput, bond,
                traceSize, phase, lo, hi, defenderNode, challengerNode, agreedLo, agreedNode, defenderMove, challengerMove,
                deadline, round, defenderMoves + (byDefender ? 1 : 0), challengerMoves + (byDefender ? 0 : 1), openedAt);
    }
}
