package dev.verity.validator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.Params;
import dev.verity.protocol.governance.Council;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.NodeConfig;
import dev.verity.validator.chain.NodeHaltedException;
import dev.verity.validator.storage.DiskFull;
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
        Genesis genesis = TestGenesis.chain(CHAIN_ID).fund(CLIENT, 1_000 * TestGenesis.VRT).validator(VALIDATOR).build();
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
