package dev.verity.bench;

import dev.verity.cli.load.CliProcess;
import dev.verity.compute.model.BundledModels;
import dev.verity.compute.model.Device;
import dev.verity.compute.worker.EnginePolicy;
import dev.verity.compute.worker.ModelRunner;
import dev.verity.compute.worker.ModelRunners;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.devnet.ShippedSchemas;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Hardware;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.KeyFiles;
import dev.verity.sdk.VerityApiException;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.Wallet;
import dev.verity.sdk.api.EventView;
import dev.verity.service.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Jobs per second through one compute node, as an operator runs it: {@code verity validator} and {@code verity node
 * run} as two separate processes on this machine (from this JVM's class path, or from a release's {@code bin/verity}
 * with {@code --launcher}), and this JVM as the client. The node serves the bundled all-MiniLM-L6-v2 (quantized) with
 * ONNX Runtime on the CPU, mode {@code NONE}.
 *
 * <p>For each block interval and each capacity (the node's declared capacity, which is its number of worker threads),
 * a fresh node process starts, answers a few warm-up jobs, then the clients submit {@code --jobs} jobs as fast as the
 * validator admits them (or keep {@code --window} jobs in flight: a number, or {@code 2x} for twice the capacity), and the settlements are read from the chain's
 * events. Reported: settled jobs per second in steady state (the first {@code --warmup} share of settlements left
 * out), submit-to-settled latency (the client's clock at submission to the settling block's timestamp, one machine),
 * and how many jobs each block settled. Before any process starts, the same model runs in this JVM on the same inputs
 * (the node's runner: one ONNX Runtime session, one intra-op thread per call, 1, 2 and 4 calls at once): the
 * inference rate without the chain.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
 *     -cp 'bench/target/classes:bench/target/lib/*' dev.verity.bench.ComputeNodeThroughput \
 *     [--jobs 500] [--capacities 1,2,4] [--block-intervals 500,100] [--clients 4] [--window 0|N|2x] [--warmup 0.1] \
 *     [--launcher dist/verity-VERSION/bin/verity] [--dir DIR] [--keep] [--inference-only]
 * </pre>
 *
 * Every process it starts is stopped at the end, also when it fails.
 */
public final class ComputeNodeThroughput {
    private static final long NODE_STAKE = 10_000 * OperatorNetwork.VRT;
    private static final long MAX_FEE = OperatorNetwork.VRT;
    private static final long DEADLINE_BLOCKS = 100;

    record Options(int jobs, List<Integer> capacities, List<Long> blockIntervals, int clients, String window, double warmup,
                   Duration inferenceTime, Duration drainTimeout, Path launcher, Path dir, boolean keep, boolean inferenceOnly) {
        static Options parse(String[] args) {
            int jobs = 500;
            List<Integer> capacities = List.of(1, 2, 4);
            List<Long> intervals = List.of(500L, 100L);
            int clients = 4;
            String window = "0";
            double warmup = 0.1;
            Duration inference = Duration.ofSeconds(5);
            Duration drain = Duration.ofMinutes(20);
            Path launcher = null;
            Path dir = null;
            boolean keep = false;
            boolean inferenceOnly = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--keep") || a.equals("--inference-only")) {
                    keep |= a.equals("--keep");
                    inferenceOnly |= a.equals("--inference-only");
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--jobs" -> jobs = Integer.parseInt(v);
                    case "--capacities" -> capacities = Arrays.stream(v.split(",")).map(String::strip).map(Integer::valueOf).toList();
                    case "--block-intervals" -> intervals = Arrays.stream(v.split(",")).map(String::strip).map(Long::valueOf).toList();
                    case "--clients" -> clients = Integer.parseInt(v);
                    case "--window" -> window = v.strip();
                    case "--warmup" -> warmup = Double.parseDouble(v);
                    case "--inference-seconds" -> inference = Duration.ofSeconds(Long.parseLong(v));
                    case "--drain-minutes" -> drain = Duration.ofMinutes(Long.parseLong(v));
                    case "--launcher" -> launcher = Path.of(v).toAbsolutePath();
                    case "--dir" -> dir = Path.of(v).toAbsolutePath();
                    default -> throw new IllegalArgumentException("unknown option " + a + "; options: --jobs N --capacities 1,2,4 "
                            + "--block-intervals 500,100 --clients N --window N --warmup 0.1 --inference-seconds S "
                            + "--drain-minutes M --launcher bin/verity --dir DIR --keep --inference-only");
                }
            }
            if (!window.matches("[0-9]+x?")) {
                throw new IllegalArgumentException("--window is a number of jobs (0: all at once) or a multiple of the capacity (2x)");
            }
            if (jobs < 10 || clients < 1 || warmup < 0 || warmup >= 0.9 || capacities.isEmpty() || intervals.isEmpty()) {
                throw new IllegalArgumentException("--jobs at least 10, --clients at least 1, --warmup 0 to 0.9");
            }
            return new Options(jobs, capacities, intervals, clients, window, warmup, inference, drain, launcher, dir, keep,
                    inferenceOnly);
        }

        /** Jobs the clients keep in flight at {@code capacity}; 0: all at once. */
        int windowAt(int capacity) {
            return window.endsWith("x") ? Integer.parseInt(window.substring(0, window.length() - 1)) * capacity
                    : Integer.parseInt(window);
        }
    }

    /** One measured run: a block interval and a capacity. */
    record Row(long blockIntervalMillis, int capacity, int jobs, int settled, int failed, int expired, double submitSeconds,
               double steadyJobsPerSecond, double overallJobsPerSecond, long p50Millis, long p99Millis, long maxMillis,
               double jobsPerSettlingBlock, long blocks, int window, double loadAverage) {}

    private ComputeNodeThroughput() {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        OperatorNetwork.machine().forEach(ComputeNodeThroughput::say);
        say("options: " + o);
        Path dir = o.dir() != null ? Files.createDirectories(o.dir()) : Files.createTempDirectory("verity-node-throughput");
        List<String> report = new ArrayList<>();
        try {
            report.addAll(inferenceInThisJvm(dir.resolve("inference-models"), o));
            List<Row> rows = new ArrayList<>();
            for (long interval : o.inferenceOnly() ? List.<Long>of() : o.blockIntervals()) {
                rows.addAll(network(dir.resolve("blocks-" + interval + "ms"), interval, o));
            }
            if (!rows.isEmpty()) {
                report.add("");
                report.add("| block interval | capacity | jobs in flight | jobs | settled | steady state | whole run | p50 submit→settled "
                        + "| p99 | max | jobs per settling block | submitting took | load average |");
                report.add("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
                for (Row r : rows) {
                    report.add(String.format(Locale.ROOT, "| %d ms | %d | %s | %d | %d%s | **%.1f jobs/s** | %.1f jobs/s | %d ms | %d ms | %d ms | %.2f | %.1f s | %.1f |",
                            r.blockIntervalMillis(), r.capacity(), r.window() == 0 ? "all" : Integer.toString(r.window()), r.jobs(), r.settled(),
                            r.failed() + r.expired() > 0 ? " (" + r.failed() + " failed, " + r.expired() + " expired)" : "",
                            r.steadyJobsPerSecond(), r.overallJobsPerSecond(), r.p50Millis(), r.p99Millis(), r.maxMillis(),
                            r.jobsPerSettlingBlock(), r.submitSeconds(), r.loadAverage()));
                }
            }
        } finally {
            if (!o.keep()) {
                OperatorNetwork.deleteTree(dir);
            } else {
                say("kept " + dir);
            }
        }
        System.out.println();
        report.forEach(System.out::println);
    }

    /** The sentence of job {@code i}: the same inputs here and through the chain. */
    static byte[] input(int i) {
        return Bytes.utf8("Sentence number " + i + " sent by a benchmark client to one compute node.");
    }

    /** The node's own runner in this JVM, on the same inputs, at each capacity's number of calls at once. */
    private static List<String> inferenceInThisJvm(Path storeDir, Options o) throws InterruptedException {
        ModelStore store = new ModelStore(storeDir);
        BundledModels.BundledModel m = BundledModels.installMiniLm(store);
        List<String> out = new ArrayList<>();
        out.add("all-MiniLM-L6-v2 (quantized) in this JVM, ONNX Runtime on the CPU, one session, one intra-op thread per call "
                + "(the node's runner), same inputs:");
        out.add("");
        out.add("| calls at once | inferences per second | median per call |");
        out.add("|---|---|---|");
        try (ModelRunners runners = new ModelRunners(store, EnginePolicy.FAST_WHERE_TRUSTED, new Device.Cpu())) {
            ModelRunner runner = runners.forModel(Hash.fromHex(m.sha256Hex())).orElseThrow();
            for (int threads : o.capacities()) {
                measureInference(runner, threads, Duration.ofSeconds(2), null); // warm-up
                long[] median = new long[1];
                double rate = measureInference(runner, threads, o.inferenceTime(), median);
                String line = String.format(Locale.ROOT, "| %d | **%.0f /s** | %.2f ms |", threads, rate, median[0] / 1e6);
                say("inference in this JVM: " + line);
                out.add(line);
            }
        }
        return out;
    }

    /** Runs {@code threads} loops over the inputs for {@code time}; returns inferences per second (and the median, in ns). */
    private static double measureInference(ModelRunner runner, int threads, Duration time, long[] medianNanos)
            throws InterruptedException {
        LongAdder count = new LongAdder();
        List<long[]> samples = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime();
        long end = start + time.toNanos();
        for (int t = 0; t < threads; t++) {
            long[] mine = new long[200_000];
            samples.add(mine);
            int first = t * 100_000;
            Thread.ofPlatform().daemon().start(() -> {
                int i = 0;
                while (System.nanoTime() < end) {
                    long s = System.nanoTime();
                    runner.run(input(first + i), VerificationMode.NONE);
                    if (i < mine.length) {
                        mine[i] = System.nanoTime() - s;
                    }
                    i++;
                    count.increment();
                }
                done.countDown();
            });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (medianNanos != null) {
            List<Long> all = new ArrayList<>();
            for (long[] s : samples) {
                for (long v : s) {
                    if (v > 0) {
                        all.add(v);
                    }
                }
            }
            all.sort(null);
            medianNanos[0] = all.isEmpty() ? 0 : all.get(all.size() / 2);
        }
        return count.sum() / seconds;
    }

    /** One validator process, the model and node registered, then a node process per capacity. */
    private static List<Row> network(Path dir, long interval, Options o) throws Exception {
        Files.createDirectories(dir);
        PrivateKey nodeKey = KeyFiles.generate();
        Path nodeKeyFile = dir.resolve("node.json");
        KeyFiles.save(nodeKeyFile, nodeKey);
        List<Row> rows = new ArrayList<>();
        // Queued jobs never expire here: a burst of --jobs waits as long as one node needs for it.
        try (OperatorNetwork net = new OperatorNetwork(dir, o.launcher(), o.clients(), List.of(nodeKey), 1_000_000)) {
            BundledModels.BundledModel m = BundledModels.installMiniLm(net.validatorModels());
            Hash model = Hash.fromHex(m.sha256Hex());
            net.startValidator(interval);
            say("validator (" + interval + " ms blocks) at " + net.apiUrl() + ", log " + net.dir().resolve("validator.log"));
            net.registerModel(model, m.name(), m.inputDescription(), m.outputDescription(), m.info().computeUnits(),
                    ShippedSchemas.SENTENCE_TEXT);
            net.included(new Wallet(net.client(), nodeKey).registerNode(NODE_STAKE, List.of(model), List.of(VerificationMode.NONE),
                    Hardware.cpuOnly(System.getProperty("os.arch") + " CPU", Runtime.getRuntime().availableProcessors()),
                    o.capacities().get(0)), "registering the node");
            List<Wallet> wallets = net.clients().stream().map(k -> new Wallet(net.client(), k)).toList();
            for (int capacity : o.capacities()) {
                CliProcess node = net.start("node-capacity-" + capacity, List.of("node", "run", "--api", net.apiUrl(), "--key",
                        nodeKeyFile.toString(), "--store", dir.resolve("node-models").toString(), "--state-dir",
                        dir.resolve("node-state-" + capacity).toString(), "--capacity", Integer.toString(capacity), "--device",
                        "cpu", "--stop-timeout", "10"), line -> true);
                say("node run --capacity " + capacity + " started (pid " + node.pid() + ")");
                try {
                    // Warm-up: the node's first jobs (JIT, ONNX Runtime's first runs), also the proof that it serves.
                    int warm = Math.max(10, 4 * capacity);
                    Run w = new Run(net.client(), wallets, model, warm, 0, node);
                    w.go(Duration.ofMinutes(3));
                    if (w.ended() < warm) {
                        throw new IllegalStateException("the node settled " + w.ended() + " of " + warm + " warm-up jobs; see "
                                + node.log());
                    }
                    Run run = new Run(net.client(), wallets, model, o.jobs(), o.windowAt(capacity), node);
                    run.go(o.drainTimeout());
                    Row row = run.row(interval, capacity, o.warmup());
                    if (run.refused.get() > 0) {
                        say(run.refused.get() + " submissions were refused and sent again");
                    }
                    say(String.format(Locale.ROOT, "%d ms blocks, capacity %d: %d of %d settled, steady %.1f jobs/s, whole run %.1f "
                            + "jobs/s, p50 %d ms, p99 %d ms, %.2f jobs per settling block", interval, capacity, row.settled(), row.jobs(),
                            row.steadyJobsPerSecond(), row.overallJobsPerSecond(), row.p50Millis(), row.p99Millis(),
                            row.jobsPerSettlingBlock()));
                    rows.add(row);
                } finally {
                    net.stop(node);
                }
            }
        }
        return rows;
    }

    /** Submits jobs from several clients and follows the chain's events until every one has ended. */
    static final class Run {
        private final VerityClient client;
        private final List<Wallet> wallets;
        private final Hash model;
        private final int jobs;
        private final int window;
        private final CliProcess node;
        private final Map<String, Long> submittedAt = new ConcurrentHashMap<>();
        private final Map<String, Long> settledAt = new ConcurrentHashMap<>();
        private final Map<String, Long> settledHeight = new ConcurrentHashMap<>();
        private final Map<String, String> otherEnd = new ConcurrentHashMap<>();
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger reserved = new AtomicInteger();
        private final AtomicLong refused = new AtomicLong();
        private volatile long firstSubmit;
        private volatile long lastSubmit;

        Run(VerityClient client, List<Wallet> wallets, Hash model, int jobs, int window, CliProcess node) {
            this.client = client;
            this.wallets = wallets;
            this.model = model;
            this.jobs = jobs;
            this.window = window;
            this.node = node;
        }

        int ended() {
            return settledAt.size() + otherEnd.size();
        }

        void go(Duration timeout) throws InterruptedException {
            long fromHeight = client.status().height() + 1;
            AtomicInteger followerDone = new AtomicInteger();
            Thread follower = Thread.ofPlatform().daemon().name("bench-events").start(() -> follow(fromHeight, followerDone));
            firstSubmit = System.currentTimeMillis();
            List<Thread> submitters = new ArrayList<>();
            for (Wallet w : wallets) {
                submitters.add(Thread.ofPlatform().daemon().name("bench-client").start(() -> submit(w)));
            }
            for (Thread t : submitters) {
                t.join();
            }
            long end = System.nanoTime() + timeout.toNanos();
            while (ended() < submittedAt.size() && System.nanoTime() < end && node.isAlive()) {
                Thread.sleep(100);
            }
            followerDone.set(1);
            follower.join(5_000);
            if (!node.isAlive()) {
                throw new IllegalStateException("the node process exited; see " + node.log());
            }
        }

        private void submit(Wallet w) {
            int i;
            while ((i = next.getAndIncrement()) < jobs) {
                while (window > 0) { // reserve a place in the window (several clients share it)
                    int r = reserved.get();
                    if (r - ended() < window && reserved.compareAndSet(r, r + 1)) {
                        break;
                    }
                    sleep(2);
                }
                boolean sent = false;
                for (int attempt = 0; attempt < 10; attempt++) {
                    long now = System.currentTimeMillis();
                    try {
                        Hash id = w.submitJob(model, input(i), VerificationMode.NONE, List.of(), MAX_FEE, DEADLINE_BLOCKS);
                        submittedAt.put(id.hex(), now);
                        lastSubmit = System.currentTimeMillis();
                        sent = true;
                        break;
                    } catch (VerityApiException e) {
                        // Not acknowledged: sent again (the report counts only acknowledged jobs and says how many refusals).
                        refused.incrementAndGet();
                        if ("BAD_NONCE".equals(e.code())) {
                            w.resetNonce();
                        }
                        sleep(50);
                    }
                }
                if (!sent && window > 0) {
                    reserved.decrementAndGet();
                }
            }
        }

        private void follow(long fromHeight, AtomicInteger done) {
            long height = fromHeight;
            int index = 0;
            while (done.get() == 0) {
                List<EventView> page;
                try {
                    page = client.events(EventQuery.all().withFromPosition(height, index).withLimit(1000));
                } catch (VerityApiException e) {
                    sleep(200);
                    continue;
                }
                for (EventView e : page) {
                    if (e.job() != null) {
                        switch (e.type()) {
                            case "JOB_SETTLED" -> {
                                settledAt.putIfAbsent(e.job(), e.timestampMillis());
                                settledHeight.putIfAbsent(e.job(), e.height());
                            }
                            case "JOB_FAILED", "JOB_EXPIRED", "JOB_CANCELLED" -> otherEnd.putIfAbsent(e.job(), e.type());
                            default -> { }
                        }
                    }
                    height = e.height();
                    index = e.index() + 1;
                }
                if (page.size() < 1000) {
                    sleep(50);
                }
            }
        }

        Row row(long interval, int capacity, double warmupShare) {
            // Only jobs acknowledged at submission count, and only their own settlements.
            List<Long> times = new ArrayList<>();
            List<Long> latencies = new ArrayList<>();
            settledAt.forEach((job, at) -> {
                Long sent = submittedAt.get(job);
                if (sent != null) {
                    times.add(at);
                    latencies.add(Math.max(0, at - sent));
                }
            });
            times.sort(null);
            latencies.sort(null);
            int settled = times.size();
            double steady = 0;
            double overall = 0;
            if (settled >= 2) {
                int skip = Math.min(settled - 2, (int) Math.ceil(warmupShare * settled));
                long span = times.get(settled - 1) - times.get(skip);
                steady = span <= 0 ? 0 : (settled - 1 - skip) * 1000.0 / span;
                long whole = times.get(settled - 1) - firstSubmit;
                overall = whole <= 0 ? 0 : settled * 1000.0 / whole;
            }
            long blocks = settledHeight.values().stream().distinct().count();
            int failed = (int) otherEnd.values().stream().filter("JOB_FAILED"::equals).count();
            int expired = (int) otherEnd.values().stream().filter("JOB_EXPIRED"::equals).count();
            return new Row(interval, capacity, submittedAt.size(), settled, failed, expired, (lastSubmit - firstSubmit) / 1000.0,
                    steady, overall, percentile(latencies, 50), percentile(latencies, 99),
                    latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1), blocks == 0 ? 0 : settled / (double) blocks,
                    blocks, window, java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void say(String line) {
        System.err.println("[" + java.time.LocalTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + line);
    }
}
