package dev.verity.validator;

import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.sdk.VerityClient;
import dev.verity.validator.api.ApiServer;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.NodeConfig;
import java.nio.file.Path;

/**
 * A running local chain, shared with the compute, devnet and command-line tests through this module's test jar: a single-validator chain stored in {@code dataDir} with its HTTP API on a loopback port, whose blocks the test
 * produces by hand (no consensus thread), so the commands see each stage of what the test sets up.
 */
public record LocalChain(ChainNode chain, ApiServer server, VerityClient client) implements AutoCloseable {

    public static LocalChain start(Path dataDir, Genesis genesis, PrivateKey validator) {
        ChainNode chain = ChainNode.open(NodeConfig.defaults(dataDir), genesis, validator);
        ApiServer server = new ApiServer(chain, 0).start();
        return new LocalChain(chain, server, new VerityClient(server.url()));
    }

    public String api() {
        return server.url();
    }

    @Override
    public void close() {
        client.close();
        server.close();
        chain.close();
    }
}
