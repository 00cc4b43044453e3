package dev.verity.sdk;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;

/**
 * Which running disputes {@link VerityClient#disputes} lists: those where {@code party} is the defender or
 * the challenger, on {@code model} (each optional, null = any). Disputes come soonest deadline first.
 */
public record DisputeQuery(PublicKey party, Hash model, Integer limit) {

    public DisputeQuery {
        if (limit != null && (limit < 1 || limit > 1000)) {
            throw new IllegalArgumentException("the limit must be 1 to 1000, got " + limit);
        }
    }

    public static DisputeQuery all() {
        return new DisputeQuery(null, null, null);
    }

    /** The disputes {@code party} must play. */
    public static DisputeQuery withParty(PublicKey party) {
        return new DisputeQuery(party, null, null);
    }

    public DisputeQuery withModel(Hash m) {
        return new DisputeQuery(party, m, limit);
    }

    public DisputeQuery withLimit(int l) {
        return new DisputeQuery(party, model, l);
    }
}
