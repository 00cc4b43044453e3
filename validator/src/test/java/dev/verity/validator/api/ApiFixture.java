package dev.verity.validator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.block.Block;
import dev.verity.protocol.Params;
import dev.verity.protocol.governance.Council;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.NodeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real chain (RocksDB in a temporary directory) behind a real API server on a free loopback
 * port, with an SDK client. Blocks are produced only when a test calls {@link #produce()}. Public for the tests of
 * the node's other parts that talk to a chain over HTTP (the compute worker's).
 */
public final class ApiFixture implements AutoCloseable {
    public static final String CHAIN_ID = "verity-test";
    /** 2026-01-01T00:00:00Z. */
    public static final long GENESIS_TIME = 1_767_225_600_000L;
    public static final long VRT = Params.BASE_UNITS_PER_TOKEN;
    public static final long INITIAL_BALANCE = 100_000 * VRT;

    public static final PrivateKey VALIDATOR = PrivateKey.deterministic("api-validator");
    public static final PrivateKey GOVERNOR = PrivateKey.deterministic("api-governor");
    public static final PrivateKey ALICE = PrivateKey.deterministic("api-alice");
    public static final PrivateKey BOB = PrivateKey.deterministic("api-bob");
    public static final PrivateKey NODE = PrivateKey.deterministic("api-node-1");
    /** Holds nothing at genesis. */
    public static final PrivateKey STRANGER = PrivateKey.deterministic("api-stranger");

    public final ChainNode chain;
    public final ApiServer server;
    public final VerityClient client;
    private final HttpClient raw = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();

    public ApiFixture(Path dir) {
        this(dir, ApiServer.DEFAULT_KEEP_ALIVE, VerityClient.DEFAULT_REQUEST_TIMEOUT);
    }

    public ApiFixture(Path dir, Duration keepAlive, Duration clientRequestTimeout) {
        this(dir, keepAlive, clientRequestTimeout, NodeConfig.defaults(dir.resolve("data")).mempoolCapacity());
    }

    public ApiFixture(Path dir, Duration keepAlive, Duration clientRequestTimeout, int mempoolCapacity) {
        this(dir, ApiServerConfig.loopback(0).withKeepAlive(keepAlive), clientRequestTimeout, mempoolCapacity);
    }

    /** A fixture whose server listens and limits clients as {@code config} says. */
    public ApiFixture(Path dir, ApiServerConfig config) {
        this(dir, config, VerityClient.DEFAULT_REQUEST_TIMEOUT, NodeConfig.defaults(dir.resolve("data")).mempoolCapacity());
    }

    private ApiFixture(Path dir, ApiServerConfig config, Duration clientRequestTimeout, int mempoolCapacity) {
        NodeConfig d = NodeConfig.defaults(dir.resolve("data"));
        chain = ChainNode.open(new NodeConfig(d.dataDir(), d.blockIntervalMillis(), mempoolCapacity, d.maxTransactionsPerBlock()),
                genesis(), VALIDATOR);
        try {
            server = new ApiServer(chain, config).start();
        } catch (RuntimeException e) {
            chain.close();
            throw e;
        }
        client = new VerityClient(URI.create(server.url()), VerityClient.DEFAULT_CONNECT_TIMEOUT, clientRequestTimeout);
    }

    public static Genesis genesis() {
        return TestGenesis.chain(CHAIN_ID).at(GENESIS_TIME).fund(ALICE, INITIAL_BALANCE).fund(BOB, INITIAL_BALANCE).fund(NODE, INITIAL_BALANCE)
                .validator(VALIDATOR).governor(GOVERNOR).build();
    }

    public Wallet wallet(PrivateKey key) {
        return new Wallet(client, key);
    }

    public Block produce() {
        return chain.produceBlock();
    }

    /** A request outside the SDK, for what the SDK never sends. */
    public HttpResponse<String> request(String method, String path, String contentType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return raw.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return request("GET", path, null, null);
    }

    public JsonNode json(String body) throws IOException {
        return json.readTree(body);
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            try {
                server.close();
            } finally {
                chain.close();
            }
        }
    }
}
