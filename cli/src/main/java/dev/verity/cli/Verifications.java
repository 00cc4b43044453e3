package dev.verity.cli;

import dev.verity.sdk.api.ClaimView;
import dev.verity.sdk.api.DisputeView;
import dev.verity.sdk.api.EventView;
import java.util.LinkedHashMap;
import java.util.Map;

/** Provable results and disputes in words, for {@code job show} and {@code dispute show}. */
final class Verifications {
    private Verifications() {}

    /** Where a pending provable result stands: who posted it, its root, its phase and when that ends. */
    static String claim(ClaimView c) {
        String phase = switch (c.phase()) {
            case "CHALLENGE_WINDOW" -> "open to challenge until block " + c.phaseEnds();
            case "AWAITING_AUDIT_DRAW" -> "the hash of block " + (c.phaseEnds() - 1) + " decides whether it is audited";
            case "AWAITING_AUDITOR" -> "drawn for audit; every node that could audit it is at its capacity, so it waits for room";
            case "AUDITING" -> "audited by " + Output.shortId(c.auditor()) + ", report due by block " + c.phaseEnds();
            case "DISPUTED" -> "disputed" + (c.windowEnds() > 0 ? " (challenge window until block " + c.windowEnds() + ")" : "");
            default -> c.phase();
        };
        return c.mode() + " result of node " + Output.shortId(c.node()) + " posted at block " + c.postedAt() + ", trace root "
                + Output.shortId(c.root()) + "; " + phase;
    }

    /** Who disputes whom, and for what. */
    static String dispute(DisputeView d) {
        String who = "CHALLENGE".equals(d.kind()) ? "challenger " + Output.shortId(d.challenger()) + " (bond "
                + Output.tokens(d.bond()) + ")" : "auditor " + Output.shortId(d.challenger());
        return who + " disputes node " + Output.shortId(d.defender()) + " over " + d.traceSize() + " trace values, opened at block "
                + d.openedAt();
    }

    /** The game's state: the range, whose move is due, and by when. */
    static String disputeState(DisputeView d) {
        String range = "[" + d.lo() + ", " + d.hi() + ")";
        String due = "BISECT".equals(d.phase())
                ? "round " + d.round() + " on " + range + ": defender " + (d.defenderMoved() ? "moved" : "to move") + ", "
                        + ("CHALLENGE".equals(d.kind()) ? "challenger " : "auditor ") + (d.challengerMoved() ? "moved" : "to move")
                : "single step at trace index " + d.lo() + ": either party proves it";
        return due + "; due by block " + d.deadline() + "; moves so far " + d.defenderMoves() + " (defender) / "
                + d.challengerMoves() + " (" + ("CHALLENGE".equals(d.kind()) ? "challenger" : "auditor") + ")";
    }

    /**
     * How a provable result that no longer waits was verified, from its job's events: the audit's outcome and
     * the last dispute's decision, each with the block it happened in.
     */
    static Map<String, Object> history(Iterable<EventView> events) {
        Map<String, Object> f = new LinkedHashMap<>();
        for (EventView e : events) {
            switch (e.type()) {
                case "AUDIT_PASSED" -> f.put("audit", "passed at block " + e.height() + ": " + e.reason());
                case "AUDIT_SKIPPED" -> f.put("audit", "skipped at block " + e.height() + ": " + e.reason());
                case "DISPUTE_RESOLVED" -> f.put("dispute", "ended at block " + e.height() + ": " + e.reason());
                case "JOB_SETTLED" -> f.put("paid to", e.node());
                default -> { }
            }
        }
        return f;
    }
}
