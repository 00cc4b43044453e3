package dev.verity.ledger.rules;

import dev.verity.ledger.BlockContext;
import dev.verity.ledger.event.EventType;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.ledger.state.ClaimPhase;
import dev.verity.ledger.state.DisputeRecord;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.ResultClaim;
import dev.verity.ledger.state.TimerKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Block-end work for provable results, in key order (height, then job): closed challenge windows
 * settle, audit draws are made, missed audits are reassigned and missed dispute moves lose.
 */
final class VerificationTimers {
    private VerificationTimers() {}

    static void process(LedgerState state, BlockContext ctx) {
        List<TimerKey> due = new ArrayList<>();
        state.verificationTimers.forEach((k, v) -> k.height() <= ctx.height() && due.add(k));
        for (TimerKey k : due) {
            state.verificationTimers.remove(k);
            DisputeRecord dispute = state.disputes.get(k.job());
            if (dispute != null) {
                if (dispute.deadline() == k.height()) {
                    DisputeRules.deadlinePassed(state, dispute, ctx);
                }
                continue;
            }
            ResultClaim claim = state.claims.get(k.job());
            JobRecord job = state.jobs.get(k.job());
            if (claim == null || job == null || claim.phaseEnds() != k.height()) {
                continue;
            }
            switch (claim.phase()) {
                case CHALLENGE_WINDOW -> {
                    state.emit(LedgerEvent.of(EventType.RESULT_PENDING, job.id(), claim.node(), job.client(), 0,
                            "challenge window closed at height " + k.height() + " without a successful challenge"));
                    ProvableRules.settle(state, job, claim.node(), job.outputHash(), 0, ctx);
                }
                case AWAITING_AUDIT_DRAW -> AuditRules.draw(state, job, claim, ctx);
                case AUDITING -> AuditRules.auditorMissed(state, job, claim, ctx);
                case AWAITING_AUDITOR -> AuditRules.retryAssign(state, job, claim, ctx);
                case DISPUTED -> { }
            }
        }
    }
}
