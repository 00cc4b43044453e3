package dev.verity.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.Params;
import dev.verity.ledger.governance.Council;
import dev.verity.ledger.tx.Payload;
import dev.verity.ledger.tx.SignedTransaction;
import dev.verity.ledger.tx.TransactionBody;
import dev.verity.node.chain.ChainNode;
import dev.verity.node.chain.NodeConfig;
import dev.verity.node.chain.NodeHaltedException;
import dev.verity.node.storage.DiskFull;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node halted by a storage failure answers every state request with 503 NODE_HALTED and fails its readiness probe. */
class HaltedNodeApiTest {
    static final String CHAIN_ID = "verity-halted-api-test";
    static final PrivateKey VALIDATOR = PrivateKey.deterministic("halted-api-validator");
    static final PrivateKey CLIENT = PrivateKey.deterministic("halted-api-client");

    @TempDir
    Path dir;

    @Test
    void aHaltedNodeAnswers503AndIsNotReady() throws Exception {
        Genesis genesis = new Genesis(CHAIN_ID, 1_767_225_600_000L, Params.defaults(),
                List.of(new Genesis.Allocation(CLIENT.publicKey(), 1_000 * Params.BASE_UNITS_PER_TOKEN)),
                List.of(VALIDATOR.publicKey()), Council.single(VALIDATOR.publicKey()), List.of(), List.of(), List.of());
        DiskFull disk = DiskFull.atCommit(2); // 1: genesis, 2: block 1 fails
        HttpClient http = HttpClient.newHttpClient();
        try (ChainNode chain = ChainNode.open(NodeConfig.defaults(dir.resolve("data")), genesis, VALIDATOR, false, disk);
             ApiServer api = new ApiServer(chain, 0).start()) {
            assertThat(get(http, api, "/readyz").statusCode()).isEqualTo(200);
            SignedTransaction tx = SignedTransaction.sign(new TransactionBody(CHAIN_ID, CLIENT.publicKey(), 0,
                    new Payload.Transfer(VALIDATOR.publicKey(), 1)), CLIENT);
            Hash acknowledged = chain.submit(tx.encoded());
            assertThat(acknowledged).isEqualTo(tx.hash());
            try {
                chain.produceBlock();
            } catch (NodeHaltedException expected) {
                // the commit failed as on a full disk
            }
            HttpResponse<String> status = get(http, api, "/v1/status");
            assertThat(status.statusCode()).isEqualTo(503);
            assertThat(status.body()).contains("NODE_HALTED");
            HttpResponse<String> ready = get(http, api, "/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("storage failure");
            assertThat(get(http, api, "/healthz").statusCode()).isEqualTo(200);
        }
    }

    static HttpResponse<String> get(HttpClient http, ApiServer api, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api.url() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
