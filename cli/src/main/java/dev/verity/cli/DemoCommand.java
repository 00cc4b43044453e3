package dev.verity.cli;

import dev.verity.node.devnet.DemoRun;
import dev.verity.node.devnet.Devnet;
import dev.verity.node.storage.DataDirectoryInUseException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verity demo}: a local network, real AI jobs end to end, and who earned what. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run AI jobs end to end on a local network; show who earned what.", "",
            "Starts a local network (1 validator, 3 compute nodes, 1 client), runs sentence-embedding jobs "
                    + "(all-MiniLM-L6-v2 with ONNX Runtime) across the NONE and TEE verification modes, waits until each "
                    + "one settles, and shows the jobs, what every node earned, where the fees went and the chain's head. "
                    + "Exit 1 unless every job settled and the fees add up."})
final class DemoCommand extends BaseCommand {
    static final int MIN_JOBS = 10;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "12", description = "Jobs to run (at least " + MIN_JOBS
            + ", default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the network keeps its data (default: a fresh temporary directory, deleted afterwards).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "P", defaultValue = "0", description = "API port (default: ${DEFAULT-VALUE} = any free port).")
    int port;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for the jobs to settle (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    protected int execute() throws IOException {
        if (jobs < MIN_JOBS) {
            throw usage("--jobs must be at least " + MIN_JOBS + ", got " + jobs);
        }
        if (port < 0 || port > 65535) {
            throw usage("--port must be 0 to 65535, got " + port);
        }
        if (timeoutSeconds < 1) {
            throw usage("--timeout must be a positive number of seconds, got " + timeoutSeconds);
        }
        boolean temporary = dataDir == null;
        Path dir = temporary ? Files.createTempDirectory("verity-demo-") : dataDir;
        DemoRun.Summary summary;
        long started = System.nanoTime();
        try {
            out().note("starting a local network (1 validator, 3 compute nodes, 1 client) in " + dir.toAbsolutePath() + " ...");
            try (Devnet net = Devnet.start(new Devnet.Options(dir, port, 200, 3))) {
                out().note("network up at " + net.apiUrl() + "; running " + jobs + " sentence-embedding jobs (NONE and TEE, ONNX Runtime) and "
                        + DemoRun.DIGIT_JOBS + " digit-recognition jobs (integer engine) ...");
                summary = DemoRun.run(net, jobs, Duration.ofSeconds(timeoutSeconds));
            } catch (DataDirectoryInUseException e) {
                throw new CliException("DATA_DIR_IN_USE", "the demo cannot use " + dir + ": a running node holds it; stop it "
                        + "first or leave out --data-dir");
            } catch (CliException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new CliException("DEMO_FAILED", "the demo failed: " + Errors.message(e), null, e);
            }
        } finally {
            if (temporary) {
                deleteRecursively(dir);
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        DemoRun.Fees fees = summary.fees();
        long split = fees.toNodes() + fees.toValidators() + fees.toTreasury();
        List<String> problems = new ArrayList<>();
        long unsettled = summary.jobs().stream().filter(j -> !"SETTLED".equals(j.status())).count();
        if (unsettled > 0) {
            problems.add(unsettled + " of " + summary.jobs().size() + " jobs did not settle within " + timeoutSeconds + " s");
        }
        DemoRun.Revocation rev = summary.revocation();
        long lost = rev.moved().stream().filter(m -> !"SETTLED".equals(m.status()) && !"CANCELLED".equals(m.status())).count();
        if (lost > 0) {
            problems.add(lost + " of the jobs in flight at the revocation neither settled under a fallback mode nor were refunded");
        }
        if (rev.moved().stream().noneMatch(m -> "SETTLED".equals(m.status()) && !"TEE".equals(m.to()))) {
            problems.add("no job moved down its fallback ladder at the revocation");
        }
        if (fees.paid() != split) {
            problems.add("fees do not add up: paid " + fees.paid() + " base units but nodes, validators and treasury got " + split);
        }
        long mismatches = summary.jobs().stream().filter(j -> Boolean.FALSE.equals(j.reproduced())).count();
        if (mismatches > 0) {
            problems.add(mismatches + " integer-engine results differ from a local re-run of the same package");
        }
        Map<String, Object> doc = json(summary);
        if (out().json()) {
            if (problems.isEmpty()) {
                out().printJson(doc);
            }
        } else {
            human(summary);
            out().note("done in " + seconds + " s");
        }
        if (!problems.isEmpty()) {
            throw new CliException("DEMO_FAILED", "the demo failed: " + String.join("; ", problems), doc);
        }
        return 0;
    }

    private static Map<String, Object> json(DemoRun.Summary s) {
        Map<String, Object> doc = new LinkedHashMap<>();
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (DemoRun.JobLine j : s.jobs()) {
            Map<String, Object> line = Output.object("id", j.id(), "mode", j.mode(), "status", j.status(), "node", j.node(),
                    "feePaid", j.feePaid(), "latencyMs", j.latencyMs(), "outputHash", j.outputHash());
            line.put("model", j.model());
            line.put("engine", j.engine());
            if (j.reproduced() != null) {
                line.put("reproduced", j.reproduced());
                line.put("answer", j.answer());
            }
            jobs.add(line);
        }
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (DemoRun.NodeLine n : s.nodes()) {
            nodes.add(Output.object("id", n.id(), "stake", n.stake(), "earned", n.earned(), "penalized", n.penalized(),
                    "jobsCompleted", n.jobsCompleted(), "modes", n.modes()));
        }
        doc.put("jobs", jobs);
        doc.put("nodes", nodes);
        doc.put("fees", Output.object("paid", s.fees().paid(), "toNodes", s.fees().toNodes(), "toValidators", s.fees().toValidators(),
                "toTreasury", s.fees().toTreasury()));
        DemoRun.Revocation r = s.revocation();
        List<Map<String, Object>> moved = new ArrayList<>();
        for (DemoRun.MovedJob m : r.moved()) {
            moved.add(Output.object("id", m.id(), "from", m.from(), "to", m.to(), "status", m.status(), "node", m.node(),
                    "feePaid", m.feePaid(), "refunded", m.refunded(), "reason", m.reason()));
        }
        doc.put("revocation", Output.object("target", r.target(), "reason", r.reason(), "height", r.height(),
                "enclavesRevoked", r.enclavesRevoked(), "jobs", moved));
        doc.put("chain", Output.object("height", s.chain().height(), "stateRoot", s.chain().stateRoot()));
        return doc;
    }

    private void human(DemoRun.Summary s) {
        Output o = out();
        o.line("Jobs");
        List<List<String>> rows = new ArrayList<>();
        for (DemoRun.JobLine j : s.jobs()) {
            String check = j.reproduced() == null ? "" : (j.reproduced() ? "bit-exact; " : "MISMATCH; ") + j.answer();
            rows.add(List.of(Output.shortId(j.id()), j.model(), j.mode(), j.engine(), Output.shortId(j.node()), j.status(),
                    Output.tokens(j.feePaid()), j.latencyMs() < 0 ? "-" : Long.toString(j.latencyMs()), check));
        }
        o.table(List.of("JOB", "MODEL", "MODE", "ENGINE", "NODE", "STATUS", ">FEE PAID", ">LATENCY MS", "RE-RUN HERE"), rows);
        o.line();
        o.line("Node earnings");
        rows = new ArrayList<>();
        for (DemoRun.NodeLine n : s.nodes()) {
            rows.add(List.of(Output.shortId(n.id()), String.join(",", n.modes()), Output.tokens(n.stake()), Output.tokens(n.earned()),
                    Output.tokens(n.penalized()), Long.toString(n.jobsCompleted())));
        }
        o.table(List.of("NODE", "MODES", ">STAKE", ">EARNED", ">PENALIZED", ">JOBS"), rows);
        o.line();
        DemoRun.Fees f = s.fees();
        o.line("Fees");
        o.fields(Output.object("paid by the client", Output.tokens(f.paid()), "to nodes", Output.tokens(f.toNodes()),
                "to validators", Output.tokens(f.toValidators()), "to treasury", Output.tokens(f.toTreasury())));
        o.line();
        DemoRun.Revocation r = s.revocation();
        o.line("Revocation: governance revoked " + r.target() + " at height " + r.height() + " (" + r.reason() + "); "
                + r.enclavesRevoked() + " enclave(s) lost their registration. The TEE jobs waiting on them:");
        rows = new ArrayList<>();
        for (DemoRun.MovedJob m : r.moved()) {
            String what = "SETTLED".equals(m.status()) ? "moved to " + m.to() + ", settled by " + Output.shortId(m.node())
                    : "CANCELLED".equals(m.status()) ? "no fallback mode: cancelled, " + Output.tokens(m.refunded()) + " refunded"
                    : m.status();
            rows.add(List.of(Output.shortId(m.id()), m.from() + " -> " + m.to(), m.status(), what));
        }
        o.table(List.of("JOB", "MODE", "STATUS", "WHAT HAPPENED"), rows);
        o.line();
        o.line("Chain");
        o.fields(Output.object("height", s.chain().height(), "state root", s.chain().stateRoot()));
    }

    private void deleteRecursively(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            out().note("note: could not delete the temporary directory " + dir + ": " + e.getMessage());
        }
    }
}
