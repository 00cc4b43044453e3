package dev.verity.cli;

import static dev.verity.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.core.PrivateKey;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.Params;
import dev.verity.protocol.governance.Council;
import dev.verity.sdk.KeyFiles;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.ValidatorProcess;
import dev.verity.validator.api.ApiServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verity validator}: where the API listens, and the usage errors of --listen / --port. */
class ValidatorCommandTest {
    private static final PrivateKey VALIDATOR = PrivateKey.deterministic("validator-command-test");

    @TempDir
    Path dir;

    private CliRun.Result validator(String... extra) {
        String[] base = {"validator", "--data-dir", dir.resolve("data").toString(), "--key", dir.resolve("missing.key").toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return run(args);
    }

    @Test
    void badListenAddressesAreUsageErrors() {
        CliRun.Result noPort = validator("--listen", "0.0.0.0");
        assertThat(noPort.exitCode()).as(noPort.toString()).isEqualTo(2);
        assertThat(noPort.err()).contains("--listen", "no port", "HOST:PORT", "0.0.0.0:8645");
        assertThat(validator("--listen", "127.0.0.1:65536").err()).contains("not a port");
        assertThat(validator("--listen", "127.0.0.1:http").err()).contains("'http' is not a port");
        assertThat(validator("--listen", ":8645").err()).contains("no host");
        assertThat(validator("--listen", "::1:8645").err()).contains("brackets", "[::1]:8645");
        assertThat(validator("--listen", "[::1:8645").err()).contains("bracket");
        assertThat(validator("--listen", "a b:80").err()).contains("not a host name");
        CliRun.Result both = validator("--listen", "127.0.0.1:1", "--port", "2");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("not both");
        assertThat(validator("--port", "70000").err()).contains("--port must be 0 to 65535");
        for (String bad : List.of("0.0.0.0", "1.2.3.4:70000", ":1")) {
            assertThat(validator("--listen", bad).exitCode()).as(bad).isEqualTo(2);
        }
    }

    @Test
    void aValidatorThatCannotStartExitsWithItsOwnStatusAndSaysWhy() throws Exception {
        CliRun.Result noKey = validator("--port", "0");
        assertThat(noKey.exitCode()).as(noKey.toString()).isEqualTo(ValidatorProcess.EXIT_CANNOT_START);
        assertThat(noKey.err()).contains("missing.key");

        Path key = dir.resolve("validator.key");
        KeyFiles.save(key, VALIDATOR);
        Files.writeString(dir.resolve("not-a-genesis.bin"), "hello");
        CliRun.Result badGenesis = run("validator", "--data-dir", dir.resolve("data").toString(), "--key", key.toString(),
                "--genesis", dir.resolve("not-a-genesis.bin").toString(), "--port", "0", "--json");
        assertThat(badGenesis.exitCode()).as(badGenesis.toString()).isEqualTo(ValidatorProcess.EXIT_CANNOT_START);
        assertThat(badGenesis.json().get("code").asText()).isEqualTo("BAD_GENESIS");
    }

    @Test
    void retainBlocksIsAtLeastOneAndTheDataDirectoryIsRequired() {
        CliRun.Result zero = validator("--retain-blocks", "0");
        assertThat(zero.exitCode()).as(zero.toString()).isEqualTo(2);
        assertThat(zero.err()).contains("--retain-blocks must be at least 1");
        CliRun.Result noDir = run("validator", "--key", dir.resolve("missing.key").toString());
        assertThat(noDir.exitCode()).as(noDir.toString()).isEqualTo(2);
        assertThat(noDir.err()).contains("--data-dir");
    }

    @Test
    void aConfigFileMakesAPrunedValidatorAndTheStartupSaysSo() throws Exception {
        startAndStop("--port", "0"); // writes the key and the genesis, and starts the chain as an archive
        Path config = dir.resolve("validator.conf");
        Files.writeString(config, String.join("\n", "# a pruned validator", "data-dir = data2", "key = validator.key",
                "genesis = genesis.bin", "port = 0", "retain-blocks = 50", ""));
        JsonNode started = new ObjectMapper().readTree(untilServing("validator", "--config", config.toString(), "--json")[0]);
        assertThat(started.get("history").asText()).isEqualTo("pruned");
        assertThat(started.get("retainBlocks").asLong()).isEqualTo(50);
        assertThat(started.get("dataDir").asText()).endsWith("data2");

        JsonNode archive = new ObjectMapper().readTree(startAndStop("--port", "0")[0]);
        assertThat(archive.get("history").asText()).isEqualTo("archive");
        assertThat(archive.get("retainBlocks").asLong()).isZero();
    }

    @Test
    void listenAddressesParse() {
        assertThat(ApiServerConfig.parseListen("127.0.0.1:8645")).isEqualTo(new ApiServerConfig.ListenAddress("127.0.0.1", 8645));
        assertThat(ApiServerConfig.parseListen("0.0.0.0:0").isLoopback()).isFalse();
        assertThat(ApiServerConfig.parseListen("[::1]:9000")).isEqualTo(new ApiServerConfig.ListenAddress("::1", 9000));
        assertThat(ApiServerConfig.parseListen("[::1]:9000").isLoopback()).isTrue();
        assertThat(ApiServerConfig.parseListen("[::1]:9000").toString()).isEqualTo("[::1]:9000");
        assertThat(ApiServerConfig.parseListen("localhost:1").isLoopback()).isTrue();
        assertThat(ApiServerConfig.parseListen("127.0.0.2:1").isLoopback()).isTrue();
        assertThat(ApiServerConfig.parseListen("10.0.0.5:8645").isLoopback()).isFalse();
        assertThat(ApiServerConfig.parseListen("node.example.org:8645").isLoopback()).isFalse();
    }

    /** Runs the command until it prints READY; returns stdout, stderr and the API's URL, then stops it. */
    private String[] startAndStop(String... listenArgs) throws Exception {
        Path key = dir.resolve("validator.key");
        if (!Files.exists(key)) {
            KeyFiles.save(key, VALIDATOR);
            Genesis genesis = TestGenesis.chain("verity-validator-command").at(System.currentTimeMillis()).validator(VALIDATOR).build();
            Files.write(dir.resolve("genesis.bin"), genesis.encode());
        }
        String[] base = {"validator", "--data-dir", dir.resolve("data").toString(), "--key", key.toString(), "--genesis",
            dir.resolve("genesis.bin").toString(), "--json"};
        String[] args = new String[base.length + listenArgs.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(listenArgs, 0, args, base.length, listenArgs.length);
        return untilServing(args);
    }

    /** Runs the command with {@code args} (which include --json) until it serves the API; returns stdout and stderr. */
    private String[] untilServing(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int[] exit = {-1};
        Thread t = Thread.ofPlatform().start(() -> {
            try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
                exit[0] = VerityCli.commandLine(o, e).execute(args);
            }
        });
        try {
            long deadline = System.currentTimeMillis() + 30_000;
            while (!out.toString().contains("\"api\"") && t.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(out.toString()).as("stdout %s / stderr %s", out, err).contains("\"api\"");
            JsonNode started = new ObjectMapper().readTree(out.toString());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(started.get("api").asText() + "/v1/status"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            return new String[] {out.toString(), err.toString()};
        } finally {
            t.interrupt();
            t.join(15_000);
            assertThat(t.isAlive()).as("the validator stops when interrupted").isFalse();
        }
    }

    @Test
    void theDefaultIsLoopbackAndAnotherAddressIsSaidToBePublic() throws Exception {
        JsonNode loopback = new ObjectMapper().readTree(startAndStop("--port", "0")[0]);
        assertThat(loopback.get("public").asBoolean()).isFalse();
        assertThat(loopback.get("listen").asText()).startsWith("127.0.0.1:");
        assertThat(loopback.get("api").asText()).startsWith("http://127.0.0.1:");

        JsonNode explicitLoopback = new ObjectMapper().readTree(startAndStop("--listen", "127.0.0.1:0")[0]);
        assertThat(explicitLoopback.get("public").asBoolean()).isFalse();

        String[] wildcard = startAndStop("--listen", "0.0.0.0:0");
        JsonNode pub = new ObjectMapper().readTree(wildcard[0]);
        assertThat(pub.get("public").asBoolean()).isTrue();
        assertThat(pub.get("listen").asText()).startsWith("0.0.0.0:");
        assertThat(pub.get("api").asText()).as("a URL that works from this machine").startsWith("http://127.0.0.1:");
    }

    @Test
    void theTextStartupLineSaysWhetherTheServerIsPublic() throws Exception {
        // Text mode: READY on stdout, the notes on stderr.
        Path key = dir.resolve("validator.key");
        KeyFiles.save(key, VALIDATOR);
        Genesis genesis = TestGenesis.chain("verity-validator-command").at(System.currentTimeMillis()).validator(VALIDATOR).build();
        Files.write(dir.resolve("genesis.bin"), genesis.encode());
        for (String listen : List.of("127.0.0.1:0", "0.0.0.0:0")) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            String[] args = {"validator", "--data-dir", dir.resolve("data").toString(), "--key", key.toString(), "--genesis",
                dir.resolve("genesis.bin").toString(), "--listen", listen};
            Thread t = Thread.ofPlatform().start(() -> {
                try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
                    VerityCli.commandLine(o, e).execute(args);
                }
            });
            try {
                long deadline = System.currentTimeMillis() + 30_000;
                while (!err.toString().contains("listening on") && t.isAlive() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(out.toString()).startsWith(ValidatorProcess.READY);
                if (listen.startsWith("0.0.0.0")) {
                    assertThat(err.toString()).contains("PUBLIC: listening on 0.0.0.0:", "reachable from other machines",
                            ApiServerConfig.DEFAULT_MAX_CONNECTIONS_PER_CLIENT + " connections");
                } else {
                    assertThat(err.toString()).contains("listening on 127.0.0.1:", "this machine only").doesNotContain("PUBLIC");
                }
            } finally {
                t.interrupt();
                t.join(15_000);
            }
        }
    }
}
