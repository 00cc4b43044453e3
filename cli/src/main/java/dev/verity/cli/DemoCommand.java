package dev.verity.cli;

import dev.verity.devnet.CheatMode;
import dev.verity.devnet.DemoChat;
import dev.verity.devnet.DemoRun;
import dev.verity.devnet.DemoVerification;
import dev.verity.devnet.Devnet;
import dev.verity.devnet.DevnetNodePlan;
import dev.verity.validator.storage.DataDirectoryInUseException;
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
            "Starts a local network (1 validator, " + DemoCommand.NODES + " compute nodes, 1 client; each its own process, "
                    + "the same verity validator and verity node run an operator runs), runs sentence-embedding "
                    + "jobs (all-MiniLM-L6-v2 with ONNX Runtime) across the NONE and TEE verification modes and digit-recognition "
                    + "jobs (integer engine) across NONE, OPTIMISTIC and SAMPLED, and a chat job of the shipped language model on the "
                    + "integer engine in OPTIMISTIC, while one node cheats on its OPTIMISTIC results (for the chat job: it changes "
                    + "the first generated token). "
                    + "Waits until each job settles, and shows the jobs, what every node earned or lost, how the cheat was caught "
                    + "(the dispute's moves, the trace index the chain executed, the time from challenge to resolution), the "
                    + "audits, where the fees went and the chain's head. Ends with finality: the certificates of the blocks "
                    + "that settled the jobs (validators holding more than 2/3 of the stake signed them), one job's receipt "
                    + "written to the demo's directory and checked offline against the genesis validator set, and a copy with "
                    + "one byte flipped, refused. --validators N runs N validators replicating the chain (default: 1). "
                    + "Exit 1 unless every job settled with the honest output, the cheat was caught, the fees add up, the "
                    + "settling blocks are final and the receipt holds (and its altered copy does not)."})
