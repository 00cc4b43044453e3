package dev.verity.validator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.StatusView;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.ChainTraffic;
import dev.verity.validator.storage.Retention;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API of a pruned validator: history it deleted (or may have, for a lookup by hash) is 410 PRUNED naming the lowest
 * height it keeps, never a 404 that says it never existed; what it keeps and the live state answer as before; status
 * names the mode. An archive beside it answers every height.
 */
class PrunedApiTest {
    private static final int RETAIN = 6;
    private static final int BLOCKS = 30;
    private static final long LOWEST = BLOCKS - RETAIN + 1;

    @TempDir
    Path dir;
    ChainNode pruned;
    ChainNode archive;
    ApiServer prunedApi;
    ApiServer archiveApi;
    ChainTraffic traffic;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() {
        pruned = ChainTraffic.open(dir.resolve("pruned"), RETAIN);
        archive = ChainTraffic.open(dir.resolve("archive"), Retention.ARCHIVE);
        prunedApi = new ApiServer(pruned, ApiServerConfig.loopback(0)).start();
        archiveApi = new ApiServer(archive, ApiServerConfig.loopback(0)).start();
        traffic = new ChainTraffic(pruned, archive);
        traffic.blocks(BLOCKS);
    }

    @AfterEach
    void stop() {
        prunedApi.close();
        archiveApi.close();
        pruned.close();
        archive.close();
    }

    private HttpResponse<String> get(ApiServer api, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api.url() + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Asserts a 410 PRUNED answer whose message names the lowest kept height. */
    private void assertPruned(String path) throws Exception {
        HttpResponse<String> r = get(prunedApi, path);
        assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(410);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("code").asText()).isEqualTo("PRUNED");
        assertThat(body.get("message").asText()).contains("from height " + LOWEST + " on", "newest " + RETAIN + " blocks");
        assertThat(get(archiveApi, path).statusCode()).as("the archive answers %s", path).isEqualTo(200);
    }

    private void assertOk(String path) throws Exception {
        HttpResponse<String> r = get(prunedApi, path);
        assertThat(r.statusCode()).as("%s: %s", path, r.body()).isEqualTo(200);
    }

    @Test
    void prunedBlocksTransactionsEventsAndJobsAre410PrunedAndKeptOnesAnswer() throws Exception {
        assertPruned("/v1/blocks/1");
        assertPruned("/v1/blocks/" + (LOWEST - 1));
        assertOk("/v1/blocks/" + LOWEST);
        assertOk("/v1/blocks/latest");
        assertThat(get(prunedApi, "/v1/blocks/" + (BLOCKS + 5)).statusCode()).as("above the head").isEqualTo(404);

        Hash oldTransfer = traffic.transactions(10).get(1);
        assertPruned("/v1/transactions/" + oldTransfer.hex());
        HttpResponse<String> recent = get(prunedApi, "/v1/transactions/" + traffic.transactions(BLOCKS).get(1).hex());
        assertThat(json.readTree(recent.body()).get("status").asText()).isEqualTo("INCLUDED");

        assertPruned("/v1/events?fromHeight=0");
        assertPruned("/v1/events?fromHeight=" + (LOWEST - 1));
        assertPruned("/v1/events?job=" + traffic.job(10).hex() + "&fromHeight=1");
        assertOk("/v1/events?fromHeight=" + LOWEST);
        JsonNode kept = json.readTree(get(prunedApi, "/v1/events?limit=1000").body());
        assertThat(kept.size()).isPositive();
        kept.forEach(e -> assertThat(e.get("height").asLong()).as("without fromHeight: from the lowest kept").isGreaterThanOrEqualTo(LOWEST));
        HttpResponse<String> stream = get(prunedApi, "/v1/events/stream?fromHeight=2");
        assertThat(stream.statusCode()).isEqualTo(410);
        assertThat(json.readTree(stream.body()).get("code").asText()).isEqualTo("PRUNED");

        // A job submitted in block h finishes (expires) in block h + 2.
        assertPruned("/v1/jobs/" + traffic.job(10).hex());
        JsonNode finished = json.readTree(get(prunedApi, "/v1/jobs/" + traffic.job(BLOCKS - 3).hex()).body());
        assertThat(finished.get("status").asText()).isEqualTo("EXPIRED");
        assertOk("/v1/jobs/" + traffic.job(BLOCKS).hex()); // live
    }

    @Test
    void liveStateReadsAnswerAsOnTheArchive() throws Exception {
        for (String path : new String[] {"/v1/accounts/" + ChainTraffic.CLIENT.publicKey().hex(),
                "/v1/accounts/" + ChainTraffic.PAYEE.publicKey().hex(), "/v1/models/" + ChainTraffic.MODEL.hex(), "/v1/supply"}) {
            HttpResponse<String> p = get(prunedApi, path);
            assertThat(p.statusCode()).as(path).isEqualTo(200);
            assertThat(json.readTree(p.body())).as(path).isEqualTo(json.readTree(get(archiveApi, path).body()));
        }
    }

    @Test
    void statusNamesTheModeAndTheLowestHeightAndSdkClientsSeeTheCode() {
        try (VerityClient client = new VerityClient(URI.create(prunedApi.url()), VerityClient.DEFAULT_CONNECT_TIMEOUT,
                VerityClient.DEFAULT_REQUEST_TIMEOUT);
             VerityClient archived = new VerityClient(URI.create(archiveApi.url()), VerityClient.DEFAULT_CONNECT_TIMEOUT,
                     VerityClient.DEFAULT_REQUEST_TIMEOUT)) {
            StatusView s = client.status();
            assertThat(s.history()).isEqualTo("pruned");
            assertThat(s.retainBlocks()).isEqualTo(RETAIN);
            assertThat(s.lowestHeight()).isEqualTo(LOWEST);
            assertThat(s.stateRoot()).isEqualTo(archived.status().stateRoot());
            StatusView a = archived.status();
            assertThat(a.history()).isEqualTo("archive");
            assertThat(a.retainBlocks()).isZero();
            assertThat(a.lowestHeight()).isZero();

            VerityApiException gone = catchThrowableOfType(VerityApiException.class, () -> client.block(2));
            assertThat(gone.status()).isEqualTo(410);
            assertThat(gone.code()).isEqualTo("PRUNED");
            assertThat(archived.block(2).height()).isEqualTo(2);
            // An archive knows every transaction it included: one it does not know never was.
            VerityApiException unknown = catchThrowableOfType(VerityApiException.class,
                    () -> archived.receipt(Sha256.digest(new byte[] {1})));
            assertThat(unknown.status()).isEqualTo(404);
        }
    }
}
