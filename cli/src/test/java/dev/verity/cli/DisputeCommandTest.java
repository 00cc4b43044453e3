package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.compute.verify.IntegerProgram;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.devnet.DigitsPackage;
import dev.verity.devnet.ShippedSchemas;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.inference.trace.TraceValues;
import dev.verity.ledger.Genesis;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.modelhub.train.Digits;
import dev.verity.proofs.trace.TraceClaim;
import dev.verity.proofs.trace.TraceTree;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.tx.Hardware;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.DisputeView;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.LocalChain;
import dev.verity.validator.chain.ChainNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verity job show} and {@code verity dispute list|show} against a node whose blocks the test produces, so a
 * dispute stays at each stage while the commands look at it: a node's honest OPTIMISTIC result, challenged by a
 * lying challenger, played to the end by hand.
 */
class DisputeCommandTest {
    static final long VRT = Params.BASE_UNITS_PER_TOKEN;
    static final PrivateKey VALIDATOR = PrivateKey.deterministic("cli-validator");
    static final PrivateKey ALICE = PrivateKey.deterministic("cli-alice");
    static final PrivateKey NODE = PrivateKey.deterministic("cli-node");
    static final PrivateKey BOB = PrivateKey.deterministic("cli-bob");

    @TempDir
    static Path dir;

    static ChainNode chain;
    static LocalChain local;
    static VerityClient client;
    static String api;
    static ModelPackage digits;
    static IntegerProgram program;

    @BeforeAll
    static void start() {
        Genesis genesis = TestGenesis.chain("verity-cli-test").fund(ALICE, 100_000 * VRT).fund(NODE, 100_000 * VRT).fund(BOB, 100_000 * VRT)
                .validator(VALIDATOR).build();
        local = LocalChain.start(dir.resolve("data"), genesis, VALIDATOR);
        chain = local.chain();
        api = local.api();
        client = local.client();
        digits = DigitsPackage.build();
        program = IntegerProgram.of(digits);
    }

    @AfterAll
    static void stop() {
        if (local != null) {
            local.close();
        }
    }

