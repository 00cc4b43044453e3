package dev.verity.bench;

import dev.verity.ledger.Ledger;
import dev.verity.ledger.block.BlockExecution;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Settled TEE jobs per second through the state transition on one thread: a block of
 * {@value #BATCH} SubmitJob transactions (assigned at block end), then a block of their TEE
 * results (each verified and settled). Every transaction signature and every enclave signature is
 * checked (on freshly decoded transactions, so each key is parsed as a validator would), and both
 * blocks compute their state root.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "-XX:ActiveProcessorCount=1"})
public class LedgerThroughputBenchmark {
    static final int BATCH = 1000;

    private LedgerFixture fixture;
    private Ledger ledger;
    private List<SignedTransaction> jobs;
    private List<SignedTransaction> results;

    @Setup(Level.Trial)
    public void prepare() {
        fixture = new LedgerFixture(BATCH);
    }

    /** A fresh ledger, and freshly decoded transactions, as a validator has them after reading a block. */
    @Setup(Level.Invocation)
    public void freshLedger() {
        ledger = fixture.freshLedger();
        jobs = decoded(fixture.jobs);
        results = decoded(fixture.results);
    }

    private static List<SignedTransaction> decoded(List<SignedTransaction> txs) {
        List<SignedTransaction> out = new ArrayList<>(txs.size());
        for (SignedTransaction tx : txs) {
            out.add(TransactionCodec.decode(tx.encoded()));
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Object settleTeeJobs() {
        var jobBlock = BlockExecution.produce(ledger, jobs, 3, fixture.lastHash, LedgerFixture.blockTime(3), fixture.validator);
        var resultBlock = BlockExecution.produce(ledger, results, 4, jobBlock.block().hash(), LedgerFixture.blockTime(4),
                fixture.validator);
        if (!resultBlock.refused().isEmpty() || !jobBlock.refused().isEmpty()) {
            throw new IllegalStateException("refused: " + jobBlock.refused().size() + " jobs, " + resultBlock.refused().size() + " results");
        }
        return resultBlock.block().header().stateRoot();
    }
}
