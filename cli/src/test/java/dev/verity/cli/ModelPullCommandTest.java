package dev.verity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verity.core.Sha256;
import dev.verity.devnet.Devnet;
import dev.verity.service.model.ModelStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verity model pull} against a devnet started here, whose validator serves the bundled MiniLM and digits files. */
class ModelPullCommandTest {
    @TempDir
    static Path dir;

    static Devnet net;
    static String api;

    @BeforeAll
    static void startDevnet() {
        net = Devnet.start(new Devnet.Options(dir.resolve("devnet"), 0, 100, 1));
        api = net.apiUrl();
    }

    @AfterAll
    static void stopDevnet() {
        if (net != null) {
            net.close();
        }
    }

    private static String down() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void pullsTheMiniLmFileByItsHashFailingOverFromADeadValidator() throws IOException {
        Path store = dir.resolve("store-minilm");
        String id = net.model().hex();
        CliRun.Result r = CliRun.run("model", "pull", id, "--api", down(), "--api", api, "--store", store.toString(), "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode j = r.json();
        Path file = store.resolve(id + ".onnx");
        assertThat(j.get("path").asText()).isEqualTo(file.toString());
        assertThat(j.get("bytes").asLong()).isEqualTo(Files.size(file)).isGreaterThan(1_000_000);
        assertThat(j.get("downloaded").asLong()).isEqualTo(Files.size(file));
        assertThat(j.get("source").asText()).isEqualTo(api);
        assertThat(j.get("alreadyPresent").asBoolean()).isFalse();
        assertThat(j.get("seconds").asDouble()).isPositive();
        assertThat(j.get("megabytesPerSecond").asDouble()).isPositive();
        assertThat(Sha256.digest(Files.readAllBytes(file)).hex()).isEqualTo(id);
        assertThat(r.err()).contains("pulled").contains("MB from " + api);
        System.out.printf("model pull throughput (MiniLM, %d bytes, loopback): %.3f s, %.1f MB/s%n", j.get("bytes").asLong(),
                j.get("seconds").asDouble(), j.get("megabytesPerSecond").asDouble());

        CliRun.Result again = CliRun.run("model", "pull", id, "--api", api, "--store", store.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("already in the store, intact");
    }

    @Test
    void pullsTheDigitsPackageAndReplacesADamagedCopy() throws IOException {
        Path store = dir.resolve("store-digits");
        String id = net.integerModel().hex();
        CliRun.Result r = CliRun.run("model", "pull", id, "--api", api, "--store", store.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path file = store.resolve(id + ".vpkg");
        assertThat(r.out()).contains("pulled model " + id).contains("stored at " + file);
        assertThat(new ModelStore(store).path(id, ModelStore.PACKAGE_SUFFIX)).isEqualTo(file);

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        CliRun.Result repaired = CliRun.run("model", "pull", id, "--api", api, "--store", store.toString(), "--json");
        assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
        assertThat(repaired.json().get("repaired").asBoolean()).isTrue();
        assertThat(Sha256.digest(Files.readAllBytes(file)).hex()).isEqualTo(id);
    }

    @Test
    void failsClearlyWhenNoValidatorHasTheModel() throws IOException {
        String unknown = Sha256.digest(new byte[] {9}).hex();
        CliRun.Result r = CliRun.run("model", "pull", unknown, "--api", api, "--store", dir.resolve("store-none").toString(),
                "--json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.json().get("code").asText()).isEqualTo("PULL_FAILED");
        assertThat(r.json().get("message").asText()).contains("no model " + unknown + " on this chain");

        CliRun.Result allDown = CliRun.run("model", "pull", unknown, "--api", down() + "," + down(), "--store",
                dir.resolve("store-none").toString());
        assertThat(allDown.exitCode()).as(allDown.toString()).isEqualTo(1);
        assertThat(allDown.err()).contains("any of 2 validators").contains("cannot reach");

        CliRun.Result bad = CliRun.run("model", "pull", "not-an-id", "--api", api);
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("not a model id");
    }
}
