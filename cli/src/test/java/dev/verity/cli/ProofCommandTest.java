package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.verity.core.Bytes;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.block.Block;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.EventView;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.LocalChain;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verity proof ...} against a real chain, and against a server that tampers with what it serves. */
class ProofCommandTest {
    static final PrivateKey VALIDATOR = PrivateKey.deterministic("cli-proof-validator");
    static final PrivateKey CLIENT = PrivateKey.deterministic("cli-proof-client");
    static final PrivateKey BOB = PrivateKey.deterministic("cli-proof-bob");
    static final PrivateKey NOBODY = PrivateKey.deterministic("cli-proof-nobody");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static LocalChain local;
    static Block transfers;

    @BeforeAll
    static void start() {
        Genesis genesis = TestGenesis.chain("verity-cli-proof").fund(CLIENT, 1_000 * TestGenesis.VRT)
                .fund(BOB, 1_000 * TestGenesis.VRT).validator(VALIDATOR).governor(VALIDATOR).build();
        local = LocalChain.start(dir.resolve("data"), genesis, VALIDATOR);
        Wallet client = new Wallet(local.client(), CLIENT);
        client.transfer(BOB.publicKey(), TestGenesis.VRT);
        client.transfer(BOB.publicKey(), 2 * TestGenesis.VRT);
        new Wallet(local.client(), BOB).transfer(CLIENT.publicKey(), 3 * TestGenesis.VRT);
        transfers = local.chain().produceBlock();
    }

    @AfterAll
    static void stop() {
        if (local != null) {
            local.close();
        }
    }

    @Test
    void anAccountProofIsFetchedAndVerifiedPresentOrAbsent() {
        CliRun.Result r = CliRun.run("proof", "account", CLIENT.publicKey().hex(), "--api", local.api(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("verified").asBoolean()).isTrue();
        assertThat(doc.get("present").asBoolean()).isTrue();
        assertThat(doc.get("height").asLong()).isEqualTo(transfers.height());
        assertThat(doc.get("blockHash").asText()).isEqualTo(transfers.hash().hex());
        assertThat(doc.get("value").asText()).isEqualTo(Bytes.hex(local.chain().read(s ->
                s.accounts.encodeValue(s.account(CLIENT.publicKey())))));

        CliRun.Result absent = CliRun.run("proof", "account", NOBODY.publicKey().hex(), "--api", local.api(), "--json");
        assertThat(absent.exitCode()).as("%s", absent).isZero();
        assertThat(absent.json().get("present").asBoolean()).isFalse();
        assertThat(absent.json().get("value").isNull()).isTrue();
        assertThat(absent.json().get("note").asText()).contains("never received funds");

        CliRun.Result job = CliRun.run("proof", "job", Sha256.digest(Bytes.utf8("no job")).hex(), "--api", local.api());
        assertThat(job.exitCode()).as("%s", job).isZero();
        assertThat(job.out()).contains("verified:", "yes, against block " + transfers.height(), "absent from the live state");
    }

    @Test
    void anEventProofShowsTheProvenEventAndAMissingOneIsAnError() {
        CliRun.Result r = CliRun.run("proof", "event", String.valueOf(transfers.height()), "2", "--api", local.api(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("verified").asBoolean()).isTrue();
        assertThat(doc.get("eventCount").asInt()).isEqualTo(3);
        assertThat(doc.get("type").asText()).isEqualTo("TRANSFER");
        EventView listed = local.client().events(EventQuery.all().withFromHeight(transfers.height())).get(2);
        assertThat(listed.index()).isEqualTo(2);
        assertThat(doc.get("account").asText()).isEqualTo(listed.account());
        assertThat(doc.get("amount").asLong()).isEqualTo(listed.amount());

        CliRun.Result missing = CliRun.run("proof", "event", String.valueOf(transfers.height()), "3", "--api", local.api());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("3 events", "out of range");
        assertThat(CliRun.run("proof", "event", "0", "0", "--api", local.api()).exitCode()).isEqualTo(2);
    }

    @Test
    void aTamperedProofExitsNonZeroNamingTheCheckThatFailed() throws Exception {
        String account = CLIENT.publicKey().hex();
        ObjectNode stateProof = (ObjectNode) JSON.valueToTree(local.client().accountProof(CLIENT.publicKey()));
        byte[] value = Bytes.fromHex(stateProof.get("value").asText());
        value[0] ^= 1;
        stateProof.put("value", Bytes.hex(value));
        ObjectNode eventProof = (ObjectNode) JSON.valueToTree(local.client().eventProof(transfers.height(), 1));
        eventProof.put("blockHash", Sha256.digest(Bytes.utf8("another block")).hex());

        HttpServer forger = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serve(forger, "/v1/accounts/" + account + "/proof", stateProof);
        serve(forger, "/v1/blocks/" + transfers.height() + "/events/1/proof", eventProof);
        forger.start();
        try {
            String api = "http://127.0.0.1:" + forger.getAddress().getPort();
            CliRun.Result row = CliRun.run("proof", "account", account, "--api", api, "--json");
            assertThat(row.exitCode()).as("%s", row).isEqualTo(1);
            assertThat(row.json().get("verified").asBoolean()).isFalse();
            assertThat(row.json().get("code").asText()).isEqualTo("PROOF_REFUSED");
            assertThat(row.json().get("check").asText()).isEqualTo("STATE_PROOF");

            CliRun.Result event = CliRun.run("proof", "event", String.valueOf(transfers.height()), "1", "--api", api);
            assertThat(event.exitCode()).as("%s", event).isEqualTo(1);
            assertThat(event.err()).startsWith("error: the event proof does not hold (BLOCK_HASH)");
        } finally {
            forger.stop(0);
        }
    }

    private static void serve(HttpServer server, String path, JsonNode body) throws Exception {
        byte[] bytes = JSON.writeValueAsBytes(body);
        server.createContext(path, exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }
}
