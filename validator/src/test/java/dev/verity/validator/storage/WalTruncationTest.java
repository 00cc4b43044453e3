package dev.verity.validator.storage;

import static dev.verity.validator.storage.TestBytes.b;
import static dev.verity.validator.storage.TestBytes.hash;
import static dev.verity.validator.storage.TestBytes.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write-ahead log cut short (as a crash of the machine can leave it) makes the store refuse to open with a message
 * that names the store, what may be lost and how to recover; the store opens only when the loss is accepted.
 */
class WalTruncationTest {

    @TempDir
    Path dir;

    /** Synced writes, then a copy of the files as they are on disk while the store is open: a crash image. */
    private Path crashImageWithCutLog(int cutBytes) throws IOException {
        Path live = dir.resolve("live");
        Path crashed = dir.resolve("crashed");
        try (ChainStore store = ChainStore.open(live)) {
            for (int i = 0; i < 5; i++) {
                store.putMempool(hash("tx" + i), b("transaction " + i));
            }
            copy(live, crashed);
        }
        Path wal = newestLog(crashed.resolve("db"));
        try (RandomAccessFile f = new RandomAccessFile(wal.toFile(), "rw")) {
            assertThat(f.length()).as("the log holds the writes").isGreaterThan(cutBytes);
            f.setLength(f.length() - cutBytes);
        }
        return crashed;
    }

    @Test
    void aTruncatedLogIsReportedLoudlyAndTheStoreRefusesToOpen() throws IOException {
        Path crashed = crashImageWithCutLog(5);

        WalCorruptionException e = catchThrowableOfType(WalCorruptionException.class, () -> ChainStore.open(crashed).close());

        assertThat(e).as("opening a store whose log was cut").isNotNull();
        assertThat(e.dataDir()).isEqualTo(crashed);
        assertThat(e.getMessage())
                .contains("data directory " + crashed)
                .contains("write-ahead log")
                .contains("acknowledged mempool transactions")
                .contains("verity chain repair --data-dir " + crashed);
    }

    @Test
    void acceptingTheLossKeepsEverythingBeforeTheDamage() throws IOException {
        Path crashed = crashImageWithCutLog(5);

        try (ChainStore store = ChainStore.open(crashed, ChainStore.DEFAULT_MAX_REFUSALS, true, StoreFaults.NONE)) {
            assertThat(store.walLossAccepted()).isTrue();
            assertThat(strings(store.mempoolTransactions()))
                    .containsExactly("transaction 0", "transaction 1", "transaction 2", "transaction 3");
        }
        // Recovered: the store opens normally from now on.
        try (ChainStore store = ChainStore.open(crashed)) {
            assertThat(store.walLossAccepted()).isFalse();
            assertThat(store.mempoolTransactions()).hasSize(4);
        }
    }

    @Test
    void anIntactLogOfACrashImageOpensWithEverything() throws IOException {
        Path crashed = crashImageWithCutLog(0);
        try (ChainStore store = ChainStore.open(crashed)) {
            assertThat(store.mempoolTransactions()).hasSize(5);
        }
    }

    private static Path newestLog(Path db) throws IOException {
        try (Stream<Path> files = Files.list(db)) {
            return files.filter(p -> p.getFileName().toString().matches("\\d+\\.log"))
                    .max(Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new AssertionError("no write-ahead log in " + db));
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("LOCK")) {
                    Files.copy(p, target);
                }
            }
        }
    }
}
