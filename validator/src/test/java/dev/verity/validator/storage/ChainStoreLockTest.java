package dev.verity.validator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainStoreLockTest {

    @TempDir
    Path dir;

    @Test
    void openingAnOpenDirectoryAgainFailsClearly() {
        try (ChainStore first = ChainStore.open(dir)) {
            first.putMeta("k", TestBytes.b("v"));

            assertThatThrownBy(() -> ChainStore.open(dir))
                    .isInstanceOf(DataDirectoryInUseException.class)
                    .hasMessage("data directory " + dir + " is in use by another process");
            assertThat(first.meta("k")).isPresent(); // the first handle is unharmed
        }
        try (ChainStore reopened = ChainStore.open(dir)) {
            assertThat(reopened.meta("k")).isPresent();
        }
    }

    @Test
    void openingADirectoryHeldByAnotherProcessFailsClearly() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), StoreHolder.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(120, TimeUnit.SECONDS);
            assertThat(line).isEqualTo(StoreHolder.READY);

            assertThatThrownBy(() -> ChainStore.open(dir))
                    .isInstanceOf(DataDirectoryInUseException.class)
                    .hasMessage("data directory " + dir + " is in use by another process");

            holder.getOutputStream().close(); // tells the holder to close its store and exit
            assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(holder.exitValue()).isZero();
        } finally {
            holder.destroyForcibly();
        }
        try (ChainStore store = ChainStore.open(dir)) {
            assertThat(store.meta("holder").map(TestBytes::s)).contains("was here");
        }
    }
}
