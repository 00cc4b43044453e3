package dev.verity.cli;

import dev.verity.cli.load.DevnetProcess;
import dev.verity.cli.load.OverloadReport;
import dev.verity.cli.load.OverloadScenario;
import dev.verity.core.Hash;
import dev.verity.devnet.DigitsPackage;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.ModelView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verity overload}: the overload benchmark, against a devnet it starts as a separate process or a running one. */
@Command(name = "overload", mixinStandardHelpOptions = true,
        description = {"Overload a network and check that honest operators lose nothing.", "",
            "Starts a devnet as a separate process (or uses the one at --api with --key as the funding client), keeps "
                    + "--factor times the network's declared capacity in flight for --seconds, then sends a burst of --burst "
                    + "jobs at once, and waits until every acknowledged job has ended. Prints jobs submitted, refused at "
                    + "submission (by reason), settled, failed, expired; submit-to-settled p50 and p99; the nodes' stake "
                    + "before and after and the honest stake lost (must be 0); penalties; and the token supply before and "
                    + "after (must be equal). Exit 1 when an honest node lost anything or a job was left unresolved."})
final class OverloadCommand extends BaseCommand {
    @Option(names = "--api", paramLabel = "URL", description = "Use the running network at URL instead of starting a devnet.")
    String api;

    @Option(names = "--key", paramLabel = "FILE", description = "With --api: the funded key that pays for the clients.")
    Path key;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the started devnet keeps its data (default: a new temporary folder).")
    Path dir;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "60", description = "How long to sustain the overload (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Option(names = "--factor", paramLabel = "X", defaultValue = "10",
            description = "Jobs kept in flight, as a multiple of the declared capacity (default: ${DEFAULT-VALUE}).")
    int factor;

    @Option(names = "--burst", paramLabel = "N", defaultValue = "10000", description = "Jobs sent at once afterwards (default: ${DEFAULT-VALUE}).")
    int burst;

    @Option(names = "--clients", paramLabel = "N", defaultValue = "4", description = "Client accounts submitting in parallel (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--drain-timeout", paramLabel = "S", defaultValue = "300",
            description = "How long to wait for every job to end (default: ${DEFAULT-VALUE} s).")
    long drainSeconds;

    @Override
    protected int execute() throws Exception {
        if (seconds < 0 || factor < 1 || burst < 0 || clients < 1 || clients > 64 || drainSeconds < 1) {
            throw usage("--seconds >= 0, --factor >= 1, --burst >= 0, --clients 1..64 and --drain-timeout >= 1 are required");
        }
        if ((api == null) != (key == null)) {
            throw usage("--api and --key go together: the key funds the clients on that network");
        }
        OverloadScenario.Options options = new OverloadScenario.Options(Duration.ofSeconds(seconds), factor, burst,
                OverloadScenario.Options.defaults().maxFee(), OverloadScenario.Options.defaults().deadlineBlocks(), clients,
                Duration.ofSeconds(drainSeconds));
        OverloadReport report;
        if (api != null) {
            try (VerityClient client = new VerityClient(api)) {
                report = run(client, KeyFiles.load(key), options);
            }
        } else {
            Path where = dir != null ? dir : Files.createTempDirectory("verity-overload-");
            out().note("starting a devnet in a separate process in " + where + " ...");
            try (DevnetProcess devnet = DevnetProcess.start(where, 5, Duration.ofMinutes(3));
                 VerityClient client = new VerityClient(devnet.apiUrl())) {
                out().note("devnet pid " + devnet.pid() + " at " + devnet.apiUrl());
                report = run(client, KeyFiles.load(devnet.clientKey()), options);
            }
        }
        print(report);
        if (!report.honestNodesSafe()) {
            throw new CliException("HONEST_NODE_HARMED", "an honest node lost stake or was penalized, a job was left unresolved, "
                    + "or the supply changed: see the figures above");
        }
        return 0;
    }

    private OverloadReport run(VerityClient client, dev.verity.core.PrivateKey funder, OverloadScenario.Options options)
            throws InterruptedException {
        Hash text = null;
        Hash digits = null;
        for (ModelView m : client.models()) {
            if (m.name().equals(DigitsPackage.NAME)) {
                digits = Hash.fromHex(m.id());
            } else if (m.inputSchema() != null && "UTF8_TEXT".equals(m.inputSchema().kind())) {
                text = Hash.fromHex(m.id());
            }
        }
        if (text == null || digits == null) {
            throw new CliException("NO_MODELS", "the network serves no text model and no " + DigitsPackage.NAME
                    + " model; run it against a devnet");
        }
        return new OverloadScenario(client, funder, text, digits, options, out()::note).run();
    }

    private void print(OverloadReport r) {
        if (out().json()) {
            out().printJson(r);
            return;
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("nodes", r.nodes() + " assignable, declared capacity " + r.declaredCapacity() + " jobs at once");
        f.put("sustained", r.sustainedTarget() + " jobs in flight for " + r.sustainSeconds() + " s, then a burst");
        f.put("jobs submitted", r.submitted());
        f.put("refused at submission", r.refusedAtSubmission().isEmpty() ? "0" : r.refusedAtSubmission().toString());
        f.put("acknowledged", r.acknowledged() + " (refused in their block: " + r.refusedInBlock() + ")");
        f.put("settled", r.settled());
        f.put("failed (paid input refusals)", r.failed());
        f.put("expired (escrow refunded)", r.expired());
        f.put("cancelled (escrow refunded)", r.cancelled());
        f.put("unresolved", r.unresolved());
        f.put("submit to settled", "p50 " + r.settleP50Millis() + " ms, p99 " + r.settleP99Millis() + " ms, max "
                + r.settleMaxMillis() + " ms");
        f.put("base price", r.basePriceStart() + " at the start, peak " + r.basePricePeak() + ", " + r.basePriceEnd() + " at the end");
        f.put("node stake", Output.tokens(r.stakeBefore()) + " before, " + Output.tokens(r.stakeAfter()) + " after");
        f.put("honest stake lost", Output.tokens(r.honestStakeLost()));
        f.put("penalties, jailings", r.penaltyEvents() + ", " + r.jailEvents());
        f.put("token supply", r.supplyBefore() + " before, " + r.supplyAfter() + " after (base units)");
        f.put("queued at the end", r.queuedAtEnd());
        f.put("wall time", r.wallSeconds() + " s");
        out().fields(f);
    }
}