final class DemoCommand extends BaseCommand {
    static final int MIN_JOBS = 10;
    /** Two enclave nodes, two honest integer-engine nodes and the one that cheats (see DevnetNodePlan). */
    static final int NODES = 5;
    /** How the cheating node cheats: a wrong answer under a trace consistent with it up to the last value. */
    static final CheatMode CHEAT = CheatMode.WRONG_OUTPUT;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "12", description = "Jobs to run (at least " + MIN_JOBS
            + ", default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the network keeps its data (default: a fresh temporary directory, deleted afterwards).")
    Path dataDir;

    @Option(names = "--port", paramLabel = "P", defaultValue = "0", description = "API port (default: ${DEFAULT-VALUE} = any free port).")
    int port;

    @Option(names = "--validators", paramLabel = "N", defaultValue = "1",
            description = "Validators replicating the chain, each its own process (1 to " + Devnet.Options.MAX_VALIDATORS
                    + ", default: ${DEFAULT-VALUE}).")
    int validators;

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
        if (validators < 1 || validators > Devnet.Options.MAX_VALIDATORS) {
            throw usage("--validators must be 1 to " + Devnet.Options.MAX_VALIDATORS + ", got " + validators);
        }
        if (port != 0 && port + validators - 1 > 65535) {
            throw usage("--port " + port + " leaves no room for the APIs of " + validators + " validators (up to port 65535)");
        }
        boolean temporary = dataDir == null;
        Path dir = temporary ? Files.createTempDirectory("verity-demo-") : dataDir;
        DemoRun.Summary summary;
        long started = System.nanoTime();
        try {
            out().note("starting a local network (" + validators + " validator" + (validators == 1 ? "" : "s") + ", " + NODES + " compute nodes, 1 client; node " + (DevnetNodePlan.CHEATING_NODE + 1)
                    + " cheats " + CHEAT + ") in " + dir.toAbsolutePath() + " ...");
            try (Devnet net = Devnet.start(new Devnet.Options(dir, port, 200, NODES).withCheat(CHEAT)
                    .withLauncher(VerityCli.programLauncher()).withValidators(validators))) {
                out().note("network up at " + String.join(", ", net.apiUrls()) + " in " + (System.nanoTime() - started) / 1_000_000_000L + " s; running " + jobs + " sentence-embedding jobs (NONE and TEE, ONNX Runtime) and "
                        + (DemoRun.DIGIT_JOBS + 2 * DemoRun.PROVABLE_JOBS_PER_MODE) + " digit-recognition jobs (integer engine; NONE, "
                        + "OPTIMISTIC and SAMPLED) and a chat job (the language model on the integer engine, OPTIMISTIC) ...");
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
        long split = fees.toNodes() + fees.toValidators() + fees.toTreasury() + fees.toAuditors();
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
            problems.add("fees do not add up: paid " + fees.paid() + " base units but nodes, validators, treasury and auditors got "
                    + split);
        }
        DemoVerification.CheaterLine cheater = summary.verification().cheater();
        if (cheater != null && cheater.penalized() <= 0) {
            problems.add("the cheating node " + cheater.node() + " was not caught: nothing was slashed");
        }
        if (summary.verification().audits().stream().noneMatch(a -> a.auditorPaid() > 0)) {
            problems.add("no SAMPLED job was audited and its auditor paid");
        }
        long mismatches = summary.jobs().stream().filter(j -> Boolean.FALSE.equals(j.reproduced())).count();
        if (mismatches > 0) {
            problems.add(mismatches + " integer-engine results differ from a local re-run of the same package");
        }
        problems.addAll(finalityProblems(summary.finality()));
        DemoChat.ChatLine chat = summary.chat();
        if (chat != null && (chat.error() != null || !"SETTLED".equals(chat.status()))) {
            problems.add("the chat job did not settle: " + (chat.error() != null ? chat.error() : "it is " + chat.status()));
        }
        Map<String, Object> doc = json(summary);
        if (out().json()) {
            if (problems.isEmpty()) {
                out().printJson(doc);
            }
        } else {
            human(summary, temporary);
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
            if (j.verification() != null) {
                line.put("verification", j.verification());
                line.put("paidTo", j.payee());
            }
            jobs.add(line);
        }
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (DemoRun.NodeLine n : s.nodes()) {
            Map<String, Object> node = Output.object("id", n.id(), "stake", n.stake(), "earned", n.earned(), "penalized",
                    n.penalized(), "jobsCompleted", n.jobsCompleted(), "modes", n.modes());
            if (n.cheat() != null) {
                node.put("cheat", n.cheat());
            }
            nodes.add(node);
        }
        doc.put("jobs", jobs);
        doc.put("nodes", nodes);
        doc.put("fees", Output.object("paid", s.fees().paid(), "toNodes", s.fees().toNodes(), "toValidators", s.fees().toValidators(),
                "toTreasury", s.fees().toTreasury(), "toAuditors", s.fees().toAuditors()));
        doc.put("verification", verificationJson(s.verification()));
        DemoRun.Revocation r = s.revocation();
        List<Map<String, Object>> moved = new ArrayList<>();
        for (DemoRun.MovedJob m : r.moved()) {
            moved.add(Output.object("id", m.id(), "from", m.from(), "to", m.to(), "status", m.status(), "node", m.node(),
                    "feePaid", m.feePaid(), "refunded", m.refunded(), "reason", m.reason()));
        }
        doc.put("revocation", Output.object("target", r.target(), "reason", r.reason(), "height", r.height(),
                "enclavesRevoked", r.enclavesRevoked(), "jobs", moved));
        doc.put("chain", Output.object("height", s.chain().height(), "stateRoot", s.chain().stateRoot(), "basePrice",
                s.chain().basePrice()));
        doc.put("finality", finalityJson(s.finality()));
        DemoChat.ChatLine c = s.chat();
        if (c != null) {
            doc.put("chat", Output.object("question", c.question(), "answer", c.answer(), "finishReason", c.finishReason(),
                    "promptTokens", c.promptTokens(), "completionTokens", c.completionTokens(), "job", c.job(), "mode", c.mode(),
                    "node", c.node(), "status", c.status(), "settledAtHeight", c.settledAtHeight(), "fee", c.fee(),
                    "millis", c.millis(), "error", c.error()));
        }
        return doc;
    }

    /** What keeps the finality scene from holding: a settling block not final, a receipt refused, an altered one taken. */
    static List<String> finalityProblems(DemoRun.Finality f) {
        List<String> problems = new ArrayList<>();
        long notFinal = f.certificates().stream().filter(c -> !c.isFinal()).count();
        if (f.certificates().isEmpty()) {
            problems.add("no block settled a job, so no certificate to show");
        } else if (notFinal > 0) {
            problems.add(notFinal + " of the " + f.certificates().size() + " blocks that settled the jobs are not final (finalized "
                    + "height " + f.finalizedHeight() + ")");
        }
        DemoRun.ReceiptLine r = f.receipt();
        if (r == null) {
            problems.add("no job's receipt to check");
        } else if (!r.valid()) {
            problems.add("the receipt of job " + r.job() + " does not hold (" + r.check() + "): " + r.reason());
        }
        if (f.altered() != null && f.altered().valid()) {
            problems.add("the receipt with a byte flipped " + f.altered().where() + " was taken as valid");
        }
        return problems;
    }

    private static Map<String, Object> finalityJson(DemoRun.Finality f) {
        List<Map<String, Object>> certificates = new ArrayList<>();
        for (DemoRun.CertificateLine c : f.certificates()) {
            certificates.add(Output.object("height", c.height(), "blockHash", c.blockHash(), "signers", c.signers(),
                    "signedStake", c.signedStake(), "totalStake", c.totalStake(), "final", c.isFinal(), "jobsSettled", c.jobs()));
        }
        DemoRun.ReceiptLine r = f.receipt();
        DemoRun.AlteredReceipt a = f.altered();
        return Output.object("validators", f.validators(), "finalizedHeight", f.finalizedHeight(), "certificates", certificates,
                "receipt", r == null ? null : Output.object("job", r.job(), "file", r.file(), "bytes", r.bytes(),
                        "trust", Output.object("file", r.trustFile(), "height", r.trustedHeight(), "validators",
                                r.trustedValidators()),
                        "valid", r.valid(), "check", r.check(), "reason", r.reason(), "blocks", r.blocks(), "events", r.events()),
                "altered", a == null ? null : Output.object("file", a.file(), "offset", a.offset(), "where", a.where(),
                        "valid", a.valid(), "check", a.check(), "reason", a.reason()));
    }

    private static Map<String, Object> verificationJson(DemoRun.Verification v) {
        Map<String, Object> doc = new LinkedHashMap<>();
        DemoVerification.CheaterLine c = v.cheater();
        doc.put("cheater", c == null ? null : Output.object("node", c.node(), "cheat", c.cheat(), "stake", c.stake(),
                "penalized", c.penalized(), "reasons", c.slashReasons()));
        List<Map<String, Object>> disputes = new ArrayList<>();
        for (DemoVerification.DisputeLine d : v.disputes()) {
            disputes.add(Output.object("job", d.job(), "kind", d.kind(), "defender", d.defender(), "challenger", d.challenger(),
                    "outcome", d.outcome(), "defenderMoves", d.defenderMoves(), "challengerMoves", d.challengerMoves(),
                    "rounds", d.rounds(), "traceIndex", d.traceIndex(), "step", d.step(), "slashed", d.slashed(),
                    "openedAt", d.openedAt(), "resolvedAt", d.resolvedAt(), "blocks", d.blocks(), "millis", d.millis(),
                    "reason", d.reason()));
        }
        doc.put("disputes", disputes);
        List<Map<String, Object>> audits = new ArrayList<>();
        for (DemoVerification.AuditLine a : v.audits()) {
            audits.add(Output.object("job", a.job(), "node", a.node(), "auditor", a.auditor(), "outcome", a.outcome(),
                    "auditorPaid", a.auditorPaid()));
        }
        doc.put("audits", audits);
        return doc;
    }

    private void human(DemoRun.Summary s, boolean temporary) {
        Output o = out();
        o.line("Jobs");
        List<List<String>> rows = new ArrayList<>();
        for (DemoRun.JobLine j : s.jobs()) {
            String check = j.reproduced() == null ? "" : (j.reproduced() ? "bit-exact; " : "MISMATCH; ") + j.answer()
                    + (j.verification() == null ? "" : "; " + j.verification());
            rows.add(List.of(Output.shortId(j.id()), j.model(), j.mode(), j.engine(), Output.shortId(j.node()), j.status(),
                    Output.tokens(j.feePaid()), j.latencyMs() < 0 ? "-" : Long.toString(j.latencyMs()), check));
        }
        o.table(List.of("JOB", "MODEL", "MODE", "ENGINE", "NODE", "STATUS", ">FEE PAID", ">LATENCY MS", "RE-RUN HERE"), rows);
        o.line();
        o.line("Node earnings");
        rows = new ArrayList<>();
        for (DemoRun.NodeLine n : s.nodes()) {
            rows.add(List.of(Output.shortId(n.id()), String.join(",", n.modes()), Output.tokens(n.stake()), Output.tokens(n.earned()),
                    Output.tokens(n.penalized()), Long.toString(n.jobsCompleted()), n.cheat() == null ? "" : "cheats: " + n.cheat()));
        }
        // the chain's jobsCompleted: jobs settled plus audits (verity node show and node earnings show them apart)
        o.table(List.of("NODE", "MODES", ">STAKE", ">EARNED", ">PENALIZED", ">JOBS+AUDITS", "NOTE"), rows);
        o.line();
        humanVerification(s.verification());
        o.line();
        DemoRun.Fees f = s.fees();
        o.line("Fees");
        o.fields(Output.object("paid by the client", Output.tokens(f.paid()), "to nodes", Output.tokens(f.toNodes()),
                "to validators", Output.tokens(f.toValidators()), "to treasury", Output.tokens(f.toTreasury()),
                "to auditors", Output.tokens(f.toAuditors())));
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
        o.fields(Output.object("height", s.chain().height(), "state root", s.chain().stateRoot(), "base price",
                s.chain().basePrice() + " base units per 10^15 compute units (the fee market's price for the next block)"));
        o.line();
        DemoChat.ChatLine c = s.chat();
        if (c != null) {
            o.line("Chat (the devnet's OpenAI-compatible gateway, the shipped small model on a TEE node)");
            if (c.error() != null) {
                o.line("  " + c.error());
            } else {
                o.fields(Output.object("asked", c.question(), "answered", c.answer() + " [" + c.finishReason() + "]",
                        "tokens", c.promptTokens() + " prompt, " + c.completionTokens() + " generated",
                        "job", c.job() + " (" + c.mode() + ", " + c.status() + " at height " + c.settledAtHeight() + ")",
                        "node", c.node(), "fee", c.fee() + " base units (prompt and generated tokens; the rest of the escrow refunded)",
                        "round trip", c.millis() + " ms"));
            }
            o.line();
        }
        humanFinality(s.finality(), temporary);
    }

    private void humanFinality(DemoRun.Finality f, boolean temporary) {
        Output o = out();
        o.line("Finality: " + f.validators() + " validator" + (f.validators() == 1 ? "" : "s") + "; a block is final once "
                + "validators holding more than 2/3 of the stake signed it (finalized height " + f.finalizedHeight() + "). "
                + "The blocks that settled the jobs:");
        List<List<String>> rows = new ArrayList<>();
        for (DemoRun.CertificateLine c : f.certificates()) {
            rows.add(List.of(Long.toString(c.height()), c.blockHash() == null ? "-" : Output.shortId(c.blockHash()),
                    Integer.toString(c.signers()), c.blockHash() == null ? "not final"
                            : Output.tokens(c.signedStake()) + " of " + Output.tokens(c.totalStake()),
                    Integer.toString(c.jobs())));
        }
        o.table(List.of(">BLOCK", "HASH", ">SIGNERS", ">SIGNED STAKE", ">JOBS SETTLED"), rows);
        DemoRun.ReceiptLine r = f.receipt();
        if (r == null) {
            return;
        }
        o.line();
        o.line("Receipt: job " + Output.shortId(r.job()) + "'s receipt, fetched from a validator and checked offline against the "
                + "genesis validator set");
        DemoRun.AlteredReceipt a = f.altered();
        Map<String, Object> fields = Output.object("file", r.file() + " (" + r.bytes() + " bytes)",
                "trusted set", r.trustFile() + " (genesis, height " + r.trustedHeight() + ", " + r.trustedValidators() + " validator"
                        + (r.trustedValidators() == 1 ? "" : "s") + ")",
                "valid", r.valid() ? "yes: " + r.events() + " event" + (r.events() == 1 ? "" : "s") + " of the job in " + r.blocks()
                        + " certified block" + (r.blocks() == 1 ? "" : "s") : "NO (" + r.check() + "): " + r.reason());
        if (a != null) {
            fields.put("altered copy", "byte " + a.offset() + " flipped " + a.where() + ": " + (a.valid() ? "ACCEPTED"
                    : "refused (" + a.check() + "): " + a.reason()));
        }
        o.fields(fields);
        o.line(temporary ? "(the demo's temporary directory is deleted at the end; --data-dir DIR keeps the receipt)"
                : "Check it yourself: verity receipt verify " + r.file() + " --trust " + r.trustFile());
    }

    private void humanVerification(DemoRun.Verification v) {
        Output o = out();
        DemoVerification.CheaterLine c = v.cheater();
        if (c != null) {
            o.line("Cheat caught: node " + Output.shortId(c.node()) + " posts " + c.cheat() + " results; it was penalized "
                    + Output.tokens(c.penalized()) + " (stake now " + Output.tokens(c.stake()) + "). Why:");
            for (String reason : c.slashReasons()) {
                o.line("  - " + reason);
            }
            o.line();
        }
        o.line("Disputes");
        List<List<String>> rows = new ArrayList<>();
        for (DemoVerification.DisputeLine d : v.disputes()) {
            rows.add(List.of(Output.shortId(d.job()), d.kind(), Output.shortId(d.defender()), Output.shortId(d.challenger()),
                    d.outcome(), d.defenderMoves() + "/" + d.challengerMoves(), Integer.toString(d.rounds()),
                    d.traceIndex() < 0 ? "-" : d.traceIndex() + (d.step() == null ? "" : " (" + d.step() + ")"),
                    Output.tokens(d.slashed()), Long.toString(d.blocks()), Long.toString(d.millis())));
        }
        if (rows.isEmpty()) {
            o.line("none");
        } else {
            o.table(List.of("JOB", "KIND", "DEFENDER", "CHALLENGER", "OUTCOME", "MOVES D/C", ">ROUNDS", "EXECUTED ON CHAIN",
                    ">SLASHED", ">BLOCKS", ">MS"), rows);
        }
        o.line();
        o.line("Audits");
        rows = new ArrayList<>();
        for (DemoVerification.AuditLine a : v.audits()) {
            rows.add(List.of(Output.shortId(a.job()), Output.shortId(a.node()), Output.shortId(a.auditor()),
                    Output.tokens(a.auditorPaid()), a.outcome()));
        }
        if (rows.isEmpty()) {
            o.line("none");
        } else {
            o.table(List.of("JOB", "NODE", "AUDITOR", ">AUDITOR PAID", "OUTCOME"), rows);
        }
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
