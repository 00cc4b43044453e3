package dev.verity.validator.api;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.ledger.state.ClaimPhase;
import dev.verity.ledger.state.DisputeRecord;
import dev.verity.ledger.state.JobRecord;
import dev.verity.ledger.state.ResultClaim;
import dev.verity.sdk.api.ClaimView;
import dev.verity.sdk.api.DisputeView;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.Views;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /v1/claims}, {@code GET /v1/disputes} and {@code GET /v1/disputes/{id}}: the pending provable
 * results and running disputes, read from their own small tables so watchers, auditors and dispute players
 * can poll them without scanning every job.
 */
final class VerificationRoutes {
    private final ChainNode chain;

    VerificationRoutes(ChainNode chain) {
        this.chain = chain;
    }

    void claims(Context ctx) {
        ClaimPhase phase = phase(RequestParams.query(ctx, "phase"));
        Hash model = RequestParams.queryHash(ctx, "model", "a model id");
        PublicKey node = RequestParams.queryKey(ctx, "node", "a node id");
        PublicKey auditor = RequestParams.queryKey(ctx, "auditor", "a node id");
        int limit = RequestParams.limit(ctx);
        List<ClaimView> out = chain.read(s -> s.claims.values().stream()
                .filter(c -> (phase == null || c.phase() == phase) && (node == null || node.equals(c.node()))
                        && (auditor == null || auditor.equals(c.auditor())))
                .map(c -> new ClaimAndJob(c, s.jobs.get(c.job())))
                .filter(p -> p.job() != null && (model == null || model.equals(p.job().model())))
                .sorted(Comparator.comparingLong((ClaimAndJob p) -> p.claim().phaseEnds()).thenComparing(p -> p.claim().job()))
                .limit(limit)
                .map(p -> Views.claim(p.claim(), p.job()))
                .toList());
        ctx.json(out);
    }

    void disputes(Context ctx) {
        PublicKey party = RequestParams.queryKey(ctx, "party", "a node or account id");
        Hash model = RequestParams.queryHash(ctx, "model", "a model id");
        int limit = RequestParams.limit(ctx);
        List<DisputeView> out = chain.read(s -> s.disputes.values().stream()
                .filter(d -> party == null || d.isParty(party))
                .map(d -> new DisputeAndJob(d, s.jobs.get(d.job())))
                .filter(p -> p.job() != null && (model == null || model.equals(p.job().model())))
                .sorted(Comparator.comparingLong((DisputeAndJob p) -> p.dispute().deadline()).thenComparing(p -> p.dispute().job()))
                .limit(limit)
                .map(p -> Views.dispute(p.dispute(), p.job()))
                .toList());
        ctx.json(out);
    }

    void dispute(Context ctx) {
        Hash id = RequestParams.pathHash(ctx, "id", "a job id (the hash of its SubmitJob transaction)");
        Optional<DisputeView> d = chain.read(s -> s.disputes.find(id).map(r -> Views.dispute(r, s.jobs.get(id))));
        ctx.json(d.orElseThrow(() -> ApiException.notFound("no dispute over job " + id.hex() + " is running: it was never "
                + "disputed, or its dispute ended (see GET /v1/events?job=" + id.hex() + " for DISPUTE_RESOLVED)")));
    }

    private static ClaimPhase phase(String text) {
        if (text == null) {
            return null;
        }
        try {
            return ClaimPhase.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("query parameter 'phase' must be one of "
                    + String.join(", ", Arrays.stream(ClaimPhase.values()).map(Enum::name).toList()) + ", got '"
                    + RequestParams.shorten(text) + "'");
        }
    }

    private record ClaimAndJob(ResultClaim claim, JobRecord job) {}

    private record DisputeAndJob(DisputeRecord dispute, JobRecord job) {}
}
