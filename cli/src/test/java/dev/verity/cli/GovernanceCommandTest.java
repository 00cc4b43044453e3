package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.Params;
import dev.verity.protocol.governance.Council;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.TeePolicyView;
import dev.verity.testkit.TeeVectors;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.api.ApiServer;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.NodeConfig;
import dev.verity.validator.consensus.SingleValidatorConsensus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verity governance} against one validator node started here (no compute nodes): a one-member council
 * whose key has no funds, and a funded client that sends proposals.
 */
class GovernanceCommandTest {
    static final PrivateKey VALIDATOR = PrivateKey.deterministic("cli-gov-validator");
    static final PrivateKey GOVERNOR = PrivateKey.deterministic("cli-gov-governor");
    static final PrivateKey CLIENT = PrivateKey.deterministic("cli-gov-client");
    static final PrivateKey STRANGER = PrivateKey.deterministic("cli-gov-stranger");
    static final String MEASUREMENT = "ab".repeat(48);

    @TempDir
    static Path dir;

    static ChainNode chain;
    static SingleValidatorConsensus consensus;
    static ApiServer server;
    static VerityClient client;
    static String api;
    static String governor;
    static String clientKey;
    static String stranger;

    @BeforeAll
    static void startNode() {
        Genesis genesis = TestGenesis.chain("verity-cli-governance").at(System.currentTimeMillis()).fund(CLIENT, 1_000 * TestGenesis.VRT)
                .fund(STRANGER, 1_000 * TestGenesis.VRT).validator(VALIDATOR).governor(GOVERNOR).build();
        chain = ChainNode.open(NodeConfig.defaults(dir.resolve("chain")).withBlockInterval(50), genesis, VALIDATOR);
        consensus = new SingleValidatorConsensus(chain, 50);
        consensus.start();
        server = new ApiServer(chain, 0).start();
        api = server.url();
        client = new VerityClient(api);
        governor = save("governance.json", GOVERNOR);
        clientKey = save("client.json", CLIENT);
        stranger = save("stranger.json", STRANGER);
    }

    private static String save(String name, PrivateKey key) {
        Path p = dir.resolve("keys").resolve(name);
        KeyFiles.save(p, key);
        return p.toString();
    }

