package dev.verity.validator.api;

import static dev.verity.validator.api.ApiFixture.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.service.model.ModelStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET|HEAD /v1/models/{id}/file} over real HTTP: whole files, ranges, HEAD and the 404s. */
class ModelFileApiTest {
    private static final int SIZE = 1_000_003;

    @TempDir
    Path dir;
    ApiFixture f;
    ModelStore store;
    byte[] content;
    Hash model;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() {
        f = new ApiFixture(dir);
        content = new byte[SIZE];
        new Random(3).nextBytes(content);
        store = new ModelStore(dir.resolve("models"));
        model = Hash.fromHex(store.put(content, ModelStore.MODEL_SUFFIX));
        f.server.serveModelFiles(store);
        f.wallet(ALICE).registerModel(model, "random", "bytes", "bytes", 1_000);
        f.produce();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private HttpResponse<byte[]> get(Hash id, String range) throws IOException, InterruptedException {
        return send("GET", id, range);
    }

    private HttpResponse<byte[]> send(String method, Hash id, String range) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.server.url() + "/v1/models/" + id.hex() + "/file"))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (range != null) {
            b.header("Range", range);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private JsonNode error(HttpResponse<byte[]> r) throws IOException {
        return json.readTree(r.body());
    }

    @Test
    void servesTheWholeFileWithItsHashAsETag() throws Exception {
        HttpResponse<byte[]> r = get(model, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(content);
        assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(SIZE));
        assertThat(header(r, "ETag")).isEqualTo("\"" + model.hex() + "\"");
        assertThat(header(r, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(r, "Content-Type")).startsWith("application/octet-stream");
        assertThat(Sha256.digest(r.body())).isEqualTo(model);
    }

    @Test
    void servesRanges() throws Exception {
        HttpResponse<byte[]> r = get(model, "bytes=10-19");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(header(r, "Content-Range")).isEqualTo("bytes 10-19/" + SIZE);
        assertThat(header(r, "Content-Length")).isEqualTo("10");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));

        HttpResponse<byte[]> open = get(model, "bytes=999000-");
        assertThat(open.statusCode()).isEqualTo(206);
        assertThat(header(open, "Content-Range")).isEqualTo("bytes 999000-" + (SIZE - 1) + "/" + SIZE);
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(content, 999_000, SIZE));

        HttpResponse<byte[]> suffix = get(model, "bytes=-100");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(header(suffix, "Content-Range")).isEqualTo("bytes " + (SIZE - 100) + "-" + (SIZE - 1) + "/" + SIZE);
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(content, SIZE - 100, SIZE));

        HttpResponse<byte[]> longSuffix = get(model, "bytes=-5000000");
        assertThat(longSuffix.statusCode()).isEqualTo(206);
        assertThat(longSuffix.body()).isEqualTo(content);

        HttpResponse<byte[]> pastEnd = get(model, "bytes=" + (SIZE - 3) + "-" + (SIZE + 1000));
        assertThat(pastEnd.statusCode()).isEqualTo(206);
        assertThat(header(pastEnd, "Content-Range")).isEqualTo("bytes " + (SIZE - 3) + "-" + (SIZE - 1) + "/" + SIZE);
        assertThat(pastEnd.body()).hasSize(3);

        HttpResponse<byte[]> several = get(model, "bytes=0-4, 100-199");
        assertThat(several.statusCode()).isEqualTo(206);
        assertThat(header(several, "Content-Range")).isEqualTo("bytes 0-4/" + SIZE);
        assertThat(several.body()).isEqualTo(Arrays.copyOf(content, 5));

        HttpResponse<byte[]> otherUnit = get(model, "items=0-4");
        assertThat(otherUnit.statusCode()).isEqualTo(200);
        assertThat(otherUnit.body()).hasSize(SIZE);
    }

    @Test
    void refusesUnsatisfiableAndMalformedRanges() throws Exception {
        for (String range : new String[] {"bytes=" + SIZE + "-", "bytes=" + (SIZE + 5) + "-" + (SIZE + 9), "bytes=-0"}) {
            HttpResponse<byte[]> r = get(model, range);
            assertThat(r.statusCode()).as(range).isEqualTo(416);
            assertThat(header(r, "Content-Range")).isEqualTo("bytes */" + SIZE);
            assertThat(error(r).get("code").asText()).isEqualTo("RANGE_NOT_SATISFIABLE");
            assertThat(error(r).get("message").asText()).contains(SIZE + " bytes");
        }
        for (String range : new String[] {"bytes=abc", "bytes=9-2", "bytes=x-"}) {
            HttpResponse<byte[]> r = get(model, range);
            assertThat(r.statusCode()).as(range).isEqualTo(400);
            assertThat(error(r).get("message").asText()).contains("Range");
        }
    }

    @Test
    void headAnswersTheHeadersWithoutTheBody() throws Exception {
        HttpResponse<byte[]> r = send("HEAD", model, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(header(r, "Content-Length")).isEqualTo(Integer.toString(SIZE));
        assertThat(header(r, "ETag")).isEqualTo("\"" + model.hex() + "\"");
        assertThat(header(r, "Accept-Ranges")).isEqualTo("bytes");

        HttpResponse<byte[]> ranged = send("HEAD", model, "bytes=-10");
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(header(ranged, "Content-Range")).isEqualTo("bytes " + (SIZE - 10) + "-" + (SIZE - 1) + "/" + SIZE);

        HttpResponse<byte[]> unknown = send("HEAD", Sha256.digest(new byte[] {1}), null);
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void servesAPackageToo() throws Exception {
        byte[] pkg = Arrays.copyOf("VRTYMPKG".getBytes(), 300);
        Hash id = Hash.fromHex(store.put(pkg, ModelStore.PACKAGE_SUFFIX));
        f.wallet(ALICE).registerModel(id, "pkg", "bytes", "bytes", 1_000);
        f.produce();
        HttpResponse<byte[]> r = get(id, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(pkg);
        assertThat(header(r, "Content-Disposition")).contains(id.hex() + ".vpkg");
    }

    @Test
    void notFoundWhenTheChainOrTheValidatorLacksIt() throws Exception {
        Hash unknown = Sha256.digest(new byte[] {42});
        HttpResponse<byte[]> r = get(unknown, null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(error(r).get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(error(r).get("message").asText()).contains("no model " + unknown.hex() + " on this chain");

        Hash notHeld = Sha256.digest(new byte[] {43});
        f.wallet(ALICE).registerModel(notHeld, "elsewhere", "bytes", "bytes", 1_000);
        f.produce();
        HttpResponse<byte[]> missing = get(notHeld, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(error(missing).get("message").asText()).contains("does not hold the file of model " + notHeld.hex());

        f.server.serveModelFiles(null);
        HttpResponse<byte[]> noStore = get(model, null);
        assertThat(noStore.statusCode()).isEqualTo(404);
        assertThat(error(noStore).get("message").asText()).contains("this validator holds no model files");

        assertThat(f.get("/v1/models/xyz/file").statusCode()).isEqualTo(400);
    }

    @Test
    void aDamagedCopyIsNotServed() throws Exception {
        assertThat(get(model, null).statusCode()).isEqualTo(200);
        Path file = store.dir().resolve(model.hex() + ".onnx");
        byte[] damaged = content.clone();
        damaged[0] ^= 1;
        Files.write(file, damaged);
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        HttpResponse<byte[]> r = get(model, null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(error(r).get("message").asText()).contains("damaged").contains(Sha256.digest(damaged).hex());
    }

    @Test
    void theOpenApiDocumentDescribesThePath() throws Exception {
        JsonNode doc = f.json(f.get("/openapi.json").body());
        JsonNode path = doc.path("paths").path("/v1/models/{id}/file");
        assertThat(path.has("get")).isTrue();
        assertThat(path.has("head")).isTrue();
        assertThat(path.path("get").path("responses").has("206")).isTrue();
        assertThat(path.path("get").path("responses").has("416")).isTrue();
    }

    private HttpResponse<byte[]> getPath(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(f.server.url() + path)).timeout(Duration.ofSeconds(30)).GET()
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void listsAndServesTheCompanionsTheValidatorHolds() throws Exception {
        String prefix = "/v1/models/" + model.hex() + "/companions";
        HttpResponse<byte[]> empty = getPath(prefix);
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(json.readTree(empty.body()).size()).isZero();

        byte[] tokenizer = "{\"model\":{\"vocab\":{}}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        store.putCompanion(model.hex(), "tokenizer.json", tokenizer);
        HttpResponse<byte[]> list = getPath(prefix);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode items = json.readTree(list.body());
        assertThat(items.size()).isEqualTo(1);
        assertThat(items.get(0).path("name").asText()).isEqualTo("tokenizer.json");
        assertThat(items.get(0).path("size").asLong()).isEqualTo(tokenizer.length);
        assertThat(items.get(0).path("sha256").asText()).isEqualTo(Sha256.digest(tokenizer).hex());

        HttpResponse<byte[]> file = getPath(prefix + "/tokenizer.json");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(tokenizer);
        assertThat(header(file, "Content-Length")).isEqualTo(String.valueOf(tokenizer.length));
    }

    @Test
    void unknownCompanionsModelsAndPathsOutsideTheStoreAre404() throws Exception {
        String prefix = "/v1/models/" + model.hex() + "/companions";
        store.putCompanion(model.hex(), "tokenizer.json", new byte[] {'{', '}'});
        store.putCompanion(model.hex(), "secret.txt", new byte[] {'x'}); // held, but not a served name
        Files.writeString(dir.resolve("models").resolve("outside.json"), "{}");
        assertThat(getPath(prefix + "/secret.txt").statusCode()).isEqualTo(404);
        assertThat(getPath(prefix + "/vocab.txt").statusCode()).isEqualTo(404);
        assertThat(getPath(prefix + "/onnx").statusCode()).isEqualTo(404);
        for (String traversal : new String[] {"..%2Foutside.json", "..%2F..%2Fchain", "%2E%2E%2F" + model.hex() + ".onnx",
                "..%5Coutside.json", "tokenizer.json%00"}) {
            HttpResponse<byte[]> r = getPath(prefix + "/" + traversal);
            assertThat(r.statusCode()).as(traversal).isIn(400, 404);
            assertThat(new String(r.body())).as(traversal).doesNotContain("\"x\"");
        }
        Hash unknown = Sha256.digest(new byte[] {1, 2, 3});
        assertThat(getPath("/v1/models/" + unknown.hex() + "/companions").statusCode()).isEqualTo(404);
        assertThat(getPath("/v1/models/" + unknown.hex() + "/companions/tokenizer.json").statusCode()).isEqualTo(404);
        assertThat(json.readTree(getPath(prefix).body()).size()).isEqualTo(1); // only the served name is listed
    }
}
