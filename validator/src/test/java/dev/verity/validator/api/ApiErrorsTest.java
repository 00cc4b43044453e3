package dev.verity.validator.api;

import static dev.verity.validator.api.ApiFixture.ALICE;
import static dev.verity.validator.api.ApiFixture.BOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every error is JSON {code, message}, with the right status, a message that says what to do, and no stack trace. */
class ApiErrorsTest {
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

    private JsonNode error(HttpResponse<String> res, int status, String code) throws Exception {
        assertThat(res.statusCode()).as("status of %s", res.body()).isEqualTo(status);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = f.json(res.body());
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(res.body()).doesNotContain("\tat ", "Exception", "dev.verity.");
        return body;
    }

    private static VerityApiException refused(Runnable r) {
        VerityApiException e = catchThrowableOfType(VerityApiException.class, r::run);
        assertThat(e).as("a VerityApiException").isNotNull();
        return e;
    }

    @Test
    void malformedBase64IsABadRequestNamingTheParameter() throws Exception {
        var res = f.request("POST", "/v1/transactions", "application/json",
                "{\"transaction\": \"not*base64!\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(error(res, 400, "BAD_REQUEST").get("message").asText()).contains("'transaction'", "base64");
    }

    @Test
    void bodiesThatAreNotTheRequestAreBadRequests() throws Exception {
        error(f.request("POST", "/v1/transactions", "application/json", Bytes.utf8("{not json")), 400, "BAD_REQUEST");
        var missing = error(f.request("POST", "/v1/transactions", "application/json", Bytes.utf8("{\"tx\": \"AAAA\"}")), 400,
                "BAD_REQUEST");
        assertThat(missing.get("message").asText()).contains("'transaction'");
        error(f.request("POST", "/v1/transactions", "text/plain", Bytes.utf8("AAAA")), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void malformedTransactionBytesAreRefusedAsMalformed() throws Exception {
        VerityApiException e = refused(() -> f.client.submit(new byte[] {1, 2, 3}));
        assertThat(e.code()).isEqualTo("MALFORMED");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("malformed transaction");
        error(f.request("POST", "/v1/transactions", "application/octet-stream", new byte[0]), 400, "MALFORMED");
    }

    @Test
    void aWrongSignatureIsRefused() {
        SignedTransaction tx = f.wallet(ALICE).sign(new Payload.Transfer(BOB.publicKey(), 1), 0);
        byte[] bytes = tx.encoded();
        bytes[bytes.length - 1] ^= 1;
        VerityApiException e = refused(() -> f.client.submit(bytes));
        assertThat(e.code()).isEqualTo("BAD_SIGNATURE");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains(ALICE.publicKey().hex());
    }

    @Test
    void aTransactionForAnotherChainIsRefused() {
        SignedTransaction tx = SignedTransaction.sign(new TransactionBody("other-chain", ALICE.publicKey(), 0,
                new Payload.Transfer(BOB.publicKey(), 1)), ALICE);
        VerityApiException e = refused(() -> f.client.submit(tx));
        assertThat(e.code()).isEqualTo("WRONG_CHAIN");
        assertThat(e.getMessage()).contains("other-chain", ApiFixture.CHAIN_ID);
    }

    @Test
    void aReplayIsRefusedBeforeAndAfterInclusion() {
        SignedTransaction tx = f.wallet(ALICE).sign(new Payload.Transfer(BOB.publicKey(), 1), 0);
        assertThat(f.client.submit(tx).status()).isEqualTo("PENDING");
        VerityApiException pending = refused(() -> f.client.submit(tx));
        assertThat(pending.code()).isEqualTo("BAD_NONCE");
        assertThat(pending.getMessage()).contains("replay");
        f.produce();
        VerityApiException included = refused(() -> f.client.submit(tx));
        assertThat(included.code()).isEqualTo("BAD_NONCE");
        assertThat(included.status()).isEqualTo(400);
    }

    @Test
    void aRefusedWalletTransactionKeepsItsNonce() {
        Wallet stranger = f.wallet(ApiFixture.STRANGER);
        VerityApiException e = refused(() -> stranger.transfer(BOB.publicKey(), 1));
        assertThat(e.code()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(stranger.nextNonce()).isZero();
    }

    @Test
    void unknownIdsAreNotFound() throws Exception {
        Hash nothing = Sha256.digest(Bytes.utf8("nothing"));
        VerityApiException job = refused(() -> f.client.job(nothing));
        assertThat(job.code()).isEqualTo("NOT_FOUND");
        assertThat(job.status()).isEqualTo(404);
        assertThat(job.getMessage()).isEqualTo("no job " + nothing.hex() + " on this chain");
        assertThat(refused(() -> f.client.model(nothing)).getMessage()).isEqualTo("no model " + nothing.hex() + " on this chain");
        assertThat(refused(() -> f.client.node(BOB.publicKey())).getMessage())
                .isEqualTo("no node " + BOB.publicKey().hex() + " on this chain");
        assertThat(refused(() -> f.client.receipt(nothing)).code()).isEqualTo("NOT_FOUND");
        assertThat(refused(() -> f.client.block(7)).getMessage()).contains("no block at height 7", "height 0");
        assertThat(refused(f.client::latestBlock).code()).isEqualTo("NOT_FOUND");
        JsonNode route = error(f.get("/v1/nothing-here"), 404, "NOT_FOUND");
        assertThat(route.get("message").asText()).contains("/v1/nothing-here", "/openapi.json");
    }

    @Test
    void malformedParametersAreBadRequestsNamingTheParameter() throws Exception {
        assertThat(error(f.get("/v1/jobs/xyz"), 400, "BAD_REQUEST").get("message").asText()).contains("path parameter 'id'", "xyz");
        assertThat(error(f.get("/v1/accounts/12"), 400, "BAD_REQUEST").get("message").asText()).contains("'id'");
        assertThat(error(f.get("/v1/transactions/zz"), 400, "BAD_REQUEST").get("message").asText()).contains("'hash'");
        assertThat(error(f.get("/v1/blocks/-1"), 400, "BAD_REQUEST").get("message").asText()).contains("'height'");
        assertThat(error(f.get("/v1/jobs?limit=0"), 400, "BAD_REQUEST").get("message").asText()).contains("'limit'", "1000");
        assertThat(error(f.get("/v1/jobs?limit=1001"), 400, "BAD_REQUEST").get("message").asText()).contains("'limit'");
        assertThat(error(f.get("/v1/jobs?status=DONE"), 400, "BAD_REQUEST").get("message").asText())
                .contains("'status'", "SETTLED", "CANCELLED");
        assertThat(error(f.get("/v1/jobs?node=abc"), 400, "BAD_REQUEST").get("message").asText()).contains("'node'");
        assertThat(error(f.get("/v1/events?fromHeight=x"), 400, "BAD_REQUEST").get("message").asText()).contains("'fromHeight'");
        String both = "/v1/events?job=" + "ab".repeat(32) + "&account=" + "cd".repeat(32);
        assertThat(error(f.get(both), 400, "BAD_REQUEST").get("message").asText()).contains("at most one");
        assertThat(error(f.get(both.replace("/v1/events", "/v1/events/stream")), 400, "BAD_REQUEST")).isNotNull();
        assertThat(f.get("/v1/jobs?status=&node=&client=&limit=").statusCode()).as("empty filters mean none").isEqualTo(200);
    }

    @Test
    void anOversizedBodyIsRefusedWith413() throws Exception {
        byte[] huge = new byte[2 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'A');
        JsonNode body = error(f.request("POST", "/v1/transactions", "application/octet-stream", huge), 413, "PAYLOAD_TOO_LARGE");
        assertThat(body.get("message").asText()).contains("maxTransactionBytes");
        // A body under the HTTP limit but over the chain's transaction limit is the ledger's OVERSIZED.
        byte[] big = new byte[300 * 1024];
        error(f.request("POST", "/v1/transactions", "application/octet-stream", big), 400, "OVERSIZED");
        // The server is still fine afterwards.
        assertThat(f.client.status().height()).isZero();
    }

    @Test
    void aFullMempoolIsServiceUnavailableAndTheWalletKeepsItsNonce() throws Exception {
        try (ApiFixture small = new ApiFixture(dir.resolve("small"), ApiServer.DEFAULT_KEEP_ALIVE,
                VerityClient.DEFAULT_REQUEST_TIMEOUT, 2)) {
            Wallet alice = small.wallet(ALICE);
            alice.transfer(BOB.publicKey(), 1);
            alice.transfer(BOB.publicKey(), 2);
            VerityApiException e = refused(() -> alice.transfer(BOB.publicKey(), 3));
            assertThat(e.code()).isEqualTo("MEMPOOL_FULL");
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.getMessage()).contains("retry after the next block");
            var raw = small.request("POST", "/v1/transactions", "application/octet-stream",
                    alice.sign(new Payload.Transfer(BOB.publicKey(), 3), 2).encoded());
            assertThat(raw.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(alice.nextNonce()).isEqualTo(2);
            small.produce();
            Hash third = alice.transfer(BOB.publicKey(), 3);
            small.produce();
            assertThat(small.client.receipt(third).status()).isEqualTo("INCLUDED");
            assertThat(small.client.account(BOB.publicKey()).balance()).isEqualTo(ApiFixture.INITIAL_BALANCE + 6);
        }
    }

    @Test
    void anUnexpectedFailureIsInternalWithoutDetails() throws Exception {
        f.chain.close(); // the store is gone: reading events fails inside the node
        JsonNode body = error(f.get("/v1/events"), 500, "INTERNAL");
        assertThat(body.get("message").asText()).contains("log");
        VerityApiException e = refused(() -> f.client.events(EventQuery.all()));
        assertThat(e.code()).isEqualTo("INTERNAL");
        assertThat(e.status()).isEqualTo(500);
    }

    @Test
    void anUnreachableNodeSaysSo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (VerityClient nowhere = new VerityClient("http://127.0.0.1:" + port + "/")) {
            VerityApiException e = refused(nowhere::status);
            assertThat(e.code()).isEqualTo(VerityApiException.UNREACHABLE);
            assertThat(e.status()).isZero();
            assertThat(e.getMessage()).isEqualTo("cannot reach the Verity node at http://127.0.0.1:" + port + ": is it running?");
        }
    }
}
