package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.NodeConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verity chain verify} and {@code chain repair} on a stopped pruned validator's store. */
class PrunedChainCommandsTest {
    private static final String CHAIN_ID = "verity-pruned-cli-test";
    private static final PrivateKey VALIDATOR = PrivateKey.deterministic("pruned-cli-validator");
    private static final PrivateKey CLIENT = PrivateKey.deterministic("pruned-cli-client");

    @TempDir
    Path dir;
    Path data;

    /** 12 blocks, each with a transfer, on a node keeping the newest 4. */
    @BeforeEach
    void prunedStore() {
        data = dir.resolve("node");
        Genesis genesis = TestGenesis.chain(CHAIN_ID).fund(CLIENT, 1_000 * TestGenesis.VRT).validator(VALIDATOR).build();
        try (ChainNode chain = ChainNode.open(NodeConfig.defaults(data).withRetainBlocks(4), genesis, VALIDATOR)) {
            for (int nonce = 0; nonce < 12; nonce++) {
                chain.submit(SignedTransaction.sign(new TransactionBody(CHAIN_ID, CLIENT.publicKey(), nonce,
                        new Payload.Transfer(VALIDATOR.publicKey(), 5)), CLIENT).encoded());
                chain.produceBlock();
            }
        }
    }

    @Test
    void verifySaysWhatItCheckedAndWhatItCannotOnAPrunedStore() {
        CliRun.Result human = CliRun.run("chain", "verify", "--data-dir", data.toString());
        assertThat(human.exitCode()).as("%s", human).isZero();
        assertThat(human.out()).contains("pruned: blocks below 9 are gone", "OK (pruned store, not replayed)", "NOT CHECKED",
                "no block is re-executed");

        CliRun.Result json = CliRun.run("chain", "verify", "--data-dir", data.toString(), "--json");
        assertThat(json.exitCode()).as("%s", json).isZero();
        JsonNode r = json.json();
        assertThat(r.get("ok").asBoolean()).isTrue();
        assertThat(r.get("replayed").asBoolean()).isFalse();
        assertThat(r.get("history").asText()).isEqualTo("pruned");
        assertThat(r.get("lowestHeight").asLong()).isEqualTo(9);
        assertThat(r.get("blocks").asLong()).isEqualTo(4);
        assertThat(r.get("stateRoot").asText()).isEqualTo(r.get("storedStateRoot").asText());
        assertThat(r.get("notChecked").asText()).contains("pruned");
    }

    @Test
    void repairFindsAPrunedStoreCleanAndLeavesItPruned() {
        CliRun.Result r = CliRun.run("chain", "repair", "--data-dir", data.toString(), "--json");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.json().get("clean").asBoolean()).isTrue();
        assertThat(r.json().get("history").asText()).isEqualTo("pruned");
        assertThat(r.json().get("lowestHeight").asLong()).isEqualTo(9);
        try (ChainNode chain = ChainNode.open(NodeConfig.defaults(data).withRetainBlocks(4), VALIDATOR)) {
            assertThat(chain.retention().lowestHeight()).isEqualTo(9);
            assertThat(chain.height()).isEqualTo(12);
        }
    }
}
