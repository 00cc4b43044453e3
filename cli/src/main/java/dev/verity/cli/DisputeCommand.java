package dev.verity.cli;

import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.sdk.DisputeQuery;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.DisputeView;
import dev.verity.sdk.api.EventView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verity dispute list|show}: the bisection games over OPTIMISTIC and SAMPLED results. */
@Command(name = "dispute", mixinStandardHelpOptions = true,
        description = "Follow disputes over OPTIMISTIC and SAMPLED results: running games, and how an ended one was decided.",
        subcommands = {DisputeCommand.ListDisputes.class, DisputeCommand.Show.class})
final class DisputeCommand extends GroupCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List running disputes, soonest deadline first.")
    static final class ListDisputes extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Option(names = "--party", paramLabel = "ID", converter = Converters.Key.class,
                description = "Only disputes where this node or account is the defender or the challenger.")
        PublicKey party;

        @Option(names = "--model", paramLabel = "ID", converter = Converters.Sha.class, description = "Only disputes on this model.")
        Hash model;

        @Option(names = "--limit", paramLabel = "N", description = "At most N disputes (1 to 1000; the node's default is 100).")
        Integer limit;

        @Override
        protected int execute() {
            if (limit != null && (limit < 1 || limit > 1000)) {
                throw usage("--limit must be 1 to 1000, got " + limit);
            }
            try (VerityClient client = api.client()) {
                List<DisputeView> disputes = client.disputes(new DisputeQuery(party, model, limit));
                if (out().json()) {
                    out().printJson(disputes);
                    return 0;
                }
                if (disputes.isEmpty()) {
                    out().line("no running disputes");
                    return 0;
                }
                List<List<String>> rows = new ArrayList<>();
                for (DisputeView d : disputes) {
                    rows.add(List.of(d.job(), d.kind(), Output.shortId(d.defender()), Output.shortId(d.challenger()), d.phase(),
                            "[" + d.lo() + ", " + d.hi() + ")", Integer.toString(d.round()),
                            d.defenderMoves() + "/" + d.challengerMoves(), Long.toString(d.deadline())));
                }
                out().table(List.of("JOB", "KIND", "DEFENDER", "CHALLENGER", "PHASE", "RANGE", ">ROUND", "MOVES D/C", ">DUE BY"), rows);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Show the dispute over a job.", "",
                "A running dispute as the API shows it; once it ended, how it was decided (its DISPUTE_RESOLVED event)."})
    static final class Show extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Parameters(paramLabel = "JOB", converter = Converters.Sha.class, description = "The job id.")
        Hash job;

        @Override
        protected int execute() {
            try (VerityClient client = api.client()) {
                Optional<DisputeView> running = running(client);
                if (running.isPresent()) {
                    DisputeView d = running.get();
                    if (out().json()) {
                        out().printJson(d);
                    } else {
                        out().fields(fields(d));
                    }
                    return 0;
                }
                List<EventView> resolved = client.events(EventQuery.forJob(job).withLimit(1000)).stream()
                        .filter(e -> "DISPUTE_RESOLVED".equals(e.type())).toList();
                if (resolved.isEmpty()) {
                    client.job(job); // an unknown job is reported as such
                    throw new CliException("NOT_FOUND", "job " + job.hex() + " has no dispute: its result was never challenged "
                            + "or audited with another root");
                }
                EventView last = resolved.get(resolved.size() - 1);
                Map<String, Object> doc = Output.object("job", job.hex(), "running", false, "resolvedAt", last.height(),
                        "defender", last.node(), "challenger", last.account(), "slashed", last.amount(), "reason", last.reason());
                if (out().json()) {
                    out().printJson(doc);
                } else {
                    out().fields(Output.object("job", job.hex(), "status", "ended at block " + last.height(), "defender",
                            last.node(), "challenger", last.account(), "slashed", Output.tokens(last.amount()), "outcome",
                            last.reason()));
                }
            }
            return 0;
        }

        private Optional<DisputeView> running(VerityClient client) {
            try {
                return Optional.of(client.dispute(job));
            } catch (VerityApiException e) {
                if (e.status() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        }

        private static Map<String, Object> fields(DisputeView d) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("job", d.job());
            f.put("status", "running");
            f.put("dispute", Verifications.dispute(d));
            f.put("state", Verifications.disputeState(d));
            f.put("defender", d.defender() + " (root " + d.defenderRoot() + ")");
            f.put("challenger", d.challenger() + " (root " + d.challengerRoot() + ")");
            f.put("challenger's output", "SHA-256 " + d.challengerOutputHash());
            f.put("disputed range", "[" + d.lo() + ", " + d.hi() + "): defender " + d.defenderNode() + ", challenger "
                    + d.challengerNode());
            f.put("agreed range", d.agreedNode() == null ? "none yet" : "[" + d.agreedLo() + ", " + d.lo() + "): " + d.agreedNode());
            return f;
        }
    }
}
