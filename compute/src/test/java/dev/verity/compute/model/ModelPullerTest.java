package dev.verity.compute.model;

import static dev.verity.validator.api.ApiFixture.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.service.model.ModelStore;
import dev.verity.service.model.ModelStoreException;
import dev.verity.validator.api.ApiFixture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelPuller} over real HTTP: a validator's API serving its store, and a misbehaving stub server. */
class ModelPullerTest {
    private static final int SIZE = 3 * 1024 * 1024 + 123;

    @TempDir
    Path dir;
    ApiFixture f;
    byte[] content;
    Hash model;
    ModelStore served;
    ModelStore local;

    @BeforeEach
    void start() {
        f = new ApiFixture(dir.resolve("chain"));
        content = new byte[SIZE];
        new Random(7).nextBytes(content);
        model = Sha256.digest(content);
        served = new ModelStore(dir.resolve("served"));
        served.put(content, ModelStore.MODEL_SUFFIX);
        f.server.serveModelFiles(served);
        f.wallet(ALICE).registerModel(model, "random", "bytes", "bytes", 1_000);
        f.produce();
        local = new ModelStore(dir.resolve("local"));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private ModelPuller puller(String... urls) {
        return new ModelPuller(local, List.of(urls));
    }

    @Test
    void pullsTheWholeFileChecksItsHashAndThenUsesTheStoredCopy() throws IOException {
        AtomicLong lastProgress = new AtomicLong();
        ModelPuller p = new ModelPuller(local, List.of(f.server.url()), java.time.Duration.ofSeconds(5),
                java.time.Duration.ofSeconds(30), (m, source, done, total) -> {
                    assertThat(total).isEqualTo(SIZE);
                    lastProgress.set(done);
                });
        ModelPuller.Result r = p.ensure(model);
        assertThat(r.alreadyPresent()).isFalse();
        assertThat(r.bytes()).isEqualTo(SIZE);
        assertThat(r.downloaded()).isEqualTo(SIZE);
        assertThat(r.resumedFrom()).isZero();
        assertThat(r.source()).isEqualTo(f.server.url());
        assertThat(r.path()).isEqualTo(local.dir().resolve(model.hex() + ".onnx"));
        assertThat(Files.readAllBytes(r.path())).isEqualTo(content);
        assertThat(lastProgress.get()).isEqualTo(SIZE);
        assertThat(local.partFile(model.hex())).doesNotExist();
        assertThat(local.path(model.hex())).isEqualTo(r.path());

        ModelPuller.Result again = p.ensure(model);
        assertThat(again.alreadyPresent()).isTrue();
        assertThat(again.downloaded()).isZero();
    }

    @Test
    void aPackageIsStoredUnderItsPackageSuffix() {
        byte[] pkg = Arrays.copyOf("VRTYMPKG-not-really-a-package".getBytes(), 5000);
        Hash id = Sha256.digest(pkg);
        served.put(pkg, ModelStore.PACKAGE_SUFFIX);
        f.wallet(ALICE).registerModel(id, "pkg", "bytes", "bytes", 1_000);
        f.produce();
        ModelPuller.Result r = puller(f.server.url()).ensure(id);
        assertThat(r.path()).isEqualTo(local.dir().resolve(id.hex() + ".vpkg"));
        assertThat(local.path(id.hex(), ModelStore.PACKAGE_SUFFIX)).exists();
    }

    @Test
    void resumesAnInterruptedDownloadWithARangeRequest() throws IOException {
        int have = 1_000_000;
        Files.write(local.partFile(model.hex()), Arrays.copyOf(content, have));
        ModelPuller.Result r = puller(f.server.url()).pull(model);
        assertThat(r.resumedFrom()).isEqualTo(have);
        assertThat(r.downloaded()).isEqualTo(SIZE - have); // only the rest came over the network
        assertThat(Files.readAllBytes(r.path())).isEqualTo(content);
        assertThat(local.partFile(model.hex())).doesNotExist();
    }

    @Test
    void aDownloadThatBreaksOffIsResumedFromTheNextValidator() throws IOException {
        try (StubFileServer flaky = new StubFileServer(content)) {
            flaky.cutAfter = 1_500_000;
            ModelPuller.Result r = puller(flaky.url(), f.server.url()).pull(model);
            assertThat(flaky.ranges).containsExactly("");
            assertThat(r.source()).isEqualTo(f.server.url());
            // What arrived before the break (the HTTP client may drop the last buffers it had not handed over yet).
            assertThat(r.resumedFrom()).isPositive().isLessThanOrEqualTo(1_500_000);
            assertThat(r.downloaded()).isEqualTo(SIZE - r.resumedFrom());
            assertThat(Files.readAllBytes(r.path())).isEqualTo(content);
        }
    }

    @Test
    void aBrokenOffDownloadIsKeptAndResumedByTheNextPullWithARange() throws IOException {
        try (StubFileServer flaky = new StubFileServer(content)) {
            flaky.cutAfter = 700_000;
            assertThatThrownBy(() -> puller(flaky.url()).pull(model))
                    .isInstanceOf(ModelPullException.class)
                    .hasMessageContaining("broke off after")
                    .hasMessageContaining(" of " + SIZE + " bytes")
                    .hasMessageContaining("bytes are kept in " + local.partFile(model.hex()));
            // What arrived before the break (the HTTP client may drop the last buffers it had not handed over yet).
            long kept = Files.size(local.partFile(model.hex()));
            assertThat(kept).isPositive().isLessThanOrEqualTo(700_000);
            flaky.cutAfter = -1;
            flaky.bytesSent = 0;
            ModelPuller.Result r = puller(flaky.url()).pull(model);
            assertThat(flaky.ranges).containsExactly("", "bytes=" + kept + "-");
            assertThat(flaky.bytesSent).isEqualTo(SIZE - kept);
            assertThat(r.resumedFrom()).isEqualTo(kept);
            assertThat(Files.readAllBytes(r.path())).isEqualTo(content);
        }
    }

    @Test
    void aServerThatIgnoresTheRangeSendsTheWholeFileAndThePartStartsOver() throws IOException {
        Files.write(local.partFile(model.hex()), Arrays.copyOf(content, 100));
        try (StubFileServer plain = new StubFileServer(content)) {
            plain.honourRange = false;
            ModelPuller.Result r = puller(plain.url()).pull(model);
            assertThat(plain.ranges).containsExactly("bytes=100-");
            assertThat(r.resumedFrom()).isZero();
            assertThat(r.downloaded()).isEqualTo(SIZE);
            assertThat(Files.readAllBytes(r.path())).isEqualTo(content);
        }
    }

    @Test
    void aCompletePartFileIsFinishedWithoutDownloadingAgain() throws IOException {
        Files.write(local.partFile(model.hex()), content);
        ModelPuller.Result r = puller(f.server.url()).pull(model);
        assertThat(r.downloaded()).isZero();
        assertThat(r.resumedFrom()).isEqualTo(SIZE);
        assertThat(Files.readAllBytes(r.path())).isEqualTo(content);
    }

    @Test
    void wrongBytesAreRefusedWithBothHashesAndDeleted() throws IOException {
        byte[] wrong = content.clone();
        wrong[SIZE / 2] ^= 1;
        String actual = Sha256.digest(wrong).hex();
        try (StubFileServer liar = new StubFileServer(wrong)) {
            assertThatThrownBy(() -> puller(liar.url()).pull(model))
                    .isInstanceOf(ModelPullException.class)
                    .hasMessageContaining(actual)
                    .hasMessageContaining(model.hex())
                    .hasMessageContaining("refused")
                    .matches(e -> ((ModelPullException) e).hashMismatch());
            assertThat(local.partFile(model.hex())).doesNotExist();
            assertThat(local.find(model.hex())).isEmpty();

            // The next validator in the list sends the right bytes.
            ModelPuller.Result r = puller(liar.url(), f.server.url()).pull(model);
            assertThat(r.source()).isEqualTo(f.server.url());
            assertThat(r.resumedFrom()).isZero();
            assertThat(Files.readAllBytes(r.path())).isEqualTo(content);
        }
    }

    @Test
    void aCorruptedFileInTheLocalStoreIsRefusedAndPulledAgain() throws IOException {
        Path file = puller(f.server.url()).ensure(model).path();
        byte[] damaged = content.clone();
        damaged[10] ^= 0x40;
        Files.write(file, damaged);
        assertThatThrownBy(() -> local.path(model.hex())).isInstanceOf(ModelStoreException.class)
                .hasMessageContaining("failed its integrity check");

        ModelPuller.Result r = puller(f.server.url()).ensure(model);
        assertThat(r.repaired()).isTrue();
        assertThat(r.alreadyPresent()).isFalse();
        assertThat(r.downloaded()).isEqualTo(SIZE);
        assertThat(Files.readAllBytes(local.path(model.hex()))).isEqualTo(content);
    }

    @Test
    void failsOverToTheNextValidatorWhenTheFirstIsDown() throws IOException {
        String down = "http://127.0.0.1:" + freePort();
        ModelPuller.Result r = puller(down, f.server.url()).ensure(model);
        assertThat(r.source()).isEqualTo(f.server.url());
        assertThat(Files.readAllBytes(r.path())).isEqualTo(content);
    }

    @Test
    void saysWhatEachValidatorAnsweredWhenNoneHasTheFile() throws IOException {
        String down = "http://127.0.0.1:" + freePort();
        Hash unknown = Sha256.digest("not registered".getBytes());
        assertThatThrownBy(() -> puller(down, f.server.url()).ensure(unknown))
                .isInstanceOf(ModelPullException.class)
                .hasMessageContaining("any of 2 validators")
                .hasMessageContaining("cannot reach")
                .hasMessageContaining("no model " + unknown.hex() + " on this chain");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aPulledSentenceEmbeddingModelComesWithItsTokenizerAndLoads() throws IOException {
        BundledModels.BundledModel minilm = BundledModels.installMiniLm(served);
        Hash id = Hash.fromHex(minilm.sha256Hex());
        f.wallet(ALICE).registerModel(id, BundledModels.MINILM_NAME, "text", "embedding", 1_000);
        f.produce();

        ModelPuller.Result r = puller(f.server.url()).ensure(id);
        assertThat(r.alreadyPresent()).isFalse();
        Path tokenizer = local.companion(id.hex(), BundledModels.TOKENIZER_COMPANION).orElseThrow();
        assertThat(tokenizer).isEqualTo(local.dir().resolve(id.hex() + ".tokenizer.json"));
        assertThat(Files.readAllBytes(tokenizer)).isEqualTo(Files.readAllBytes(minilm.tokenizerPath()));

        try (dev.verity.compute.worker.ModelRunners runners = new dev.verity.compute.worker.ModelRunners(local)) {
            byte[] out = runners.forModel(id).orElseThrow().run("The cat sits on the mat".getBytes(),
                    dev.verity.protocol.VerificationMode.NONE);
            assertThat(out).isNotEmpty();
        }
        // Present and complete: nothing more to pull.
        assertThat(puller(f.server.url()).ensureCompanions(id)).isEmpty();
    }

    @Test
    void aModelPulledBeforeCompanionsWereServedGetsItsTokenizerOnTheNextEnsure() throws IOException {
        BundledModels.BundledModel minilm = BundledModels.installMiniLm(served);
        Hash id = Hash.fromHex(minilm.sha256Hex());
        f.wallet(ALICE).registerModel(id, BundledModels.MINILM_NAME, "text", "embedding", 1_000);
        f.produce();
        local.put(Files.readAllBytes(minilm.modelPath()), ModelStore.MODEL_SUFFIX);
        assertThat(local.companion(id.hex(), BundledModels.TOKENIZER_COMPANION)).isEmpty();

        assertThat(puller(f.server.url()).ensure(id).alreadyPresent()).isTrue();
        assertThat(local.companion(id.hex(), BundledModels.TOKENIZER_COMPANION)).isPresent();
    }

    @Test
    void theListedHashChecksTransitNotTheValidatorsHonesty() throws IOException {
        BundledModels.BundledModel minilm = BundledModels.installMiniLm(served);
        Hash id = Hash.fromHex(minilm.sha256Hex());
        f.wallet(ALICE).registerModel(id, BundledModels.MINILM_NAME, "text", "embedding", 1_000);
        f.produce();
        local.put(Files.readAllBytes(minilm.modelPath()), ModelStore.MODEL_SUFFIX);
        try (ApiFixture other = new ApiFixture(dir.resolve("chain2"))) {
            ModelStore lying = new ModelStore(dir.resolve("lying"));
            lying.put(Files.readAllBytes(minilm.modelPath()), ModelStore.MODEL_SUFFIX);
            lying.putCompanion(id.hex(), BundledModels.TOKENIZER_COMPANION, "{}".getBytes());
            other.server.serveModelFiles(lying);
            other.wallet(ALICE).registerModel(id, BundledModels.MINILM_NAME, "text", "embedding", 1_000);
            other.produce();
            List<String> placed = puller(other.server.url(), f.server.url()).ensureCompanions(id);
            // The first validator's tokenizer is consistent with its own listing (the check proves transit, not truth).
            assertThat(placed).containsExactly(BundledModels.TOKENIZER_COMPANION);
            assertThat(Files.readAllBytes(local.companion(id.hex(), BundledModels.TOKENIZER_COMPANION).orElseThrow()))
                    .isEqualTo("{}".getBytes());
        }
    }
}
