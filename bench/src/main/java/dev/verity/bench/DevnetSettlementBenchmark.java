package dev.verity.bench;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.devnet.Devnet;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.EventSubscription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * End to end on a local devnet (one validator, three compute nodes running all-MiniLM-L6-v2 with
 * ONNX Runtime, real HTTP and RocksDB): {@code settleBatch} measures settled jobs per second for a
 * burst of {@value #BATCH} jobs; {@code submitToSettled} samples one job's latency from submission
 * to the JOB_SETTLED event (its p50 is the median submit-to-settled latency).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 10)
public class DevnetSettlementBenchmark {
    static final int BATCH = 100;

    @Param({"100"})
    public long blockIntervalMillis;

    private Path dir;
    private Devnet net;
    private EventSubscription stream;
    private final Map<String, CompletableFuture<Long>> settled = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = Files.createTempDirectory("verity-bench-devnet");
        net = Devnet.start(new Devnet.Options(dir, 0, blockIntervalMillis, 3));
        stream = net.client().streamEvents(EventQuery.forAccount(net.clientWallet().publicKey()), ev -> {
            if ("JOB_SETTLED".equals(ev.type())) {
                settled.computeIfAbsent(ev.job(), k -> new CompletableFuture<>()).complete(System.nanoTime());
            }
        });
    }

    private CompletableFuture<Long> submit(VerificationMode mode) {
        byte[] input = Bytes.utf8("benchmark sentence number " + counter.incrementAndGet() + " for the devnet");
        Hash id = net.clientWallet().submitJob(net.model(), input, mode, List.of(), Params.BASE_UNITS_PER_TOKEN, 50);
        return settled.computeIfAbsent(id.hex(), k -> new CompletableFuture<>());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long submitToSettled() throws Exception {
        return submit(counter.get() % 2 == 0 ? VerificationMode.NONE : VerificationMode.TEE).get(60, TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public int settleBatch() throws Exception {
        List<CompletableFuture<Long>> all = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            all.add(submit(i % 2 == 0 ? VerificationMode.NONE : VerificationMode.TEE));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(120, TimeUnit.SECONDS);
        return all.size();
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        stream.close();
        net.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
