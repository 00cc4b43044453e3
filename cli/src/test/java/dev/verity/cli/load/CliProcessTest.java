package dev.verity.cli.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.PrivateKey;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityClient;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.ValidatorProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code verity} command as its own process: run to its end, or started until it says it is ready, then stopped. */
class CliProcessTest {
    @TempDir
    Path dir;

    @Test
    void aCommandRunsToItsEndWithItsOutputInAFile() throws Exception {
        Path out = dir.resolve("out.txt");
        int exit = CliProcess.run(CliProcess.command(null, List.of(), List.of("--version")), out, dir.resolve("err.log"),
                Duration.ofSeconds(60));
        assertThat(exit).isZero();
        assertThat(Files.readString(out)).startsWith("verity ");
    }

    @Test
    void aValidatorStartsUntilReadyAndIsGoneAfterClose() throws Exception {
        PrivateKey key = KeyFiles.generate();
        KeyFiles.save(dir.resolve("validator.json"), key);
        Files.write(dir.resolve("genesis.bin"), TestGenesis.chain("cli-process-test").at(System.currentTimeMillis()).validator(key)
                .build().encode());
        CliProcess validator = CliProcess.start(CliProcess.command(null, List.of(), List.of("validator", "--data-dir",
                dir.resolve("chain").toString(), "--key", dir.resolve("validator.json").toString(), "--genesis",
                dir.resolve("genesis.bin").toString(), "--port", "0", "--block-interval", "100")), dir.resolve("validator.log"),
                line -> line.startsWith(ValidatorProcess.READY), Duration.ofSeconds(60));
        try {
            int port = Integer.parseInt(validator.readyLine().substring(ValidatorProcess.READY.length()).strip());
            try (VerityClient client = new VerityClient("http://127.0.0.1:" + port)) {
                assertThat(client.status().chainId()).isEqualTo("cli-process-test");
            }
        } finally {
            validator.close();
        }
        assertThat(validator.isAlive()).isFalse();
    }

    @Test
    void aProcessThatExitsBeforeItIsReadyIsReportedWithItsLog() {
        // No key file: the validator refuses to start.
        assertThatThrownBy(() -> CliProcess.start(CliProcess.command(null, List.of(), List.of("validator", "--data-dir",
                dir.resolve("chain").toString(), "--key", dir.resolve("missing.json").toString())), dir.resolve("v.log"),
                line -> line.startsWith(ValidatorProcess.READY), Duration.ofSeconds(60)))
                .isInstanceOf(IOException.class).hasMessageContaining("exited before it was ready").hasMessageContaining("v.log");
    }
}
