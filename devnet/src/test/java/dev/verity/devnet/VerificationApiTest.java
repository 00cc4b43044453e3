package dev.verity.devnet;

import static dev.verity.validator.api.ApiFixture.ALICE;
import static dev.verity.validator.api.ApiFixture.BOB;
import static dev.verity.validator.api.ApiFixture.NODE;
import static dev.verity.validator.api.ApiFixture.VRT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.compute.verify.IntegerProgram;
import dev.verity.compute.verify.ProvablePrograms;
import dev.verity.compute.verify.Tracer;
import dev.verity.compute.verify.VerificationRoles;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.inference.pkg.ModelPackage;
import dev.verity.inference.trace.TraceValues;
import dev.verity.modelhub.hub.PackageRunner;
import dev.verity.modelhub.train.Digits;
import dev.verity.proofs.trace.TraceClaim;
import dev.verity.proofs.trace.TraceTree;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Hardware;
import dev.verity.sdk.ClaimQuery;
import dev.verity.sdk.DisputeQuery;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.JobQuery;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.ClaimView;
import dev.verity.sdk.api.DisputeView;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.JobView;
import dev.verity.sdk.api.ModelView;
import dev.verity.service.model.ModelStore;
import dev.verity.validator.api.ApiFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provable results over real HTTP: a model with its program, an OPTIMISTIC result listed among the claims and
 * shown on its job, a lying challenger whose game is listed and shown move by move, and an honest node whose
 * dispute player defends its result and proves the step.
 */
class VerificationApiTest {
    static ModelPackage digits;
    static IntegerProgram program;

    @TempDir
    Path dir;
    ApiFixture f;

    @BeforeAll
    static void buildPackage() {
        digits = DigitsPackage.build();
        program = IntegerProgram.of(digits);
    }

