package dev.verity.devnet;

import static dev.verity.validator.api.ApiFixture.ALICE;
import static dev.verity.validator.api.ApiFixture.BOB;
import static dev.verity.validator.api.ApiFixture.CHAIN_ID;
import static dev.verity.validator.api.ApiFixture.GENESIS_TIME;
import static dev.verity.validator.api.ApiFixture.GOVERNOR;
import static dev.verity.validator.api.ApiFixture.NODE;
import static dev.verity.validator.api.ApiFixture.STRANGER;
import static dev.verity.validator.api.ApiFixture.VRT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.compute.tee.VendorRoots;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.devtee.DevSevSnpPlatform;
import dev.verity.devtee.SeededRandom;
import dev.verity.proofs.attestation.Collateral;
import dev.verity.proofs.attestation.CollateralKind;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TcbVersion;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.governance.Approval;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.protocol.governance.RevocationTarget;
import dev.verity.protocol.tx.Hardware;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.JobQuery;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.TeePolicyView;
import dev.verity.validator.api.ApiFixture;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/tee} and {@code Wallet.govern}: the policy as governance changes it, block by block. */
class TeePolicyApiTest {
    @TempDir
    Path dir;
    ApiFixture f;

    @BeforeEach
    void start() {
        f = new ApiFixture(dir);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void genesisPolicyHasTheOneMemberCouncilAndNothingElse() throws Exception {
        HttpResponse<String> r = f.get("/v1/tee");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode doc = f.json(r.body());
        List<String> fields = new ArrayList<>();
        doc.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("council", "nextProposal", "collateral", "approvedMeasurements", "revocations",
                "minimumTcbs", "enclaves");
        assertThat(doc.get("council").get("members").get(0).asText()).isEqualTo(GOVERNOR.publicKey().hex());
        assertThat(doc.get("council").get("threshold").asInt()).isEqualTo(1);
        assertThat(doc.get("nextProposal").asLong()).isZero();

        assertThat(f.client.teePolicy()).isEqualTo(new TeePolicyView(
                new TeePolicyView.CouncilView(List.of(GOVERNOR.publicKey().hex()), 1), 0, List.of(), List.of(), List.of(),
                List.of(), List.of()));
        assertThat(f.client.jobs(JobQuery.all().withStatus("CANCELLED"))).isEmpty();
    }

    @Test
    void walletGovernChangesThePolicyAndRevocationsUnregisterEnclaves() throws Exception {
        Wallet alice = f.wallet(ALICE);
        Instant notBefore = Instant.ofEpochMilli(Math.min(System.currentTimeMillis(), GENESIS_TIME)).minus(Duration.ofDays(1));
        DevSevSnpPlatform platform = DevSevSnpPlatform.generate(notBefore, Duration.ofDays(3650),
                new SeededRandom("verity api tee policy test"));
        Collateral ark = new Collateral(TeeType.SEV_SNP, CollateralKind.ROOT_CERTIFICATE, platform.arkDer());
        Collateral intel = VendorRoots.all().stream().filter(c -> c.type() == TeeType.TDX).findFirst().orElseThrow();
        Measurement build = DevEnclave.buildMeasurement();

        // Proposals 0 and 1: trust the development ARK and Intel's root, approved by the one-member council.
        included(alice.govern(new GovernanceAction.AddCollateral(ark), List.of(GOVERNOR)));
        included(alice.govern(new GovernanceAction.AddCollateral(intel), List.of(GOVERNOR)));
        TeePolicyView p = f.client.teePolicy();
        assertThat(p.nextProposal()).isEqualTo(2);
        assertThat(p.collateral()).hasSize(2);
        TeePolicyView.CollateralView arkView = p.collateral().stream().filter(c -> c.id().equals(ark.id().hex())).findFirst()
                .orElseThrow();
        assertThat(arkView.type()).isEqualTo("SEV_SNP");
        assertThat(arkView.kind()).isEqualTo("ROOT_CERTIFICATE");
        assertThat(arkView.sha256()).isEqualTo(Sha256.digest(platform.arkDer()).hex());
        assertThat(arkView.bytes()).isEqualTo(platform.arkDer().length);
        assertThat(arkView.subject()).isNotBlank();
        TeePolicyView.CollateralView intelView = p.collateral().stream().filter(c -> c.id().equals(intel.id().hex()))
                .findFirst().orElseThrow();
        assertThat(intelView.subject()).contains("CN=Intel SGX Root CA");

        // Proposal 2, approved apart: the member signs, anyone (Bob) submits.
        var approve = new GovernanceAction.ApproveMeasurement(TeeType.SEV_SNP, build, "the node build");
        Approval approval = Wallet.approve(CHAIN_ID, 2, approve, GOVERNOR);
        included(f.wallet(BOB).govern(2, approve, List.of(approval)));
        assertThat(f.client.teePolicy().approvedMeasurements())
                .containsExactly(new TeePolicyView.MeasurementView("SEV_SNP", build.hex(), "the node build"));

        // A TEE node registers its enclave under that policy.
        Hash model = Sha256.digest(Bytes.utf8("tee policy model"));
        included(alice.registerModel(model, "echo", "bytes", "bytes", 1_000));
        Wallet node = f.wallet(NODE);
        included(node.registerNode(2_000 * VRT, List.of(model), List.of(VerificationMode.NONE, VerificationMode.TEE),
                Hardware.cpuOnly("test CPU", 4)));
        DevEnclave enclave = DevEnclave.launch(platform, CHAIN_ID, NODE.publicKey(), build);
        long registeredAt = included(node.registerEnclave(enclave.publicKey(), enclave.attestation()));
        String chip = HexFormat.of().formatHex(platform.chipId());
        assertThat(f.client.teePolicy().enclaves()).containsExactly(new TeePolicyView.EnclaveView(enclave.publicKey().hex(),
                NODE.publicKey().hex(), "SEV_SNP", build.hex(), chip, List.of(0, 3, 0, 8, 115), ark.id().hex(), registeredAt));
        assertThat(f.client.node(NODE.publicKey()).enclaveKey()).isEqualTo(enclave.publicKey().hex());

        // Proposal 3: a minimum TCB the platform meets keeps the enclave.
        included(alice.govern(new GovernanceAction.SetMinimumTcb(TeeType.SEV_SNP, TcbVersion.of(0, 3, 0, 8, 115), "baseline"),
                List.of(GOVERNOR)));
        p = f.client.teePolicy();
        assertThat(p.minimumTcbs()).containsExactly(new TeePolicyView.MinimumTcbView("SEV_SNP", List.of(0, 3, 0, 8, 115)));
        assertThat(p.enclaves()).hasSize(1);

        // Proposal 4: revoking the chip unregisters the enclave at once.
        var target = new RevocationTarget.Chip(TeeType.SEV_SNP, platform.chipId());
        long revokedAt = included(alice.govern(new GovernanceAction.Revoke(target, "key extracted"), List.of(GOVERNOR)));
        p = f.client.teePolicy();
        assertThat(p.enclaves()).isEmpty();
        assertThat(p.revocations()).containsExactly(new TeePolicyView.RevocationView(target.id().hex(),
                new TeePolicyView.RevocationTargetView("CHIP", "SEV_SNP", chip, null), target.describe(), "key extracted",
                revokedAt));
        assertThat(f.client.node(NODE.publicKey()).enclaveKey()).isNull();
        List<EventView> events = f.client.events(EventQuery.all().withFromHeight(revokedAt));
        assertThat(events).extracting(EventView::type).contains("GOVERNANCE_APPLIED", "ENCLAVE_REVOKED");
        JsonNode rawTarget = f.json(f.get("/v1/tee").body()).get("revocations").get(0).get("target");
        assertThat(rawTarget.has("measurement")).as("absent fields are left out: %s", rawTarget).isFalse();
        assertThat(rawTarget.get("chipId").asText()).isEqualTo(chip);

        // Proposals 5 and 6: reinstate the chip; revoke the build, which also withdraws its approval.
        included(alice.govern(new GovernanceAction.Reinstate(target), List.of(GOVERNOR)));
        var build5 = new RevocationTarget.MeasurementTarget(TeeType.SEV_SNP, build);
        included(alice.govern(new GovernanceAction.Revoke(build5, "vulnerable build"), List.of(GOVERNOR)));
        p = f.client.teePolicy();
        assertThat(p.nextProposal()).isEqualTo(7);
        assertThat(p.approvedMeasurements()).isEmpty();
        assertThat(p.revocations()).extracting(r -> r.target()).containsExactly(
                new TeePolicyView.RevocationTargetView("MEASUREMENT", "SEV_SNP", null, build.hex()));
    }

    @Test
    void proposalsWithoutTheCouncilOrOutOfTurnAreRefused() {
        Wallet alice = f.wallet(ALICE);
        var action = new GovernanceAction.ApproveMeasurement(TeeType.TDX, new Measurement(new byte[48]), "zero");

        assertThatThrownBy(() -> alice.govern(action, List.of(STRANGER))).isInstanceOfSatisfying(VerityApiException.class, e -> {
            assertThat(e.code()).isEqualTo("INVALID_PROPOSAL");
            assertThat(e.getMessage()).contains("not a council member");
        });
        assertThatThrownBy(() -> alice.govern(1, action, List.of(Wallet.approve(CHAIN_ID, 1, action, GOVERNOR))))
                .isInstanceOfSatisfying(VerityApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("INVALID_PROPOSAL");
                    assertThat(e.getMessage()).contains("not the next one");
                });
        assertThatThrownBy(() -> alice.govern(0, action, List.of(Wallet.approve("another-chain", 0, action, GOVERNOR))))
                .isInstanceOfSatisfying(VerityApiException.class, e -> assertThat(e.code()).isEqualTo("BAD_SIGNATURE"));
        assertThatThrownBy(() -> alice.govern(action, List.of())).isInstanceOf(IllegalArgumentException.class);

        // Two of two: one approval is no longer enough.
        var council = new Council(List.of(GOVERNOR.publicKey(), BOB.publicKey()), 2);
        included(alice.govern(new GovernanceAction.ReplaceCouncil(council), List.of(GOVERNOR)));
        assertThat(f.client.teePolicy().council()).isEqualTo(new TeePolicyView.CouncilView(
                List.of(GOVERNOR.publicKey().hex(), BOB.publicKey().hex()), 2));
        assertThatThrownBy(() -> alice.govern(action, List.of(GOVERNOR))).isInstanceOfSatisfying(VerityApiException.class,
                e -> assertThat(e.getMessage()).contains("needs 2"));
        included(alice.govern(action, List.of(GOVERNOR, BOB)));
        assertThat(f.client.teePolicy().approvedMeasurements()).hasSize(1);
        assertThat(f.client.teePolicy().nextProposal()).isEqualTo(2);
    }

    /** Produces a block and returns its height, checking the transaction is in it. */
    private long included(Hash tx) {
        f.produce();
        var r = f.client.awaitReceipt(tx, Duration.ofSeconds(5));
        assertThat(r.status()).as("%s", r).isEqualTo("INCLUDED");
        return r.height();
    }
}