    @AfterAll
    static void stopNode() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (consensus != null) {
            consensus.close();
        }
        if (chain != null) {
            chain.close();
        }
    }

    private static CliRun.Result run(String... args) {
        return CliRun.run(args);
    }

    private static Path resource(String name) throws Exception {
        return TeeVectors.file(name);
    }

    @Test
    void showJsonIsThePolicyOfTheApi() {
        CliRun.Result r = run("governance", "show", "--api", api, "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("council").get("members").get(0).asText()).isEqualTo(GOVERNOR.publicKey().hex());
        assertThat(doc.get("council").get("threshold").asInt()).isEqualTo(1);
        assertThat(doc.get("nextProposal").asLong()).isNotNegative();
        for (String list : List.of("collateral", "approvedMeasurements", "revocations", "minimumTcbs", "enclaves")) {
            assertThat(doc.get(list).isArray()).as(list).isTrue();
        }

        CliRun.Result human = run("governance", "show", "--api", api);
        assertThat(human.exitCode()).as("%s", human).isZero();
        assertThat(human.out()).contains("council:", "1 of 1", GOVERNOR.publicKey().hex(), "next proposal:",
                "Trusted collateral", "Approved measurements", "Revocations", "Minimum TCB versions", "Registered enclaves");
    }

    @Test
    void approveMeasurementThenShowListsIt() {
        CliRun.Result r = run("governance", "approve-measurement", "--type", "tdx", "--measurement", MEASUREMENT,
                "--label", "node 0.2.0", "--approver", governor, "--key", clientKey, "--api", api, "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("action").asText()).isEqualTo("APPROVE_MEASUREMENT");
        assertThat(doc.get("status").asText()).isEqualTo("INCLUDED");
        assertThat(doc.get("height").asLong()).isPositive();
        assertThat(doc.get("sender").asText()).isEqualTo(CLIENT.publicKey().hex());
        assertThat(doc.get("approvers").get(0).asText()).isEqualTo(GOVERNOR.publicKey().hex());
        assertThat(doc.get("effect").asText()).contains("approves TDX measurement " + MEASUREMENT);

        CliRun.Result show = run("governance", "show", "--api", api, "--json");
        assertThat(show.exitCode()).as("%s", show).isZero();
        assertThat(show.json().get("approvedMeasurements").toString())
                .contains("\"type\":\"TDX\"", "\"measurement\":\"" + MEASUREMENT + "\"", "\"label\":\"node 0.2.0\"");
        assertThat(run("governance", "show", "--api", api).out()).contains(MEASUREMENT, "node 0.2.0");

        // The same again is refused by the ledger: exit 1 with its code and message.
        CliRun.Result again = run("governance", "approve-measurement", "--type", "TDX", "--measurement", MEASUREMENT,
                "--label", "twice", "--approver", governor, "--key", clientKey, "--api", api);
        assertThat(again.exitCode()).as("%s", again).isEqualTo(1);
        assertThat(again.err()).startsWith("error: ").contains("already approved").doesNotContain("\tat ");
    }

    @Test
    void badUsageExitsTwoBeforeAnythingIsSigned() {
        long next = client.teePolicy().nextProposal();
        List<List<String>> bad = List.of(
                List.of("approve-measurement", "--type", "TDX", "--measurement", "abcd", "--label", "short"),
                List.of("approve-measurement", "--type", "TDX", "--measurement", "zz".repeat(48), "--label", "not hex"),
                List.of("approve-measurement", "--type", "SGX", "--measurement", MEASUREMENT, "--label", "unknown type"),
                List.of("revoke", "--chip", "SEV_SNP:xyz", "--reason", "bad hex"),
                List.of("revoke", "--chip", "SEV_SNP", "--reason", "no hex"),
                List.of("revoke", "--vendor", "SEV_SNP"),
                List.of("revoke", "--vendor", "SEV_SNP", "--reason", "  "),
                List.of("revoke", "--vendor", "SEV_SNP", "--measurement", "TDX:" + MEASUREMENT, "--reason", "two targets"),
                List.of("min-tcb", "--type", "SEV_SNP", "--tcb", "0,3,x", "--reason", "bad tcb"),
                List.of("min-tcb", "--type", "SEV_SNP", "--tcb", "0,300", "--reason", "out of range"),
                List.of("add-collateral", "--type", "TDX", "--kind", "ROOT", "--file", "x.pem"),
                List.of("remove-collateral", "--id", "1234", "--reason", "short id"),
                List.of("replace-council", "--member", GOVERNOR.publicKey().hex(), "--threshold", "2"));
        for (List<String> args : bad) {
            String[] full = concat(List.of("governance"), args, List.of("--approver", governor, "--key", clientKey, "--api", api));
            CliRun.Result r = run(full);
            assertThat(r.exitCode()).as("%s: %s", args, r).isEqualTo(2);
            assertThat(r.err()).as("%s", args).startsWith("error: ").doesNotContain("\tat ");
        }
        CliRun.Result length = run("governance", "approve-measurement", "--type", "TDX", "--measurement", "abcd", "--label", "x",
                "--approver", governor, "--api", api, "--json");
        assertThat(length.exitCode()).isEqualTo(2);
        assertThat(length.json().get("code").asText()).isEqualTo("BAD_USAGE");
        assertThat(length.json().get("message").asText()).contains("48 bytes");

        CliRun.Result noApprover = run("governance", "revoke", "--vendor", "TDX", "--reason", "r", "--api", api);
        assertThat(noApprover.exitCode()).isEqualTo(2);
        assertThat(noApprover.err()).contains("--approver");
        assertThat(client.teePolicy().nextProposal()).isEqualTo(next);
    }

    @Test
    void aNonMemberApproverIsRefusedWithTheLedgersCode() {
        CliRun.Result r = run("governance", "revoke", "--vendor", "SEV_SNP", "--reason", "no authority",
                "--approver", stranger, "--api", api, "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("code").asText()).isEqualTo("INVALID_PROPOSAL");
        assertThat(r.json().get("message").asText()).contains("not a council member");

        CliRun.Result human = run("governance", "revoke", "--vendor", "SEV_SNP", "--reason", "no authority",
                "--approver", stranger, "--api", api);
        assertThat(human.exitCode()).isEqualTo(1);
        assertThat(human.err()).startsWith("error: ").contains("not a council member");
        assertThat(client.teePolicy().revocations()).isEmpty();
    }

    @Test
    void theFirstApproverSendsByDefaultAndNeedsFunds() {
        CliRun.Result r = run("governance", "revoke", "--vendor", "TDX", "--reason", "r", "--approver", governor, "--api", api,
                "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.json().get("code").asText()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(r.json().get("message").asText()).contains("--key");
    }

    @Test
    void revokeReinstateAndMinimumTcbChangeThePolicy() {
        String chip = "c0".repeat(64);
        CliRun.Result revoke = run("governance", "revoke", "--chip", "SEV_SNP:" + chip, "--reason", "key extracted",
                "--approver", governor, "--key", clientKey, "--api", api, "--json");
        assertThat(revoke.exitCode()).as("%s", revoke).isZero();
        assertThat(revoke.json().get("target").get("kind").asText()).isEqualTo("CHIP");
        assertThat(revoke.json().get("effect").asText()).contains("0 enclave(s) unregistered");
        TeePolicyView.RevocationView rv = client.teePolicy().revocations().stream()
                .filter(x -> chip.equals(x.target().chipId())).findFirst().orElseThrow();
        assertThat(rv.reason()).isEqualTo("key extracted");

        CliRun.Result reinstate = run("governance", "reinstate", "--chip", "sev-snp:" + chip, "--approver", governor,
                "--key", clientKey, "--api", api);
        assertThat(reinstate.exitCode()).as("%s", reinstate).isZero();
        assertThat(reinstate.out()).contains("INCLUDED", "reinstates");
        assertThat(client.teePolicy().revocations()).noneMatch(x -> chip.equals(x.target().chipId()));

        CliRun.Result tcb = run("governance", "min-tcb", "--type", "SEV_SNP", "--tcb", "0,3,0,8,115", "--reason", "baseline",
                "--approver", governor, "--key", clientKey, "--api", api, "--json");
        assertThat(tcb.exitCode()).as("%s", tcb).isZero();
        assertThat(client.teePolicy().minimumTcbs())
                .contains(new TeePolicyView.MinimumTcbView("SEV_SNP", List.of(0, 3, 0, 8, 115)));

        CliRun.Result params = run("governance", "verification-params", "--audit-probability-bps", "2500",
                "--challenger-bond", "50", "--approver", governor, "--key", clientKey, "--api", api, "--json");
        assertThat(params.exitCode()).as("%s", params).isZero();
        assertThat(client.params().get("auditProbabilityBps").asLong()).isEqualTo(2500);
        assertThat(client.params().get("challengerBond").asLong()).isEqualTo(50_000_000);
        assertThat(client.params().get("challengeWindowBlocks").asLong()).isEqualTo(10);
        CliRun.Result tooLong = run("governance", "verification-params", "--challenge-window", "25",
                "--approver", governor, "--key", clientKey, "--api", api, "--json");
        assertThat(tooLong.exitCode()).as("%s", tooLong).isNotZero();
        assertThat(tooLong.out() + tooLong.err()).contains("unbondingBlocks must exceed challengeWindowBlocks");
        assertThat(client.params().get("auditProbabilityBps").asLong()).isEqualTo(2500);
    }

    @Test
    void addCollateralProposesEachCertificateAndRemoveCollateralDropsOne() throws Exception {
        CliRun.Result r = run("governance", "add-collateral", "--type", "SEV_SNP", "--kind", "root_certificate",
                "--file", resource("sev-snp/ask_ark_genoa.pem").toString(), "--approver", governor, "--key", clientKey,
                "--api", api, "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode proposals = r.json().get("proposals");
        assertThat(proposals.size()).isEqualTo(2);
        assertThat(proposals.get(1).get("proposal").asLong()).isEqualTo(proposals.get(0).get("proposal").asLong() + 1);
        for (JsonNode p : proposals) {
            assertThat(p.get("status").asText()).isEqualTo("INCLUDED");
            assertThat(p.get("subject").asText()).contains("Genoa");
        }
        String id = proposals.get(0).get("id").asText();
        TeePolicyView.CollateralView c = client.teePolicy().collateral().stream().filter(x -> x.id().equals(id)).findFirst()
                .orElseThrow();
        assertThat(c.kind()).isEqualTo("ROOT_CERTIFICATE");
        assertThat(c.subject()).contains("Genoa");

        CliRun.Result again = run("governance", "add-collateral", "--type", "SEV_SNP", "--kind", "ROOT_CERTIFICATE",
                "--file", resource("sev-snp/ask_ark_genoa.pem").toString(), "--approver", governor, "--key", clientKey,
                "--api", api);
        assertThat(again.exitCode()).as("%s", again).isEqualTo(1);
        assertThat(again.err()).contains("already");

        CliRun.Result crl = run("governance", "add-collateral", "--type", "TDX", "--kind", "REVOCATION_LIST",
                "--file", resource("tdx/rootcrl.der").toString(), "--approver", governor, "--key", clientKey, "--api", api,
                "--json");
        assertThat(crl.exitCode()).as("%s", crl).isZero();
        assertThat(crl.json().get("proposals").get(0).get("subject").isNull()).isTrue();

        CliRun.Result remove = run("governance", "remove-collateral", "--id", id, "--reason", "test", "--approver", governor,
                "--key", clientKey, "--api", api, "--json");
        assertThat(remove.exitCode()).as("%s", remove).isZero();
        assertThat(client.teePolicy().collateral()).noneMatch(x -> x.id().equals(id));
    }

    @Test
    void replaceCouncilHandsGovernanceOverAndBack() {
        String other = STRANGER.publicKey().hex();
        CliRun.Result r = run("governance", "replace-council", "--member", GOVERNOR.publicKey().hex() + "," + other,
                "--threshold", "1", "--approver", governor, "--key", clientKey, "--api", api, "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(client.teePolicy().council().members()).containsExactlyInAnyOrder(GOVERNOR.publicKey().hex(), other);

        CliRun.Result back = run("governance", "replace-council", "--member", GOVERNOR.publicKey().hex(), "--threshold", "1",
                "--approver", stranger, "--api", api);
        assertThat(back.exitCode()).as("%s", back).isZero();
        assertThat(client.teePolicy().council()).isEqualTo(new TeePolicyView.CouncilView(List.of(GOVERNOR.publicKey().hex()), 1));
    }

    private static String[] concat(List<String> a, List<String> b, List<String> c) {
        return java.util.stream.Stream.of(a, b, c).flatMap(List::stream).toArray(String[]::new);
    }
}
