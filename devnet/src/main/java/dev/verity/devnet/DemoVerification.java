package dev.verity.devnet;

import dev.verity.core.Hash;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.NodeView;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the demo's provable jobs show, read back from the chain's events: each dispute (who played, how many
 * moves and rounds, which trace index the chain executed, how long from challenge to resolution), each audit,
 * and what the cheating node lost and why.
 */
public final class DemoVerification {
    private static final Pattern MOVES = Pattern.compile("(\\d+) defender and (\\d+) (?:challenger|auditor) moves in (\\d+) rounds");
    private static final Pattern INDEX = Pattern.compile("trace index (\\d+)(?: \\(([^)]*)\\))?");
    private static final Pattern CHALLENGER = Pattern.compile("^(challenger|auditor) ([0-9a-f]{64})");

    /**
     * One dispute, from its JOB_DISPUTED and DISPUTE_RESOLVED events. {@code traceIndex} is the index the chain
     * executed (-1 when the game ended on a missed deadline), {@code step} what that index computes; {@code blocks}
     * and {@code millis} run from the block that opened the dispute to the one that resolved it (block timestamps).
     */
    public record DisputeLine(String job, String kind, String defender, String challenger, String outcome, int defenderMoves,
                              int challengerMoves, int rounds, long traceIndex, String step, long slashed, long openedAt,
                              long resolvedAt, long blocks, long millis, String reason) {}

    /** One SAMPLED job: whether it was audited, by whom, how that ended, and the auditor's fee. */
    public record AuditLine(String job, String node, String auditor, String outcome, long auditorPaid) {}

    /** The node that cheats on its provable results: how, what it lost ({@code penalized}) and why (its NODE_SLASHED reasons). */
    public record CheaterLine(String node, String cheat, long stake, long penalized, List<String> slashReasons) {}

    private DemoVerification() {}

    /** The disputes over {@code job}, in chain order. */
    public static List<DisputeLine> disputes(List<EventView> jobEvents) {
        List<DisputeLine> out = new ArrayList<>();
        EventView opened = null;
        for (EventView e : jobEvents) {
            if ("JOB_DISPUTED".equals(e.type())) {
                opened = e;
            } else if ("DISPUTE_RESOLVED".equals(e.type()) && opened != null) {
                out.add(line(opened, e));
                opened = null;
            }
        }
        return out;
    }

    private static DisputeLine line(EventView opened, EventView resolved) {
        Matcher who = CHALLENGER.matcher(opened.reason());
        String kind = who.find() ? (who.group(1).equals("challenger") ? "CHALLENGE" : "AUDIT") : "CHALLENGE";
        String reason = resolved.reason();
        Matcher moves = MOVES.matcher(reason);
        boolean counted = moves.find();
        Matcher index = INDEX.matcher(reason);
        boolean executed = index.find() && reason.contains("executed on chain");
        int colon = reason.indexOf(':');
        return new DisputeLine(resolved.job(), kind, resolved.node(), resolved.account(),
                colon < 0 ? reason : reason.substring(0, colon), counted ? Integer.parseInt(moves.group(1)) : 0,
                counted ? Integer.parseInt(moves.group(2)) : 0, counted ? Integer.parseInt(moves.group(3)) : 0,
                executed ? Long.parseLong(index.group(1)) : -1, executed && index.group(2) != null ? index.group(2) : null,
                resolved.amount(), opened.height(), resolved.height(), resolved.height() - opened.height(),
                resolved.timestampMillis() - opened.timestampMillis(), reason);
    }

    /** How a SAMPLED job's audit went, from its events; null when it never reached its audit draw. */
    public static AuditLine audit(Hash job, List<EventView> events) {
        String node = null;
        String auditor = null;
        String outcome = null;
        long paid = 0;
        for (EventView e : events) {
            switch (e.type()) {
                case "RESULT_PENDING" -> node = node == null ? e.node() : node;
                case "AUDIT_ASSIGNED" -> auditor = e.node();
                case "AUDIT_PASSED" -> outcome = "same trace root: the result stands";
                case "AUDIT_SKIPPED" -> outcome = "not audited: " + e.reason();
                case "DISPUTE_RESOLVED" -> outcome = "disputed: " + e.reason();
                case "AUDITOR_PAID" -> paid += e.amount();
                default -> { }
            }
        }
        return node == null ? null : new AuditLine(job.hex(), node, auditor, outcome == null ? "pending" : outcome, paid);
    }

    /** The cheating node as the chain sees it now. */
    public static CheaterLine cheater(VerityClient client, Devnet.ComputeNode cheater) {
        NodeView v = client.node(cheater.key().publicKey());
        List<String> reasons = new ArrayList<>();
        for (EventView e : client.events(EventQuery.forNode(cheater.key().publicKey()).withLimit(1000))) {
            if ("NODE_SLASHED".equals(e.type()) && cheater.key().publicKey().hex().equals(e.node())) {
                reasons.add(e.reason());
            }
        }
        return new CheaterLine(v.id(), cheater.cheat().name(), v.stake(), v.penalized(), reasons);
    }
}