    private static CliRun.Result run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void jobShowAndDisputeCommandsFollowAGameFromChallengeToItsEnd() {
        Wallet alice = new Wallet(client, ALICE);
        Hash model = digits.id();
        alice.registerModel(model, "digits", "64 floats", "10 floats", 1, ShippedSchemas.digits(digits));
        chain.produceBlock();
        alice.registerProgram(model, program.commitment().root(), program.commitment().leafCount(), program.commitment().stepCount());
        new Wallet(client, NODE).registerNode(2_000 * VRT, List.of(model), List.of(VerificationMode.OPTIMISTIC),
                Hardware.cpuOnly("test CPU", 2));
        chain.produceBlock();
        CliRun.Result modelShow = run("model", "show", model.hex(), "--api", api);
        assertThat(modelShow.exitCode()).as("%s", modelShow).isZero();
        assertThat(modelShow.out()).contains("program:", "root " + program.commitment().root().hex(), "served OPTIMISTIC and SAMPLED");

        byte[] input = PackageRunner.encode(Digits.split().test().inputs()[1]);
        Hash job = alice.submitJob(model, input, VerificationMode.OPTIMISTIC, List.of(), VRT, 5);
        chain.produceBlock();
        TraceValues truth = program.trace(input);
        TraceTree honest = new TraceTree(job, NODE.publicKey(), truth.values());
        new Wallet(client, NODE).submitResult(job, truth.output(), TraceClaim.of(honest).encode());
        chain.produceBlock();

        CliRun.Result verifying = run("job", "show", job.hex(), "--api", api);
        assertThat(verifying.exitCode()).as("%s", verifying).isZero();
        assertThat(verifying.out()).contains("VERIFYING", "verification:", "OPTIMISTIC result of node " + NODE.publicKey().hex().substring(0, 12),
                "open to challenge until block").doesNotContain("dispute:");
        CliRun.Result none = run("dispute", "list", "--api", api);
        assertThat(none.out()).contains("no running disputes");

        List<Hash> lie = new ArrayList<>(truth.values());
        lie.set(2, Sha256.digest(new byte[] {7}));
        TraceTree bobs = new TraceTree(job, NODE.publicKey(), lie);
        Wallet bob = new Wallet(client, BOB);
        bob.challenge(job, truth.output(), TraceClaim.of(bobs).encode());
        chain.produceBlock();

        CliRun.Result disputed = run("job", "show", job.hex(), "--api", api);
        assertThat(disputed.exitCode()).as("%s", disputed).isZero();
        assertThat(disputed.out()).contains("DISPUTED", "verification:", "disputed (challenge window until block",
                "dispute:", "challenger " + BOB.publicKey().hex().substring(0, 12) + " (bond 100.000000 VRT) disputes node",
                "over 4 trace values", "round 0 on [0, 4): defender to move, challenger to move");
        JsonNode shown = run("job", "show", job.hex(), "--api", api, "--json").json();
        assertThat(shown.get("verification").get("phase").asText()).isEqualTo("DISPUTED");
        assertThat(shown.get("dispute").get("kind").asText()).isEqualTo("CHALLENGE");

        CliRun.Result list = run("dispute", "list", "--api", api, "--json");
        assertThat(list.exitCode()).as("%s", list).isZero();
        assertThat(list.json().size()).isOne();
        assertThat(list.json().get(0).get("job").asText()).isEqualTo(job.hex());
        assertThat(run("dispute", "list", "--api", api, "--party", ALICE.publicKey().hex(), "--json").json().size()).isZero();
        CliRun.Result table = run("dispute", "list", "--api", api, "--party", BOB.publicKey().hex());
        assertThat(table.out()).contains("JOB", "KIND", "RANGE", job.hex(), "CHALLENGE", "BISECT", "[0, 4)");

        // Round 0 by both parties: the dispute narrows and the commands show where it stands.
        move(bob, job, bobs);
        move(new Wallet(client, NODE), job, honest);
        chain.produceBlock();
        CliRun.Result show = run("dispute", "show", job.hex(), "--api", api);
        assertThat(show.exitCode()).as("%s", show).isZero();
        assertThat(show.out()).contains("status:", "running", "round 1 on [2, 4)", "agreed range:", "[0, 2): ");
        JsonNode showJson = run("dispute", "show", job.hex(), "--api", api, "--json").json();
        assertThat(showJson.get("lo").asLong()).isEqualTo(2);
        assertThat(showJson.get("defenderMoves").asInt()).isOne();

        // Round 1 and the single step, which the honest node proves.
        move(bob, job, bobs);
        move(new Wallet(client, NODE), job, honest);
        chain.produceBlock();
        DisputeView step = client.dispute(job);
        assertThat(step.phase()).isEqualTo("STEP");
        assertThat(run("dispute", "show", job.hex(), "--api", api).out()).contains("single step at trace index 2");
        int k = (int) step.lo();
        new Wallet(client, NODE).proveStep(job, truth.values().get(k - 1), honest.path((int) step.agreedLo(), k, k - 1),
                program.witness(input, k).encode());
        chain.produceBlock();

        CliRun.Result ended = run("dispute", "show", job.hex(), "--api", api);
        assertThat(ended.exitCode()).as("%s", ended).isZero();
        assertThat(ended.out()).contains("ended at block", "the result's node won", "trace index 2 (engine step 1)");
        JsonNode endedJson = run("dispute", "show", job.hex(), "--api", api, "--json").json();
        assertThat(endedJson.get("running").asBoolean()).isFalse();
        assertThat(endedJson.get("defender").asText()).isEqualTo(NODE.publicKey().hex());
        assertThat(endedJson.get("slashed").asLong()).as("part of the liar's bond").isPositive();
        assertThat(run("job", "show", job.hex(), "--api", api).out()).contains("VERIFYING", "open to challenge until block");

        // Once its window closes, the job settles and job show tells how it was verified.
        long windowEnds = client.job(job).verification().windowEnds();
        while (chain.height() < windowEnds) {
            chain.produceBlock();
        }
        CliRun.Result settled = run("job", "show", job.hex(), "--api", api);
        assertThat(settled.out()).contains("SETTLED", "dispute:", "ended at block", "the result's node won",
                "paid to:", NODE.publicKey().hex()).doesNotContain("verification:");
    }

    @Test
    void aJobWithoutADisputeAndAnUnknownJobAreErrors() {
        Hash job = new Wallet(client, ALICE).transfer(BOB.publicKey(), 1);
        chain.produceBlock();
        CliRun.Result unknown = run("dispute", "show", job.hex(), "--api", api, "--json");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.json().get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(run("dispute", "list", "--api", api, "--limit", "0").exitCode()).isEqualTo(2);
        assertThat(run("dispute").exitCode()).isEqualTo(2);
    }

    private static void move(Wallet w, Hash job, TraceTree tree) {
        DisputeView d = client.dispute(job);
        int mid = TraceTree.split(d.lo(), d.hi());
        w.disputeMove(job, tree.node((int) d.lo(), mid), tree.node(mid, (int) d.hi()));
    }
}
