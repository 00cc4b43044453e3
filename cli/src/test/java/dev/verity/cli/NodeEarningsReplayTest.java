package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.compute.verify.IntegerProgram;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.devnet.DigitsPackage;
import dev.verity.devnet.ShippedSchemas;
import dev.verity.economics.earnings.ByMode;
import dev.verity.economics.earnings.EarningsReport;
import dev.verity.economics.earnings.EventHistory;
import dev.verity.economics.earnings.Figures;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.inference.trace.TraceValues;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.Ledger;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.event.LedgerEvent;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.modelhub.train.Digits;
import dev.verity.proofs.trace.TraceClaim;
import dev.verity.proofs.trace.TraceTree;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.tx.Hardware;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.BlockView;
import dev.verity.sdk.api.DisputeView;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.NodeView;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.LocalChain;
import dev.verity.validator.chain.ChainNode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verity node earnings} proven against the chain itself. A real chain (RocksDB, the API over HTTP, blocks
 * produced by the test) runs jobs in NONE, OPTIMISTIC and SAMPLED mode: a node answers them, lets one deadline
 * pass, wins one dispute and loses another, and audits another node's SAMPLED result. The report read through the
 * API (CLI and SDK) must equal the report rebuilt by re-executing every block from genesis with
 * {@link BlockExecution#execute} and taking the events each block yields: every figure comes from the chain's
 * events alone.
 */
class NodeEarningsReplayTest {
    static final long VRT = Params.BASE_UNITS_PER_TOKEN;
    static final PrivateKey VALIDATOR = PrivateKey.deterministic("earnings-validator");
    static final PrivateKey ALICE = PrivateKey.deterministic("earnings-alice");
    static final PrivateKey NODE = PrivateKey.deterministic("earnings-node");
    static final PrivateKey AUDITOR = PrivateKey.deterministic("earnings-auditor");
    static final PrivateKey BOB = PrivateKey.deterministic("earnings-bob");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Genesis genesis;
    static ChainNode chain;
    static LocalChain local;
    static VerityClient client;
    static String api;
    static ModelPackage digits;
    static IntegerProgram program;
    static int inputs;

    static Hash missedJob;
    static Hash wonDispute;
    static Hash lostDispute;

    @BeforeAll
    static void runJobsOnARealChain() {
        Params d = Params.defaults();
        Params params = d.withVerification(d.challengeWindowBlocks(), d.moveDeadlineBlocks(), d.challengerBond(),
                d.disputeSlashBps(), d.winnerShareBps(), 10_000); // every SAMPLED result is audited
        genesis = TestGenesis.chain("verity-earnings-test").params(params).fund(ALICE, 100_000 * VRT).fund(NODE, 100_000 * VRT)
                .fund(AUDITOR, 100_000 * VRT).fund(BOB, 100_000 * VRT).validator(VALIDATOR).build();
        local = LocalChain.start(dir.resolve("data"), genesis, VALIDATOR);
        chain = local.chain();
        api = local.api();
        client = local.client();
        digits = DigitsPackage.build();
        program = IntegerProgram.of(digits);

        Wallet alice = wallet(ALICE);
        Hash model = digits.id();
        alice.registerModel(model, "digits", "64 floats", "10 floats", 1, ShippedSchemas.digits(digits));
        produce();
        alice.registerProgram(model, program.commitment().root(), program.commitment().leafCount(), program.commitment().stepCount());
        wallet(NODE).registerNode(2_000 * VRT, List.of(model), List.of(VerificationMode.NONE, VerificationMode.OPTIMISTIC,
                VerificationMode.SAMPLED), Hardware.cpuOnly("test CPU", 2));
        wallet(AUDITOR).registerNode(2_000 * VRT, List.of(model), List.of(VerificationMode.SAMPLED), Hardware.cpuOnly("test CPU", 2));
        produce();

        // A NONE job, answered in time (NODE is the only node serving NONE).
        byte[] in = input();
        Hash answered = submit(VerificationMode.NONE, in);
        assertThat(client.job(answered).assignedNode()).isEqualTo(NODE.publicKey().hex());
        wallet(NODE).submitResult(answered, program.trace(in).output(), new byte[0]);
        produce();
        assertThat(client.job(answered).status()).isEqualTo("SETTLED");

        // A NONE job whose deadline NODE lets pass: penalized; reassigned to it (nobody else serves NONE), then answered.
        in = input();
        missedJob = submit(VerificationMode.NONE, in);
        long deadline = client.job(missedJob).deadlineHeight();
        while (chain.height() < deadline) {
            produce();
        }
        JobView again = client.job(missedJob);
        assertThat(again.status()).isEqualTo("ASSIGNED");
        assertThat(again.reassignments()).isOne();
        assertThat(again.assignedNode()).isEqualTo(NODE.publicKey().hex());
        wallet(NODE).submitResult(missedJob, program.trace(in).output(), new byte[0]);
        produce();
        assertThat(client.job(missedJob).status()).isEqualTo("SETTLED");

        // An OPTIMISTIC result NODE computed honestly: BOB challenges it with a lie and loses the game (and part of his bond).
        in = input();
        wonDispute = submit(VerificationMode.OPTIMISTIC, in);
        TraceValues truth = program.trace(in);
        TraceTree honest = new TraceTree(wonDispute, NODE.publicKey(), truth.values());
        wallet(NODE).submitResult(wonDispute, truth.output(), TraceClaim.of(honest).encode());
        produce();
        TraceTree bobsLie = lie(wonDispute, truth);
        wallet(BOB).challenge(wonDispute, truth.output(), TraceClaim.of(bobsLie).encode());
        produce();
        while (true) {
            DisputeView game = client.dispute(wonDispute);
            if (game.phase().equals("STEP")) {
                int k = (int) game.lo();
                wallet(NODE).proveStep(wonDispute, truth.values().get(k - 1), honest.path((int) game.agreedLo(), k, k - 1),
                        program.witness(in, k).encode());
                produce();
                break;
            }
            move(wallet(BOB), wonDispute, bobsLie);
            move(wallet(NODE), wonDispute, honest);
            produce();
        }
        produceUntilSettled(wonDispute);
        assertThat(client.job(wonDispute).assignedNode()).isEqualTo(NODE.publicKey().hex());

        // An OPTIMISTIC result with a wrong trace: BOB challenges it with the truth, NODE never moves, loses and is slashed.
        in = input();
        lostDispute = submit(VerificationMode.OPTIMISTIC, in);
        TraceValues truth2 = program.trace(in);
        TraceTree right = new TraceTree(lostDispute, NODE.publicKey(), truth2.values());
        wallet(NODE).submitResult(lostDispute, truth2.output(), TraceClaim.of(lie(lostDispute, truth2)).encode());
        produce();
        wallet(BOB).challenge(lostDispute, truth2.output(), TraceClaim.of(right).encode());
        produce();
        move(wallet(BOB), lostDispute, right);
        produce();
        produceUntilSettled(lostDispute);

        // SAMPLED jobs, each audited by the other node, until NODE has answered one and audited one.
        boolean answeredSampled = false;
        boolean audited = false;
        for (int i = 0; i < 30 && !(answeredSampled && audited); i++) {
            in = input();
            Hash job = submit(VerificationMode.SAMPLED, in);
            boolean byNode = client.job(job).assignedNode().equals(NODE.publicKey().hex());
            PrivateKey worker = byNode ? NODE : AUDITOR;
            PrivateKey auditor = byNode ? AUDITOR : NODE;
            TraceValues t = program.trace(in);
            TraceTree tree = new TraceTree(job, worker.publicKey(), t.values());
            wallet(worker).submitResult(job, t.output(), TraceClaim.of(tree).encode());
            produce();
            for (int n = 0; n < 10 && (client.job(job).verification() == null || client.job(job).verification().auditor() == null); n++) {
                produce();
            }
            assertThat(client.job(job).verification().auditor()).isEqualTo(auditor.publicKey().hex());
            wallet(auditor).auditReport(job, t.output(), TraceClaim.of(tree).encode());
            produce();
            assertThat(client.job(job).status()).isEqualTo("SETTLED");
            answeredSampled |= byNode;
            audited |= !byNode;
        }
        assertThat(answeredSampled && audited).as("NODE answered a SAMPLED job and audited one").isTrue();
        assertThat(client.node(NODE.publicKey()).status()).isEqualTo("ACTIVE");
    }

    @AfterAll
    static void stop() {
        if (local != null) {
            local.close();
        }
    }

    @Test
    void theReportFromTheApiEqualsTheReportRebuiltByReExecutingEveryBlock() throws Exception {
        List<EventView> replayed = replayEveryBlock();
        long head = chain.height();

        for (PrivateKey k : List.of(NODE, AUDITOR, BOB)) {
            PublicKey key = k.publicKey();
            EarningsReport rebuilt = EarningsReport.build(replayed, key);
            EventHistory.Snapshot history = EventHistory.fetch(client, key);
            assertThat(history.height()).isEqualTo(head);
            assertThat(EarningsReport.build(history.events(), key)).as("SDK path for %s", key.hex()).isEqualTo(rebuilt);
            // Small pages go through blocks holding several of the node's events by position: the same events.
            assertThat(EventHistory.fetch(client::events, head, key, 0, 2).events()).isEqualTo(history.events());

            CliRun.Result r = CliRun.run("node", "earnings", key.hex(), "--api", api, "--json");
            if (k == BOB) {
                assertThat(r.exitCode()).as("BOB is no node: %s", r).isEqualTo(1);
                continue;
            }
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.json()).as("CLI JSON for %s", key.hex()).isEqualTo(expectedJson(rebuilt, head));
        }

        EarningsReport report = EarningsReport.build(replayed, NODE.publicKey());
        Figures t = report.totals();
        assertThat(t.jobsByMode().none()).isEqualTo(2);
        assertThat(t.jobsByMode().optimistic()).isEqualTo(1); // the one it lost was paid to BOB
        assertThat(t.jobsByMode().sampled()).isPositive();
        assertThat(t.jobsSettled()).isEqualTo(t.jobsByMode().total());
        assertThat(t.audits()).as("NODE audited one of AUDITOR's SAMPLED results").isPositive();
        assertThat(t.fees()).isPositive().isEqualTo(t.feesByMode().total());
        assertThat(t.feesByMode().none()).isPositive();
        assertThat(t.feesByMode().optimistic()).isPositive();
        assertThat(t.feesByMode().sampled()).isPositive();
        assertThat(t.auditFees()).isPositive();
        assertThat(t.disputeRewards()).isPositive();
        assertThat(t.penalties()).isPositive();
        assertThat(t.net()).isEqualTo(t.fees() + t.auditFees() + t.disputeRewards() - t.penalties());
        assertThat(report.days()).isNotEmpty();
        assertThat(report.days().stream().map(EarningsReport.Day::figures).reduce(Figures.ZERO, Figures::plus)).isEqualTo(t);
        assertThat(report.penalties()).hasSize(2);
        EarningsReport.Penalty missed = report.penalties().get(0);
        assertThat(missed.type()).isEqualTo("NODE_PENALIZED");
        assertThat(missed.job()).isEqualTo(missedJob.hex());
        assertThat(missed.mode()).isEqualTo("NONE");
        assertThat(missed.amount()).isEqualTo(20 * VRT); // 1% of the 2,000 VRT stake
        assertThat(missed.reason()).startsWith("missed the result deadline of job " + missedJob.hex());
        EarningsReport.Penalty slashed = report.penalties().get(1);
        assertThat(slashed.type()).isEqualTo("NODE_SLASHED");
        assertThat(slashed.job()).isEqualTo(lostDispute.hex());
        assertThat(slashed.reason()).startsWith("lost the dispute over its result for job " + lostDispute.hex())
                .contains("the defender did not move in round 0");

        // The chain's own running totals of the node agree: fees and audit fees are what it earned; penalties what it lost.
        NodeView n = client.node(NODE.publicKey());
        assertThat(n.earned()).isEqualTo(t.fees() + t.auditFees());
        assertThat(n.penalized()).isEqualTo(t.penalties());

        // BOB won the second dispute: he was paid the job and a reward, and lost part of his bond in the first.
        Figures bob = EarningsReport.build(replayed, BOB.publicKey()).totals();
        assertThat(bob.jobsByMode()).isEqualTo(new ByMode(0, 0, 1, 0, 0));
        assertThat(bob.disputeRewards()).isPositive();
        assertThat(EarningsReport.build(replayed, BOB.publicKey()).penalties()).singleElement()
                .satisfies(p -> assertThat(p.type()).isEqualTo("BOND_SLASHED"));
    }

    /**
     * NODE settled jobs and audited AUDITOR's results, AUDITOR the other way round: the chain's own counter
     * ({@code jobsCompleted}) counts both, and {@code node show} and {@code node earnings} show them apart under the
     * same names, with the same numbers.
     */
    @Test
    void nodeShowAndNodeEarningsCountJobsSettledAndAuditsAlike() {
        for (PrivateKey k : List.of(NODE, AUDITOR)) {
            String id = k.publicKey().hex();
            CliRun.Result show = CliRun.run("node", "show", id, "--api", api, "--json");
            assertThat(show.exitCode()).as("%s", show).isZero();
            CliRun.Result earnings = CliRun.run("node", "earnings", id, "--api", api, "--json");
            assertThat(earnings.exitCode()).as("%s", earnings).isZero();
            JsonNode s = show.json();
            JsonNode totals = earnings.json().get("totals");

            assertThat(s.get("jobsSettled")).as("jobs settled of %s", id).isEqualTo(totals.get("jobsSettled"));
            assertThat(s.get("audits")).as("audits of %s", id).isEqualTo(totals.get("audits"));
            long settled = s.get("jobsSettled").get("total").asLong();
            long audits = s.get("audits").asLong();
            assertThat(settled).as("%s settled jobs", id).isPositive();
            assertThat(audits).as("%s audited results", id).isPositive();
            // the ledger's counter goes up for both; it is their sum, not the jobs settled
            assertThat(s.get("jobsCompleted").asLong()).isEqualTo(settled + audits).isEqualTo(client.node(k.publicKey()).jobsCompleted());
            assertThat(s.get("height").asLong()).isEqualTo(earnings.json().get("height").asLong());

            CliRun.Result showText = CliRun.run("node", "show", id, "--api", api);
            CliRun.Result earningsText = CliRun.run("node", "earnings", id, "--api", api);
            String settledLine = line(showText.out(), "jobs settled:");
            assertThat(settledLine).isEqualTo(line(earningsText.out(), "jobs settled:")).contains(" " + settled + " (");
            assertThat(line(showText.out(), "audits:")).isEqualTo(line(earningsText.out(), "audits:")).endsWith(" " + audits);
            assertThat(showText.out()).doesNotContain("jobs completed");
        }
        CliRun.Result list = CliRun.run("node", "list", "--api", api);
        assertThat(list.out()).contains("JOBS+AUDITS");
    }

    /** The line of {@code text} that starts with {@code label}, its padding collapsed. */
    private static String line(String text, String label) {
        return text.lines().filter(l -> l.startsWith(label)).map(l -> l.replaceAll(" +", " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + label + "' in:\n" + text));
    }

    @Test
    void humanOutputShowsTheDaysThePenaltiesWithTheirReasonsAndTheTotals() {
        EarningsReport report = EarningsReport.build(replayEveryBlock(), NODE.publicKey());
        CliRun.Result r = CliRun.run("node", "earnings", NODE.publicKey().hex(), "--api", api);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.out()).contains("earnings of node " + NODE.publicKey().hex(), "days in UTC",
                "DATE", "NONE", "TEE", "OPTIMISTIC", "SAMPLED", "ZK", "FEES", "AUDIT FEES", "REWARDS", "PENALTIES", "NET",
                report.from().toString(), "total",
                "penalties:", "NODE_PENALIZED", "missed the result deadline of job " + missedJob.hex(),
                "NODE_SLASHED", "lost the dispute over its result for job " + lostDispute.hex(),
                "net:", Output.tokens(report.totals().net()), "audit fees:", Output.tokens(report.totals().auditFees()));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aRangeAndAZoneGiveTheSameFiguresOverTheDaysTheyCover() throws Exception {
        List<EventView> replayed = replayEveryBlock();
        EarningsReport utc = EarningsReport.build(replayed, NODE.publicKey());
        LocalDate from = utc.from().minusDays(2);
        LocalDate to = utc.to().plusDays(1);
        CliRun.Result r = CliRun.run("node", "earnings", NODE.publicKey().hex(), "--api", api, "--from", from.toString(),
                "--to", to.toString(), "--by", "day", "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        EarningsReport ranged = EarningsReport.build(replayed, NODE.publicKey(), ZoneOffset.UTC, from, to);
        assertThat(r.json()).isEqualTo(expectedJson(ranged, chain.height()));
        assertThat(r.json().get("days").size()).isEqualTo(utc.days().size() + 3);
        assertThat(r.json().get("days").get(0).get("net").asLong()).isZero();
        assertThat(ranged.totals()).isEqualTo(utc.totals());

        ZoneId zone = ZoneId.of("Pacific/Kiritimati"); // UTC+14: the day of each block moves, not the figures
        CliRun.Result z = CliRun.run("node", "earnings", NODE.publicKey().hex(), "--api", api, "--zone", zone.getId(), "--json");
        assertThat(z.exitCode()).as("%s", z).isZero();
        assertThat(z.json()).isEqualTo(expectedJson(EarningsReport.build(replayed, NODE.publicKey(), zone, null, null), chain.height()));
        assertThat(z.json().get("zone").asText()).isEqualTo("Pacific/Kiritimati");
        assertThat(z.json().get("totals")).isEqualTo(r.json().get("totals"));
    }

    @Test
    void badInputIsBadUsageAndAnUnknownNodeAFailure() {
        String node = NODE.publicKey().hex();
        assertUsage(CliRun.run("node", "earnings", "not-a-key", "--api", api), "not an account id");
        assertUsage(CliRun.run("node", "earnings", node, "--api", api, "--from", "2026-02-30"), "not a date");
        assertUsage(CliRun.run("node", "earnings", node, "--api", api, "--from", "yesterday"), "YYYY-MM-DD");
        assertUsage(CliRun.run("node", "earnings", node, "--api", api, "--from", "2026-03-02", "--to", "2026-03-01"),
                "--to 2026-03-01 is before --from 2026-03-02");
        assertUsage(CliRun.run("node", "earnings", node, "--api", api, "--zone", "Mars/Olympus"), "not a time zone");
        assertUsage(CliRun.run("node", "earnings", node, "--api", api, "--by", "week"), "--by takes only 'day'");
        assertUsage(CliRun.run("node", "earnings", node, "--api", api, "--from", "0001-01-01", "--to", "2026-01-01"), "at most");

        CliRun.Result json = CliRun.run("node", "earnings", node, "--api", api, "--by", "month", "--json");
        assertThat(json.exitCode()).isEqualTo(2);
        assertThat(json.json().get("code").asText()).isEqualTo("BAD_USAGE");

        String stranger = PrivateKey.deterministic("earnings-nobody").publicKey().hex();
        CliRun.Result unknown = CliRun.run("node", "earnings", stranger, "--api", api);
        assertThat(unknown.exitCode()).as("%s", unknown).isEqualTo(1);
        assertThat(unknown.err()).startsWith("error: no node " + stranger + " is registered").doesNotContain("\tat ");
        assertThat(unknown.err().lines().count()).isOne();
        CliRun.Result unknownJson = CliRun.run("node", "earnings", stranger, "--api", api, "--json");
        assertThat(unknownJson.exitCode()).isEqualTo(1);
        assertThat(unknownJson.json().get("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void theCalculatorTakesTheRevenueSideFromTheNodesEarningsOnChain() throws Exception {
        for (PrivateKey k : List.of(AUDITOR, NODE)) {
            EarningsReport report = EarningsReport.build(EventHistory.fetch(client, k.publicKey()).events(), k.publicKey());
            long net = report.totals().net();
            CliRun.Result r = CliRun.run("economics", "--node", k.publicKey().hex(), "--gpu", "RTX 4090", "--days", "7",
                    "--token-price", "2", "--api", api, "--json");
            assertThat(r.exitCode()).as("%s", r).isZero();
            JsonNode doc = r.json();
            // every block of this chain is within the last 7 days; a node whose penalties exceed its earnings has no revenue
            double expectedPerDay = Math.max(0, net / 1_000_000.0 * 2 / 7);
            assertThat(doc.get("verity").get("revenuePerDay").asDouble()).as("net %s", net).isCloseTo(expectedPerDay, within(1e-9));
            assertThat(doc.get("inputs").get("utilization").get("source").asText()).contains("earnings on chain", "7 days");
            assertThat(doc.get("networkPrice").get("basePricePerPetaComputeUnit").asLong()).isEqualTo(client.status().basePrice());
            assertThat(doc.get("networkPrice").get("source").asText()).isEqualTo("chain at " + api + ": base price "
                    + client.status().basePrice() + " at height " + client.status().height() + ", node share 80%");
            assertThat(doc.get("inputs").get("utilization").get("source").asText()).contains(" jobs settled, ", " audits)");
            if (k == AUDITOR) {
                assertThat(net).isPositive();
            } else {
                assertThat(net).as("the node's penalties outweigh its fees").isNegative();
            }
        }

        CliRun.Result both = CliRun.run("economics", "--node", NODE.publicKey().hex(), "--gpu", "H100", "--utilization", "0.5",
                "--api", api);
        assertUsage(both, "--node takes the utilization and the revenue from the chain");
        CliRun.Result noGpu = CliRun.run("economics", "--node", NODE.publicKey().hex(), "--api", api);
        assertThat(noGpu.exitCode()).as("the node declares a CPU only: %s", noGpu).isEqualTo(2);
        assertThat(noGpu.err()).contains("declares no GPU; give --gpu");
        CliRun.Result stranger = CliRun.run("economics", "--node", BOB.publicKey().hex(), "--gpu", "H100", "--api", api);
        assertThat(stranger.exitCode()).isEqualTo(1);
        assertThat(stranger.err()).contains("no node");
    }

    private static void assertUsage(CliRun.Result r, String message) {
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains(message).doesNotContain("\tat ");
        assertThat(r.err().lines().count()).as("%s", r).isOne();
        assertThat(r.out()).isEmpty();
    }

    /**
     * Every event of the chain, rebuilt without its event store: each block (from the node's block store,
     * checked against what the API serves) re-executed on a ledger fresh from genesis, its events given the
     * block's height, their index in it and the block's time.
     */
    static List<EventView> replayEveryBlock() {
        Ledger ledger = Ledger.fromGenesis(genesis);
        Hash previous = genesis.hash();
        List<EventView> events = new ArrayList<>();
        long head = chain.height();
        for (long h = 1; h <= head; h++) {
            Block block = chain.block(h).orElseThrow();
            BlockView served = client.block(h);
            assertThat(served.hash()).isEqualTo(block.hash().hex());
            assertThat(served.timestampMillis()).isEqualTo(block.header().timestampMillis());
            List<LedgerEvent> produced = BlockExecution.execute(ledger, block, previous);
            for (int i = 0; i < produced.size(); i++) {
                LedgerEvent e = produced.get(i);
                events.add(new EventView(h, i, block.header().timestampMillis(), e.type().name(),
                        e.job() == null ? null : e.job().hex(), e.node() == null ? null : e.node().hex(),
                        e.account() == null ? null : e.account().hex(), e.amount(), e.reason(),
                        e.mode() == null ? null : e.mode().name()));
            }
            previous = block.hash();
        }
        assertThat(ledger.state().root().hex()).isEqualTo(client.status().stateRoot());
        return events;
    }

    /** The CLI's JSON document for a report: the report's own document with the height the events were read to. */
    static JsonNode expectedJson(EarningsReport report, long height) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        report.document().forEach((k, v) -> {
            doc.put(k, v);
            if (k.equals("to")) {
                doc.put("height", height);
            }
        });
        return JSON.readTree(JSON.writeValueAsString(doc));
    }

    static void produce() {
        chain.produceBlock();
    }

    static Wallet wallet(PrivateKey key) {
        return new Wallet(client, key);
    }

    static byte[] input() {
        return PackageRunner.encode(Digits.split().test().inputs()[inputs++]);
    }

    /** Submits a job from ALICE and produces the block that takes and assigns it. */
    static Hash submit(VerificationMode mode, byte[] input) {
        Hash job = wallet(ALICE).submitJob(digits.id(), input, mode, List.of(), VRT, 5);
        produce();
        assertThat(client.job(job).status()).isEqualTo("ASSIGNED");
        return job;
    }

    /** The node's trace with one inner value changed: the same output, a different root. */
    static TraceTree lie(Hash job, TraceValues truth) {
        List<Hash> values = new ArrayList<>(truth.values());
        values.set(2, Sha256.digest(new byte[] {7}));
        return new TraceTree(job, NODE.publicKey(), values);
    }

    static void move(Wallet w, Hash job, TraceTree tree) {
        DisputeView d = client.dispute(job);
        int mid = TraceTree.split(d.lo(), d.hi());
        w.disputeMove(job, tree.node((int) d.lo(), mid), tree.node(mid, (int) d.hi()));
    }

    static void produceUntilSettled(Hash job) {
        for (int i = 0; i < 100 && !client.job(job).status().equals("SETTLED"); i++) {
            produce();
        }
        assertThat(client.job(job).status()).isEqualTo("SETTLED");
        try {
            client.dispute(job);
            throw new AssertionError("the dispute over " + job.hex() + " is still running");
        } catch (VerityApiException e) {
            assertThat(e.status()).isEqualTo(404);
        }
    }
}
