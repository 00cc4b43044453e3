package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.Genesis;
import dev.verity.proofs.attestation.Measurement;
import dev.verity.proofs.attestation.TeeType;
import dev.verity.protocol.governance.GovernanceAction;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.Wallet;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.LocalChain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction the CLI waits for and its block refuses: the error's {@code code} is the ledger's reject code and its
 * {@code message} says what was refused and the ledger's words; with {@code --json} they are two fields beside
 * {@code status} REFUSED and the height, never one "CODE: message" text. Blocks are produced by the test, so both
 * conflicting transactions are in the same block.
 */
class RefusedInBlockTest {
    static final PrivateKey VALIDATOR = PrivateKey.deterministic("cli-refused-validator");
    static final PrivateKey GOVERNOR = PrivateKey.deterministic("cli-refused-governor");
    static final PrivateKey CLIENT = PrivateKey.deterministic("cli-refused-client");
    static final PrivateKey OTHER = PrivateKey.deterministic("cli-refused-other");

    @TempDir
    static Path dir;

    static LocalChain local;

    @BeforeAll
    static void start() {
        Genesis genesis = TestGenesis.chain("verity-cli-refused").fund(CLIENT, 1_000 * TestGenesis.VRT)
                .fund(OTHER, 1_000 * TestGenesis.VRT).validator(VALIDATOR).governor(GOVERNOR).build();
        local = LocalChain.start(dir.resolve("data"), genesis, VALIDATOR);
    }

    @AfterAll
    static void stop() {
        if (local != null) {
            local.close();
        }
    }

    private static String save(String name, PrivateKey key) {
        Path p = dir.resolve("keys").resolve(name);
        KeyFiles.save(p, key);
        return p.toString();
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aProposalRefusedInItsBlockGivesTheLedgersCodeAndMessageApart() throws Exception {
        long proposal = local.client().teePolicy().nextProposal();
        // Another account's proposal, admitted first, takes the number in the block both land in.
        new Wallet(local.client(), OTHER).govern(new GovernanceAction.ApproveMeasurement(TeeType.TDX,
                new Measurement(new byte[Measurement.LENGTH]), "first"), List.of(GOVERNOR));
        String governor = save("governor.json", GOVERNOR);
        String client = save("client.json", CLIENT);
        CompletableFuture<CliRun.Result> run = CompletableFuture.supplyAsync(() -> CliRun.run("governance",
                "approve-measurement", "--type", "SEV_SNP", "--measurement", "ab".repeat(Measurement.LENGTH), "--label", "second",
                "--approver", governor, "--key", client, "--api", local.api(), "--json"));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (local.chain().status().mempoolSize() < 2 && !run.isDone() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        long height = local.chain().produceBlock().height();

        CliRun.Result r = run.get(60, TimeUnit.SECONDS);
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        JsonNode json = r.json();
        assertThat(json.get("status").asText()).isEqualTo("REFUSED");
        assertThat(json.get("height").asLong()).isEqualTo(height);
        assertThat(json.get("code").asText()).isEqualTo("INVALID_PROPOSAL");
        assertThat(json.get("message").asText()).startsWith("proposal " + proposal + " (").contains(" was refused: ")
                .doesNotContain("INVALID_PROPOSAL");
        assertThat(fields(json)).doesNotContain("error");
    }

    @Test
    void aTransactionRefusedInItsBlockIsAnErrorWithTheRejectCodeAndTheMessageApart() throws Exception {
        Hash model = Sha256.digest(Bytes.utf8("refused in block"));
        new Wallet(local.client(), OTHER).registerModel(model, "echo", "text", "text", 1_000);
        Hash second = new Wallet(local.client(), CLIENT).registerModel(model, "echo", "text", "text", 1_000);
        long height = local.chain().produceBlock().height();

        StringWriter stdout = new StringWriter();
        Output out = new Output(new PrintWriter(stdout, true), new PrintWriter(new StringWriter(), true), true);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("transaction", second.hex());
        CliException e = catchThrowableOfType(CliException.class,
                () -> Transactions.await(out, local.client(), second, Duration.ofSeconds(10), data));
        assertThat(e.code()).isEqualTo("MODEL_EXISTS");
        assertThat(e.getMessage()).startsWith("transaction " + second.hex() + " was refused: ").contains("already registered")
                .doesNotContain("MODEL_EXISTS");

        out.error(e.code(), e.getMessage(), e.data()); // as every command reports it
        JsonNode json = new ObjectMapper().readTree(stdout.toString());
        assertThat(fields(json)).containsExactly("transaction", "status", "height", "code", "message");
        assertThat(json.get("status").asText()).isEqualTo("REFUSED");
        assertThat(json.get("height").asLong()).isEqualTo(height);
        assertThat(json.get("code").asText()).isEqualTo("MODEL_EXISTS");
        assertThat(json.get("message").asText()).isEqualTo(e.getMessage());
    }
}
