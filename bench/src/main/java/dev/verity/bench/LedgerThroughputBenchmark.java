package dev.verity.bench;

import dev.verity.ledger.Ledger;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.ledger.state.LedgerState;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.validator.chain.SignaturePrecheck;
import dev.verity.validator.storage.ChainStore;
import dev.verity.validator.storage.RocksStateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Settled TEE jobs per second through the state transition, over a RocksDB store that already holds {@code history}
 * finished jobs. Each invocation is one block of the steady {@link SettlementLoad} ({@value #JOBS_PER_BLOCK} new jobs
 * in client batches, and the TEE results of the block before's jobs in node batches under one enclave signature
 * each, so the block settles {@value #JOBS_PER_BLOCK}): its transaction signatures checked on every core
 * ({@link SignaturePrecheck}), then the block executed on one thread with its enclave signatures, events and state
 * root. Building the block's transactions (before) and committing it to the store (after) are outside the timing.
 *
 * <p>History is written as archived job rows of {@value #HISTORY_ROW_BYTES} bytes, as many as a validator keeps once
 * that many jobs have finished; the transition never reads them (finished jobs leave the live state), so what the
 * parameter measures is whether a store that large slows the live state's reads and writes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class LedgerThroughputBenchmark {
    static final int JOBS_PER_BLOCK = 4000;
    static final int HISTORY_ROW_BYTES = 1024;

    @Param({"10000", "5000000"})
    public long history;

    private Path dir;
    private ChainStore store;
    private StoreCommitter committer;
    private SignaturePrecheck signatures;
    private SettlementLoad load;
    private Ledger ledger;
    private List<SignedTransaction> txs;
    private BlockExecution.Produced produced;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("verity-throughput");
        store = ChainStore.open(dir);
        committer = new StoreCommitter(store);
        committer.fillHistory(history, 20_000, HISTORY_ROW_BYTES);
        signatures = SignaturePrecheck.perProcessor();
        load = new SettlementLoad(JOBS_PER_BLOCK);
        ledger = load.start(new LedgerState(new RocksStateBackend(store), LedgerState.DEFAULT_CACHE_ROWS),
                l -> committer.commit(l, null));
        // The first block only submits; from the second on, every block settles as many jobs as it submits.
        txs = load.nextBlock();
        settleBlock();
        commit();
    }

    @Setup(Level.Invocation)
    public void nextBlock() {
        txs = load.nextBlock();
    }

    @Benchmark
    @OperationsPerInvocation(JOBS_PER_BLOCK)
    public BlockExecution.Produced settleBlock() {
        signatures.check(txs);
        produced = SettlementLoad.expectAllApplied(load.produce(ledger, txs));
        return produced;
    }

    @TearDown(Level.Invocation)
    public void commit() {
        long settled = SettlementLoad.settled(produced);
        if (produced.block().height() > 3 && settled != JOBS_PER_BLOCK) {
            throw new IllegalStateException("block " + produced.block().height() + " settled " + settled + " jobs, not "
                    + JOBS_PER_BLOCK + ": the load is not steady");
        }
        committer.commit(ledger, produced);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        signatures.close();
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
