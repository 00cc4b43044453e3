package dev.verity.bench;

import dev.verity.ledger.Ledger;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.state.LedgerState;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.validator.chain.SignaturePrecheck;
import dev.verity.validator.storage.ChainStore;
import dev.verity.validator.storage.RocksStateBackend;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Settles TEE jobs continuously through the state transition over a real RocksDB store, as a validator does, up to
 * {@code --jobs} settled jobs, and prints every {@code --every} jobs: settled jobs per second through the state
 * transition (transaction signatures checked on every core first, {@link SignaturePrecheck}, then the block executed
 * on one thread with its enclave signatures and state root), the same with the block committed to RocksDB, the
 * sequential part's rate in CPU time of its thread (what the wall rate would be with a core to itself: a figure that
 * other load on the machine disturbs less), heap used after a GC, the store's size on disk, and the time of the last
 * block.
 *
 * <pre>
 * java -Xmx2g -cp 'bench/target/classes:bench/target/lib/*' dev.verity.bench.LedgerGrowth \
 *     [--jobs 5000000] [--every 100000] [--jobs-per-block 4000] [--dir DIR]
 * </pre>
 */
public final class LedgerGrowth {
    public static void main(String[] args) throws IOException {
        long total = 5_000_000;
        long every = 100_000;
        int perBlock = 4_000;
        Path dir = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--jobs" -> total = Long.parseLong(value);
                case "--every" -> every = Long.parseLong(value);
                case "--jobs-per-block" -> perBlock = Integer.parseInt(value);
                case "--dir" -> dir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --jobs N --every N --jobs-per-block N --dir DIR");
            }
        }
        Path data = dir != null ? dir : Files.createTempDirectory("verity-growth");
        SettlementLoad load = new SettlementLoad(perBlock);
        try (ChainStore store = ChainStore.open(data); SignaturePrecheck signatures = SignaturePrecheck.perProcessor()) {
            LedgerState state = new LedgerState(new RocksStateBackend(store), LedgerState.DEFAULT_CACHE_ROWS);
            StoreCommitter committer = new StoreCommitter(store);
            Ledger ledger = load.start(state, l -> committer.commit(l, null));
            System.out.printf(Locale.ROOT, "%12s %14s %14s %16s %10s %12s %10s%n", "settled", "transition/s", "with-commit/s",
                    "sequential-cpu/s", "heap-MB", "rocksdb-MB", "block-ms");
            long settled = 0;
            long nextReport = every;
            long transitionNanos = 0;
            long totalNanos = 0;
            long windowSettled = 0;
            long sequentialCpuNanos = 0;
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            while (settled < total) {
                List<SignedTransaction> txs = load.nextBlock();
                long t0 = System.nanoTime();
                signatures.check(txs);
                long c0 = threads.getCurrentThreadCpuTime();
                BlockExecution.Produced p = SettlementLoad.expectAllApplied(load.produce(ledger, txs));
                long t1 = System.nanoTime();
                sequentialCpuNanos += threads.getCurrentThreadCpuTime() - c0;
                committer.commit(ledger, p);
                long t2 = System.nanoTime();
                long n = SettlementLoad.settled(p);
                settled += n;
                windowSettled += n;
                transitionNanos += t1 - t0;
                totalNanos += t2 - t0;
                if (settled >= nextReport) {
                    System.gc();
                    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    System.out.printf(Locale.ROOT, "%12d %14.0f %14.0f %16.0f %10d %12.1f %10.1f%n", settled,
                            windowSettled * 1e9 / transitionNanos, windowSettled * 1e9 / totalNanos,
                            windowSettled * 1e9 / sequentialCpuNanos, heap >> 20,
                            size(data.resolve("db")) / 1e6, (t2 - t0) / 1e6);
                    nextReport += every;
                    windowSettled = 0;
                    transitionNanos = 0;
                    totalNanos = 0;
                    sequentialCpuNanos = 0;
                }
            }
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
