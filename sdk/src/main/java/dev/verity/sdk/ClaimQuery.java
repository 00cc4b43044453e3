package dev.verity.sdk;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;

/**
 * Which pending provable results {@link VerityClient#claims} lists: every filter is optional (null = any).
 * {@code phase} is CHALLENGE_WINDOW, AWAITING_AUDIT_DRAW, AWAITING_AUDITOR, AUDITING or DISPUTED; {@code node} the node that
 * posted the result; {@code auditor} the node assigned to audit it. Claims come soonest phase end first.
 */
public record ClaimQuery(String phase, Hash model, PublicKey node, PublicKey auditor, Integer limit) {

    public ClaimQuery {
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw new IllegalArgumentException("the limit must be 1 to 1000, got " + limit);
        }
    }

    public static ClaimQuery all() {
        return new ClaimQuery(null, null, null, null, null);
    }

    /** OPTIMISTIC results on {@code model} that may still be challenged: what a watcher re-runs. */
    public static ClaimQuery challengeable(Hash model) {
        return new ClaimQuery("CHALLENGE_WINDOW", model, null, null, null);
    }

    /** SAMPLED results {@code auditor} must re-run and report on. */
    public static ClaimQuery auditsFor(PublicKey auditor) {
        return new ClaimQuery("AUDITING", null, null, auditor, null);
    }

    public ClaimQuery withPhase(String p) {
        return new ClaimQuery(p, model, node, auditor, limit);
    }

    public ClaimQuery withModel(Hash m) {
        return new ClaimQuery(phase, m, node, auditor, limit);
    }

    public ClaimQuery withNode(PublicKey n) {
        return new ClaimQuery(phase, model, n, auditor, limit);
    }

    public ClaimQuery withAuditor(PublicKey a) {
        return new ClaimQuery(phase, model, node, a, limit);
    }

    public ClaimQuery withLimit(int l) {
        return new ClaimQuery(phase, model, node, auditor, l);
    }
}