    @BeforeEach
    void start() {
        f = new ApiFixture(dir);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** Registers the digits model with its program and NODE as its OPTIMISTIC node; returns the model id. */
    private Hash provableModel() {
        Wallet alice = f.wallet(ALICE);
        Hash model = digits.id();
        alice.registerModel(model, "digits", "64 floats", "10 floats", 1, ShippedSchemas.digits(digits));
        f.produce();
        alice.registerProgram(model, program.commitment().root(), program.commitment().leafCount(),
                program.commitment().stepCount());
        f.produce();
        f.wallet(NODE).registerNode(2_000 * VRT, List.of(model), List.of(VerificationMode.OPTIMISTIC, VerificationMode.SAMPLED),
                Hardware.cpuOnly("test CPU", 2));
        f.produce();
        return model;
    }

    @Test
    void aModelShowsItsProgram() {
        Hash model = provableModel();
        ModelView m = f.client.model(model);
        assertThat(m.program()).isNotNull();
        assertThat(m.program().root()).isEqualTo(program.commitment().root().hex());
        assertThat(m.program().leafCount()).isEqualTo(program.commitment().leafCount());
        assertThat(m.program().stepCount()).isEqualTo(program.commitment().stepCount());
        assertThat(m.program().registeredAt()).isEqualTo(2);
        assertThat(f.client.models()).containsExactly(m);
    }

    @Test
    void aChallengedResultIsListedShownAndDefendedByItsNode() throws Exception {
        Hash model = provableModel();
        byte[] input = PackageRunner.encode(Digits.split().test().inputs()[7]);
        Hash job = f.wallet(ALICE).submitJob(model, input, VerificationMode.OPTIMISTIC, List.of(), VRT, 5);
        f.produce();

        TraceValues truth = program.trace(input);
        TraceTree honest = new TraceTree(job, NODE.publicKey(), truth.values());
        Wallet node = f.wallet(NODE);
        node.submitResult(job, truth.output(), TraceClaim.of(honest).encode());
        long postedAt = f.produce().height();

        List<ClaimView> claims = f.client.claims(ClaimQuery.challengeable(model));
        assertThat(claims).singleElement().satisfies(c -> {
            assertThat(c.job()).isEqualTo(job.hex());
            assertThat(c.mode()).isEqualTo("OPTIMISTIC");
            assertThat(c.phase()).isEqualTo("CHALLENGE_WINDOW");
            assertThat(c.node()).isEqualTo(NODE.publicKey().hex());
            assertThat(c.root()).isEqualTo(honest.root().hex());
            assertThat(c.postedAt()).isEqualTo(postedAt);
            assertThat(c.windowEnds()).isEqualTo(postedAt + f.client.params().get("challengeWindowBlocks").asLong());
            assertThat(c.auditor()).isNull();
        });
        JobView verifying = f.client.job(job);
        assertThat(verifying.status()).isEqualTo("VERIFYING");
        assertThat(verifying.verification()).isEqualTo(claims.get(0));
        assertThat(verifying.dispute()).isNull();
        assertThat(f.client.jobs(JobQuery.all().withStatus("VERIFYING"))).extracting(JobView::id).containsExactly(job.hex());
        assertThat(f.client.claims(ClaimQuery.auditsFor(BOB.publicKey()))).isEmpty();
        assertThat(f.client.claims(ClaimQuery.all().withNode(BOB.publicKey()))).isEmpty();

        // Bob challenges with a made-up intermediate value: his root differs, his output is the same.
        List<Hash> lie = new ArrayList<>(truth.values());
        lie.set(1, Sha256.digest(new byte[] {42}));
        TraceTree bobs = new TraceTree(job, NODE.publicKey(), lie);
        Wallet bob = f.wallet(BOB);
        bob.challenge(job, truth.output(), TraceClaim.of(bobs).encode());
        long openedAt = f.produce().height();

        DisputeView opened = f.client.dispute(job);
        assertThat(opened.kind()).isEqualTo("CHALLENGE");
        assertThat(opened.defender()).isEqualTo(NODE.publicKey().hex());
        assertThat(opened.challenger()).isEqualTo(BOB.publicKey().hex());
        assertThat(opened.defenderRoot()).isEqualTo(honest.root().hex());
        assertThat(opened.challengerRoot()).isEqualTo(bobs.root().hex());
        assertThat(opened.challengerOutputHash()).isEqualTo(Sha256.digest(truth.output()).hex());
        assertThat(opened.bond()).isEqualTo(f.client.params().get("challengerBond").asLong());
        assertThat(opened.traceSize()).isEqualTo(truth.values().size());
        assertThat(opened.phase()).isEqualTo("BISECT");
        assertThat(List.of(opened.lo(), opened.hi())).containsExactly(0L, (long) truth.values().size());
        assertThat(opened.defenderMoved()).isFalse();
        assertThat(opened.challengerMoved()).isFalse();
        assertThat(opened.agreedNode()).isNull();
        assertThat(opened.openedAt()).isEqualTo(openedAt);
        assertThat(f.client.disputes(DisputeQuery.withParty(BOB.publicKey()))).containsExactly(opened);
        assertThat(f.client.disputes(DisputeQuery.withParty(NODE.publicKey()).withModel(model))).containsExactly(opened);
        assertThat(f.client.disputes(DisputeQuery.withParty(ALICE.publicKey()))).isEmpty();
        JobView disputed = f.client.job(job);
        assertThat(disputed.status()).isEqualTo("DISPUTED");
        assertThat(disputed.dispute()).isEqualTo(opened);
        assertThat(disputed.verification().phase()).isEqualTo("DISPUTED");
        assertThat(f.client.claims(ClaimQuery.challengeable(model))).isEmpty();

        // The node defends with its dispute player; Bob plays his own tree by hand.
        ModelStore store = new ModelStore(dir.resolve("models"));
        store.put(digits.encode(), ModelStore.PACKAGE_SUFFIX);
        Tracer tracer = new Tracer(f.client, new ProvablePrograms(store, f.client), NODE.publicKey());
        List<String> seen = new ArrayList<>();
        try (VerificationRoles roles = new VerificationRoles(f.client, node, tracer, VerificationRoles.Config.disputesOnly())) {
            roles.start();
            int bobsRound = -1;
            for (int i = 0; i < 100; i++) {
                DisputeView d = disputeOrNull(job);
                if (d == null) {
                    break;
                }
                seen.add(d.phase() + " [" + d.lo() + ", " + d.hi() + ")");
                if ("BISECT".equals(d.phase()) && !d.challengerMoved() && bobsRound < d.round()) {
                    int mid = TraceTree.split(d.lo(), d.hi());
                    bob.disputeMove(job, bobs.node((int) d.lo(), mid), bobs.node(mid, (int) d.hi()));
                    bobsRound = d.round();
                }
                Thread.sleep(150);
                f.produce();
            }
            assertThat(roles.stepProofs()).isEqualTo(1);
            assertThat(roles.disputeMoves()).isPositive();
        }
        assertThat(seen).contains("STEP [1, 2)");
        assertThatThrownBy(() -> f.client.dispute(job)).isInstanceOfSatisfying(VerityApiException.class,
                e -> assertThat(e.status()).isEqualTo(404));
        EventView resolved = f.client.events(EventQuery.forJob(job)).stream().filter(e -> e.type().equals("DISPUTE_RESOLVED"))
                .findFirst().orElseThrow();
        assertThat(resolved.reason()).startsWith("the result's node won").contains("trace index 1 (engine step 0)");
        JobView back = f.client.job(job);
        assertThat(back.status()).as("back in its challenge window").isEqualTo("VERIFYING");
        assertThat(back.verification().phase()).isEqualTo("CHALLENGE_WINDOW");
    }

    @Test
    void malformedFiltersAreRefusedWithTheParameterNamed() throws Exception {
        var bad = f.get("/v1/claims?phase=LATER");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(f.json(bad.body()).get("message").asText()).contains("'phase'", "CHALLENGE_WINDOW", "AUDITING");
        var party = f.get("/v1/disputes?party=nope");
        assertThat(party.statusCode()).isEqualTo(400);
        assertThat(f.json(party.body()).get("message").asText()).contains("'party'");
        var unknown = f.get("/v1/disputes/" + "ab".repeat(32));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(f.json(unknown.body()).get("message").asText()).contains("no dispute over job");
        assertThat(f.client.claims(ClaimQuery.all())).isEmpty();
        assertThat(f.client.disputes(DisputeQuery.all())).isEmpty();
    }

    @Test
    void aCheatModeIsRefusedOffTheDevnet() {
        ProvablePrograms programs = new ProvablePrograms(new ModelStore(dir.resolve("models")), f.client);
        assertThatThrownBy(() -> new Tracer(f.client, programs, NODE.publicKey(), CheatMode.WRONG_OUTPUT, 8))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("devnet").hasMessageContaining("'" + ApiFixture.CHAIN_ID + "'");
    }

    private DisputeView disputeOrNull(Hash job) {
        try {
            return f.client.dispute(job);
        } catch (VerityApiException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }
}
