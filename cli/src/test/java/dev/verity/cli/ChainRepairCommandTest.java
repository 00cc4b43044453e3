package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.ByteKey;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.Params;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.NodeConfig;
import dev.verity.validator.storage.BlockCommit;
import dev.verity.validator.storage.ChainStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verity chain repair} on a stopped node's store with a corrupted mempool entry, and with damage it cannot fix. */
class ChainRepairCommandTest {
    private static final String CHAIN_ID = "verity-repair-test";
    private static final PrivateKey VALIDATOR = PrivateKey.deterministic("repair-validator");
    private static final PrivateKey CLIENT = PrivateKey.deterministic("repair-client");

    @TempDir
    Path dir;
    Path data;
    SignedTransaction pending;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @BeforeEach
    void stoppedNodeWithAPendingTransaction() {
        data = dir.resolve("node");
        Genesis genesis = TestGenesis.chain(CHAIN_ID).fund(CLIENT, 1_000 * TestGenesis.VRT).validator(VALIDATOR).build();
        pending = SignedTransaction.sign(new TransactionBody(CHAIN_ID, CLIENT.publicKey(), 0,
                new Payload.Transfer(VALIDATOR.publicKey(), 5)), CLIENT);
        try (ChainNode chain = ChainNode.open(NodeConfig.defaults(data), genesis, VALIDATOR)) {
            chain.produceBlock();
            chain.submit(pending.encoded());
        }
    }

    @Test
    void dropsAnUnreadableMempoolEntryAndReportsIt() {
        Hash junk = Sha256.digest(utf8("junk"));
        try (ChainStore store = ChainStore.open(data)) {
            store.putMempool(junk.bytes(), utf8("not a transaction"));
        }
        CliRun.Result human = CliRun.run("chain", "repair", "--data-dir", data.toString());
        assertThat(human.exitCode()).as("%s", human).isZero();
        assertThat(human.out()).contains("FIXED mempool " + junk.hex() + ": dropped: ").contains("the store is clean");

        try (ChainNode chain = ChainNode.open(NodeConfig.defaults(data), VALIDATOR)) {
            assertThat(chain.receipt(pending.hash()).status()).isEqualTo("PENDING");
        }
        CliRun.Result again = CliRun.run("chain", "repair", "--data-dir", data.toString(), "--json");
        assertThat(again.exitCode()).as("%s", again).isZero();
        assertThat(again.json().get("clean").asBoolean()).isTrue();
        assertThat(again.json().get("fixed")).isEmpty();
    }

    @Test
    void jsonListsEachDroppedEntryWithItsKeyAndWhy() {
        Hash junk = Sha256.digest(utf8("junk"));
        try (ChainStore store = ChainStore.open(data)) {
            store.putMempool(junk.bytes(), utf8("not a transaction"));
        }
        CliRun.Result r = CliRun.run("chain", "repair", "--data-dir", data.toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode json = r.json();
        assertThat(json.get("clean").asBoolean()).isTrue();
        assertThat(json.get("walLossAccepted").asBoolean()).isFalse();
        assertThat(json.get("fixed")).hasSize(1);
        assertThat(json.get("fixed").get(0).get("table").asText()).isEqualTo("mempool");
        assertThat(json.get("fixed").get(0).get("entry").asText()).isEqualTo(junk.hex());
        assertThat(json.get("fixed").get(0).get("why").asText()).startsWith("dropped: ");
    }

    @Test
    void damageItCannotFixExitsOneAndSaysToRestore() {
        try (ChainStore store = ChainStore.open(data)) {
            store.commitBlock(new BlockCommit(2, Sha256.digest(utf8("bad block")).bytes(), utf8("not a block"), List.of(),
                    Map.of(ByteKey.of(new byte[] {0x7f, 1}), utf8("row")), List.of(), null));
        }
        CliRun.Result r = CliRun.run("chain", "repair", "--data-dir", data.toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        JsonNode json = r.json();
        assertThat(json.get("code").asText()).isEqualTo("REPAIR_INCOMPLETE");
        assertThat(json.get("clean").asBoolean()).isFalse();
        assertThat(json.get("problems").toString()).contains("at height 2").contains("7f01").contains("backup");

        CliRun.Result human = CliRun.run("chain", "repair", "--data-dir", data.toString());
        assertThat(human.exitCode()).isEqualTo(1);
        assertThat(human.out()).contains("NOT REPAIRED blocks at height 2");
        assertThat(human.err()).contains("restore the data directory from a backup");
    }

    @Test
    void aMissingDirectoryIsAnError() {
        CliRun.Result r = CliRun.run("chain", "repair", "--data-dir", dir.resolve("nothing").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no such directory");
    }
}
