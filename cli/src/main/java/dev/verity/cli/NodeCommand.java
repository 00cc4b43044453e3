package dev.verity.cli;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.economics.earnings.ByMode;
import dev.verity.economics.earnings.EarningsReport;
import dev.verity.economics.earnings.EventHistory;
import dev.verity.economics.earnings.Figures;
import dev.verity.ledger.rules.StakingRules;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Hardware;
import dev.verity.protocol.tx.Payload;
import dev.verity.sdk.Amounts;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.NodeView;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verity node ...}: compute node registration, stake, listing and earnings. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Register and manage compute nodes; list them; audit what one earned.",
        subcommands = {NodeCommand.Register.class, NodeCommand.Bond.class, NodeCommand.Unbond.class, NodeCommand.Withdraw.class,
            NodeCommand.Unjail.class, NodeCommand.ListNodes.class, NodeCommand.Show.class, NodeCommand.Earnings.class,
            NodeCommand.SetCapacity.class, NodeRunCommand.class, NodeEnclaveCommand.class})
final class NodeCommand extends GroupCommand {

    /** The base of the node's signing commands. */
    abstract static class Signing extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Mixin
        Transactions.WaitOptions waitOptions;

        int send(Payload payload, String what, Map<String, ?> extra) {
            PrivateKey key = api.loadKey();
            try (VerityClient client = api.client()) {
                return Transactions.send(out(), client, key, payload, waitOptions, what, extra);
            }
        }
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Register the account of --key as a compute node.", "",
                "Stakes tokens from its balance. Without --gpu/--cpu, declares this machine's CPUs."})
    static final class Register extends Signing {
        @Mixin
        RegistrationOptions registration;

        @Option(names = "--capacity", paramLabel = "N", defaultValue = "" + Payload.RegisterNode.DEFAULT_CAPACITY,
                description = "The most jobs the node runs at once; the chain never assigns it more (1 to "
                        + StakingRules.MAX_CAPACITY + ", default: ${DEFAULT-VALUE}). Give its worker as many threads.")
        int capacity;

        @Override
        protected int execute() {
            if (capacityProblem(capacity) != null) {
                throw usage(capacityProblem(capacity));
            }
            registration.requireStakeAndModels("node register", this::usage);
            Hardware hw = registration.hardware(this::usage);
            long stake = registration.stake;
            List<Hash> models = registration.models;
            List<String> modeNames = registration.modes.stream().map(Enum::name).toList();
            return send(new Payload.RegisterNode(stake, List.copyOf(models), List.copyOf(registration.modes), hw, capacity),
                    "register node with stake " + Output.tokens(stake) + ", modes " + String.join(",", modeNames)
                            + ", capacity " + capacity,
                    Output.object("stake", stake, "models", models.stream().map(Hash::hex).toList(), "modes", modeNames,
                            "hardware", hw, "capacity", capacity));
        }
    }

    /** Null when {@code capacity} is one the chain takes; else why not. */
    static String capacityProblem(int capacity) {
        return capacity >= 1 && capacity <= StakingRules.MAX_CAPACITY ? null
                : "the capacity is 1 to " + StakingRules.MAX_CAPACITY + " jobs at once, got " + capacity;
    }

    @Command(name = "set-capacity", mixinStandardHelpOptions = true,
            description = {"Declare how many jobs the node of --key runs at once.", "",
                "The chain assigns no new job while the node's jobs in flight are at or above it; none is taken back."})
    static final class SetCapacity extends Signing {
        @Parameters(paramLabel = "N", description = "The most jobs at once (1 to " + StakingRules.MAX_CAPACITY + ").")
        int capacity;

        @Override
        protected int execute() {
            if (capacityProblem(capacity) != null) {
                throw usage(capacityProblem(capacity));
            }
            return send(new Payload.SetCapacity(capacity), "set capacity to " + capacity + " jobs at once",
                    Output.object("capacity", capacity));
        }
    }

    @Command(name = "bond", mixinStandardHelpOptions = true, description = "Add stake to the node of --key.")
    static final class Bond extends Signing {
        @Option(names = "--amount", required = true, paramLabel = "TOKENS", converter = Converters.Tokens.class,
                description = "How much to bond, in VRT.")
        long amount;

        @Override
        protected int execute() {
            return send(new Payload.Bond(amount), "bond " + Output.tokens(amount), Output.object("amount", amount));
        }
    }

    @Command(name = "unbond", mixinStandardHelpOptions = true,
            description = "Start unbonding stake; withdraw it after the chain's unbondingBlocks.")
    static final class Unbond extends Signing {
        @Option(names = "--amount", required = true, paramLabel = "TOKENS", converter = Converters.Tokens.class,
                description = "How much to unbond, in VRT.")
        long amount;

        @Override
        protected int execute() {
            return send(new Payload.Unbond(amount), "unbond " + Output.tokens(amount), Output.object("amount", amount));
        }
    }

    @Command(name = "withdraw", mixinStandardHelpOptions = true, description = "Move matured unbonded stake back to the balance.")
    static final class Withdraw extends Signing {
        @Override
        protected int execute() {
            return send(new Payload.Withdraw(), "withdraw matured unbonded stake", Map.of());
        }
    }

    @Command(name = "unjail", mixinStandardHelpOptions = true, description = "Return a jailed node to service once its jail has ended.")
    static final class Unjail extends Signing {
        @Override
        protected int execute() {
            return send(new Payload.Unjail(), "unjail", Map.of());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the registered compute nodes.")
    static final class ListNodes extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Override
        protected int execute() {
            try (VerityClient client = api.client()) {
                List<NodeView> nodes = client.nodes();
                if (out().json()) {
                    out().printJson(nodes);
                    return 0;
                }
                if (nodes.isEmpty()) {
                    out().line("no compute nodes registered");
                    return 0;
                }
                List<List<String>> rows = new ArrayList<>();
                for (NodeView n : nodes) {
                    rows.add(List.of(n.id(), n.status(), String.join(",", n.modes()), Output.tokens(n.stake()),
                            Output.tokens(n.earned()), Output.tokens(n.penalized()), Long.toString(n.jobsCompleted()),
                            Integer.toString(n.models().size()), n.jobsInFlight() + "/" + n.capacity(),
                            n.assignable() ? "yes" : "no: " + n.notAssignableBecause()));
                }
                // jobsCompleted is the chain's counter: jobs paid for plus audits (see node show and node earnings)
                out().table(List.of("NODE", "STATUS", "MODES", ">STAKE", ">EARNED", ">PENALIZED", ">JOBS+AUDITS", ">MODELS",
                        ">IN FLIGHT", "ASSIGNABLE"), rows);
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Show one compute node.", "",
                "Its work is counted from chain events as verity node earnings counts it: jobs settled (per "
                        + "verification mode) and audits passed as auditor of another node's SAMPLED result, apart. "
                        + "The chain's own counter jobsCompleted (in --json, and the JOBS+AUDITS column of node list) is "
                        + "their sum.", "",
                "JSON: the node as GET /v1/nodes/ID gives it, plus \"jobsSettled\": {\"total\", NONE, TEE, "
                        + "OPTIMISTIC, SAMPLED, ZK}, \"audits\" and \"height\" (the block the events were read up to)."})
    static final class Show extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Parameters(paramLabel = "ID", converter = Converters.Key.class, description = "The node id (its public key).")
        PublicKey id;

        @Override
        protected int execute() {
            try (VerityClient client = api.client()) {
                NodeView n = registered(client, id);
                EventHistory.Snapshot history = EventHistory.fetch(client, id);
                Figures work = EarningsReport.build(history.events(), id).totals();
                if (out().json()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> doc = Output.JSON.convertValue(n, LinkedHashMap.class);
                    doc.putAll(work.counts());
                    doc.put("height", history.height());
                    out().printJson(doc);
                    return 0;
                }
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("node", n.id());
                f.put("status", n.status() + (n.jailedUntil() > 0 && "JAILED".equals(n.status()) ? " until block " + n.jailedUntil() : ""));
                f.put("stake", Output.tokens(n.stake()));
                f.put("modes", String.join(", ", n.modes()));
                f.put("models", String.join(", ", n.models()));
                f.put("hardware", hardware(n));
                f.put("enclave key", n.enclaveKey());
                f.put("registered at", "block " + n.registeredAt());
                f.put("jobs settled", work.jobsSettled() + perMode(work.jobsByMode(), false));
                f.put("audits", work.audits());
                f.put("earned", Output.tokens(n.earned()));
                f.put("penalized", Output.tokens(n.penalized()));
                f.put("missed deadlines", n.missedDeadlines());
                f.put("capacity", n.capacity() + " jobs at once");
                f.put("jobs in flight", n.jobsInFlight());
                f.put("assignable", n.assignable() ? "yes" : "no: " + n.notAssignableBecause());
                List<String> unbonding = new ArrayList<>();
                if (n.unbonding() != null) {
                    for (NodeView.UnbondingView u : n.unbonding()) {
                        unbonding.add(Output.tokens(u.amount()) + " at block " + u.releaseHeight());
                    }
                }
                f.put("unbonding", unbonding.isEmpty() ? "none" : String.join(", ", unbonding));
                out().fields(f);
            }
            return 0;
        }

        private static String hardware(NodeView n) {
            List<String> parts = new ArrayList<>();
            if (n.gpuCount() > 0) {
                parts.add(n.gpuCount() + " x " + n.gpuModel());
            }
            if (n.cpuCount() > 0) {
                parts.add(n.cpuCount() + " x " + n.cpuModel());
            }
            return parts.isEmpty() ? "-" : String.join(", ", parts);
        }
    }

    /** " (NONE 3, SAMPLED 1)" for the modes that have any; "" when none has. */
    static String perMode(ByMode byMode, boolean tokens) {
        List<String> parts = new ArrayList<>();
        for (VerificationMode m : VerificationMode.values()) {
            long v = byMode.get(m);
            if (v != 0) {
                parts.add(m.name() + " " + (tokens ? Amounts.tokens(v) : Long.toString(v)));
            }
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    /** The node {@code id} as the chain shows it; a clear failure when no such node is registered. */
    static NodeView registered(VerityClient client, PublicKey id) {
        try {
            return client.node(id);
        } catch (VerityApiException e) {
            if (e.status() == 404) {
                throw new CliException(e.code(), "no node " + id.hex() + " is registered on the chain at " + client.baseUrl()
                        + " (verity node list shows those that are)");
            }
            throw e;
        }
    }

    @Command(name = "earnings", mixinStandardHelpOptions = true,
            description = {"What a node earned, day by day, rebuilt from chain events alone.", "",
                "Jobs settled per verification mode, audits passed as auditor, the node's share of the jobs' fees, "
                        + "audit fees, dispute rewards and penalties (each with the chain's reason), and the net. Jobs "
                        + "settled and audits are counted as verity node show counts them. Every figure is a sum of the node's "
                        + "events (GET /v1/events), so anyone can check it against the chain; see docs/ECONOMICS.md."})
    static final class Earnings extends BaseCommand {
        @Mixin
        ApiOptions api;

        @Parameters(paramLabel = "NODE", converter = Converters.Key.class, description = "The node id (its public key).")
        PublicKey id;

        @Option(names = "--from", paramLabel = "YYYY-MM-DD", converter = Converters.Day.class,
                description = "First day, inclusive (default: the node's first day with activity).")
        LocalDate from;

        @Option(names = "--to", paramLabel = "YYYY-MM-DD", converter = Converters.Day.class,
                description = "Last day, inclusive (default: the node's last day with activity).")
        LocalDate to;

        @Option(names = "--by", paramLabel = "PERIOD", defaultValue = "day",
                description = "How to group the figures: day (default; the only grouping so far).")
        String by;

        @Option(names = "--zone", paramLabel = "ZONE", converter = Converters.Zone.class, defaultValue = "UTC",
                description = "Time zone that days are counted in, e.g. Europe/Paris or +02:00 (default: ${DEFAULT-VALUE}).")
        ZoneId zone;

        @Override
        protected int execute() {
            if (!"day".equals(by.strip().toLowerCase(Locale.ROOT))) {
                throw usage("--by takes only 'day' for now, got '" + by + "'");
            }
            if (from != null && to != null && to.isBefore(from)) {
                throw usage("--to " + to + " is before --from " + from);
            }
            try (VerityClient client = api.client()) {
                registered(client, id);
                EventHistory.Snapshot history = EventHistory.fetch(client, id);
                EarningsReport report = EarningsReport.build(history.events(), id, zone, from, to);
                if (out().json()) {
                    Map<String, Object> doc = new LinkedHashMap<>();
                    report.document().forEach((k, v) -> {
                        doc.put(k, v);
                        if (k.equals("to")) {
                            doc.put("height", history.height());
                        }
                    });
                    out().printJson(doc);
                    return 0;
                }
                print(report, history.height());
            }
            return 0;
        }

        private void print(EarningsReport r, long height) {
            if (r.days().isEmpty()) {
                out().line("node " + r.node() + " has no jobs, fees or penalties on this chain (read up to block " + height + ")");
                return;
            }
            out().line("earnings of node " + r.node() + ", " + r.from() + " to " + r.to() + " (days in " + r.zone().getId()
                    + "; chain read up to block " + height + "; NONE to ZK: jobs settled per mode; amounts in VRT)");
            out().line();
            List<String> headers = new ArrayList<>(List.of("DATE"));
            for (VerificationMode m : VerificationMode.values()) {
                headers.add(">" + m.name());
            }
            headers.addAll(List.of(">AUDITS", ">FEES", ">AUDIT FEES", ">REWARDS", ">PENALTIES", ">NET"));
            List<List<String>> rows = new ArrayList<>();
            for (EarningsReport.Day d : r.days()) {
                rows.add(row(d.date().toString(), d.figures()));
            }
            rows.add(row("total", r.totals()));
            out().table(headers, rows);
            out().line();
            if (r.penalties().isEmpty()) {
                out().line("penalties: none");
            } else {
                out().line("penalties:");
                List<List<String>> p = new ArrayList<>();
                for (EarningsReport.Penalty x : r.penalties()) {
                    p.add(List.of(Long.toString(x.height()), x.date().toString(), x.type(), Output.shortId(x.job()),
                            Amounts.tokens(x.amount()), x.reason() == null ? "-" : x.reason()));
                }
                out().table(List.of(">BLOCK", "DATE", "TYPE", "JOB", ">AMOUNT", "REASON"), p);
            }
            out().line();
            Figures t = r.totals();
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("jobs settled", t.jobsSettled() + perMode(t.jobsByMode(), false));
            f.put("audits", t.audits());
            f.put("fees", Output.tokens(t.fees()) + perMode(t.feesByMode(), true));
            f.put("audit fees", Output.tokens(t.auditFees()));
            f.put("dispute rewards", Output.tokens(t.disputeRewards()));
            f.put("penalties", Output.tokens(t.penalties()) + " (" + r.penalties().size() + ")");
            f.put("net", Output.tokens(t.net()));
            out().fields(f);
        }

        private static List<String> row(String label, Figures f) {
            List<String> row = new ArrayList<>(List.of(label));
            for (VerificationMode m : VerificationMode.values()) {
                row.add(Long.toString(f.jobsByMode().get(m)));
            }
            row.addAll(List.of(Long.toString(f.audits()), Amounts.tokens(f.fees()), Amounts.tokens(f.auditFees()), Amounts.tokens(f.disputeRewards()),
                    Amounts.tokens(f.penalties()), Amounts.tokens(f.net())));
            return row;
        }
    }
}
