package dev.verity.bench;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.block.Block;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.receipt.JobReceipt;
import dev.verity.receipt.ReceiptVerification;
import dev.verity.receipt.ReceiptVerifier;
import dev.verity.receipt.TrustedValidators;
import dev.verity.sdk.EventQuery;
import dev.verity.sdk.EventSubscription;
import dev.verity.sdk.VerityClient;
import dev.verity.sdk.api.EventView;
import dev.verity.sdk.api.TransactionReceipt;
import dev.verity.validator.ValidatorProcess;
import dev.verity.validator.api.ApiServerConfig;
import dev.verity.validator.chain.BlockListener;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.consensus.ratis.ValidatorPeer;
import dev.verity.validator.storage.Retention;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Settled TEE jobs through 1, 3 or 5 validators replicating over Apache Ratis, <b>all in one JVM on loopback</b> (each
 * validator a {@link ValidatorProcess} with its own RocksDB store, Raft log and HTTP API; one validator runs alone, without
 * Ratis, as a single validator does). The load is {@link SettlementLoad}'s, sent over HTTP with the SDK: {@code --clients}
 * client accounts each submit {@code SubmitJobs} of {@code --jobs-per-tx} TEE jobs, one transaction at a time, to the
 * validators in turn (round robin over all transactions), at most {@code --in-flight} jobs unfinished at a time (each
 * level given in turn, on the same cluster, the jobs of one level finished before the next starts); {@code --nodes}
 * compute nodes follow their assignments on the event stream of one validator each and answer with {@code SubmitResults}
 * (up to 128 results of 1,536 bytes under one enclave signature), sent round robin too. So every job settles in the block
 * after the one that included it.
 *
 * <p>Prints, per cluster size: the submit-to-final latency of the jobs finalised in the measured window (from the
 * {@code submit} call to the moment the validator the job was sent to holds a finality certificate at or above the block
 * that settled it: its {@link ChainNode#finalizedHeight()}, polled every millisecond), split into submit acknowledged,
 * settled on that validator and final there; the settled jobs per second over that window; and the receipt figures of
 * up to {@code --receipts} jobs: size, blocks and certificates, and {@link ReceiptVerifier#verify} time after a warm-up
 * (timed once the validators are closed).
 *
 * <pre>
 * java -Xmx4g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.ratis=error \
 *     --enable-native-access=ALL-UNNAMED -cp 'bench/target/classes:bench/target/lib/*' dev.verity.bench.ReplicatedSettlement \
 *     [--validators 1,3,5] [--interval 200] [--clients 16] [--jobs-per-tx 20,100] [--in-flight 100,2000] [--nodes 4] \
 *     [--warmup 10] [--measure 30] [--receipts 200] [--dir DIR]
 * </pre>
 */
public final class ReplicatedSettlement {
    private static final int MAX_RESULTS = SettlementLoad.RESULTS_PER_TX;

    private record Options(List<Integer> validators, long interval, int clients, List<Integer> jobsPerTx, List<Integer> inFlight,
                           int nodes,
                           int warmupSeconds, int measureSeconds, int receipts, Path dir) {}

    /** One job of the load: where it was sent and when each step happened (nanoTime). */
    private static final class Job {
        final String id;
        final int validator;
        final long submitted;
        volatile long acknowledged;
        volatile long settled;
        volatile long settledHeight;
        volatile long finalized;

        Job(String id, int validator, long submitted) {
            this.id = id;
            this.validator = validator;
            this.submitted = submitted;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        for (String line : OperatorNetwork.machine()) {
            System.out.println(line);
        }
        System.out.printf(Locale.ROOT, "all validators in this one JVM on loopback; block interval %d ms; %d clients; at most %s "
                        + "jobs in flight, %s jobs per SubmitJobs; %d compute nodes; warm-up %d s, measured %d s%n", o.interval,
                o.clients, o.inFlight, o.jobsPerTx, o.nodes, o.warmupSeconds, o.measureSeconds);
        Path root = o.dir != null ? o.dir : Files.createTempDirectory("verity-replicated");
        for (int n : o.validators) {
            Path dir = root.resolve("validators-" + n);
            try {
                run(n, o, dir);
            } finally {
                OperatorNetwork.deleteTree(dir);
            }
        }
        System.exit(0);
    }

    private static void run(int n, Options o, Path dir) throws Exception {
        System.out.printf(Locale.ROOT, "%n== %d validator%s (%s) ==%n", n, n == 1 ? "" : "s",
                n == 1 ? "single validator, no Ratis" : "Apache Ratis on loopback");
        List<PrivateKey> keys = new ArrayList<>();
        List<ValidatorInfo> infos = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PrivateKey k = PrivateKey.deterministic("bench validator " + i);
            keys.add(k);
            infos.add(Genesis.validator(k.publicKey()));
        }
        List<PrivateKey> clients = new ArrayList<>();
        for (int i = 0; i < o.clients; i++) {
            clients.add(PrivateKey.deterministic("bench client " + i));
        }
        SettlementLoad load = new SettlementLoad(0, o.nodes, infos, clients.stream().map(PrivateKey::publicKey).toList());
        List<ValidatorPeer> peers = new ArrayList<>();
        if (n > 1) {
            for (PrivateKey k : keys) {
                peers.add(new ValidatorPeer(k.publicKey(), "127.0.0.1:" + freePort()));
            }
        }
        List<ValidatorProcess> validators = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<EventSubscription> streams = new ArrayList<>();
        List<VerityClient> apis = new ArrayList<>();
        Run state = new Run(n);
        long lastFrom = 0;
        long lastTo = 0;
        Receipts fetched = null;
        try {
            for (int i = 0; i < n; i++) {
                validators.add(new ValidatorProcess(dir.resolve("v" + i), keys.get(i), load.genesis, ApiServerConfig.loopback(0),
                        o.interval, null, false, Retention.ARCHIVE, peers));
            }
            await(() -> validators.stream().allMatch(v -> v.chain().finalizedHeight() >= 1), Duration.ofSeconds(120),
                    "the first final block");
            for (ValidatorProcess v : validators) {
                apis.add(new VerityClient(v.url()));
            }
            setup(load, apis.getFirst());
            for (int i = 0; i < n; i++) {
                Tracker t = new Tracker(validators.get(i).chain(), state);
                state.trackers[i] = t;
                validators.get(i).chain().addListener(t);
                threads.add(daemon("finality-poller-" + i, t::poll));
            }
            Map<String, Hash> inputHashes = new ConcurrentHashMap<>();
            for (int j = 0; j < o.nodes; j++) {
                PrivateKey node = load.nodes.get(j);
                LinkedBlockingQueue<Hash> assigned = new LinkedBlockingQueue<>();
                streams.add(apis.get(j % n).streamEvents(EventQuery.forNode(node.publicKey()), e -> {
                    if ("JOB_ASSIGNED".equals(e.type())) {
                        assigned.add(Hash.fromHex(e.job()));
                    }
                }, e -> state.errors.add("event stream of node " + node.publicKey().hex() + ": " + e)));
                int first = j;
                threads.add(daemon("compute-node-" + j, () -> answer(load, node, assigned, inputHashes, apis, first, state)));
            }
            for (int c = 0; c < o.clients; c++) {
                PrivateKey client = clients.get(c);
                int index = c;
                threads.add(daemon("client-" + c, () -> submit(load, client, index, inputHashes, apis, state)));
            }
            for (int l = 0; l < o.inFlight.size(); l++) {
                int level = o.inFlight.get(l);
                int perTx = o.jobsPerTx.get(Math.min(l, o.jobsPerTx.size() - 1));
                System.out.printf(Locale.ROOT, "-- at most %d jobs in flight (%d clients, %d jobs per SubmitJobs) --%n", level,
                        o.clients, perTx);
                state.begin(level, perTx);
                long t0 = System.nanoTime();
                long from = t0 + TimeUnit.SECONDS.toNanos(o.warmupSeconds);
                long to = from + TimeUnit.SECONDS.toNanos(o.measureSeconds);
                double loadMin = Double.MAX_VALUE;
                double loadMax = 0;
                long heightFrom = -1;
                long[] cpuFrom = null;
                while (System.nanoTime() < to && state.errors.isEmpty()) {
                    Thread.sleep(1000);
                    if (System.nanoTime() >= from) {
                        if (heightFrom < 0) {
                            heightFrom = validators.getFirst().chain().height();
                            cpuFrom = cpu();
                        }
                        double avg = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
                        loadMin = Math.min(loadMin, avg);
                        loadMax = Math.max(loadMax, avg);
                    }
                }
                long heightTo = validators.getFirst().chain().height();
                long[] cpuTo = cpu();
                state.stop();
                if (!state.errors.isEmpty()) {
                    throw new IllegalStateException("the load failed: " + state.errors);
                }
                report(state, from, to, heightTo - heightFrom, loadMin, loadMax);
                if (cpuFrom != null && cpuTo[0] > cpuFrom[0]) {
                    double total = cpuTo[0] - cpuFrom[0];
                    System.out.printf(Locale.ROOT, "CPU over the window (/proc/stat): the machine %.0f%% busy, this JVM %.0f%% of "
                                    + "the machine, everything else %.0f%%%n", 100 * (cpuTo[1] - cpuFrom[1]) / total,
                            100 * (cpuTo[2] - cpuFrom[2]) / total, 100 * ((cpuTo[1] - cpuFrom[1]) - (cpuTo[2] - cpuFrom[2])) / total);
                }
                await(() -> state.outstanding.get() == 0, Duration.ofSeconds(60), "the jobs in flight to finish");
                lastFrom = from;
                lastTo = to;
            }
            fetched = receipts(state, apis, o.receipts, lastFrom, lastTo);
        } finally {
            state.shutdown();
            for (EventSubscription s : streams) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            threads.forEach(Thread::interrupt);
            apis.forEach(VerityClient::close);
            for (ValidatorProcess v : validators) {
                v.close();
            }
        }
        if (fetched != null) {
            timeVerification(fetched);
        }
    }

    /** Receipts as fetched, with the validator set they are checked against. */
    private record Receipts(List<byte[]> bytes, TrustedValidators trusted) {}

    /** What one run shares between its threads. */
    private static final class Run {
        final Tracker[] trackers;
        final ConcurrentLinkedQueue<Job> done = new ConcurrentLinkedQueue<>();
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong roundRobin = new AtomicLong();
        final AtomicLong refusedResults = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong outstanding = new AtomicLong();
        final Semaphore inFlight = new Semaphore(0);
        volatile boolean running = true;
        volatile boolean submitting;
        volatile int perTx;

        Run(int validators) {
            trackers = new Tracker[validators];
        }

        /** Lets the clients send, with at most {@code permits} jobs unfinished. */
        void begin(int permits, int jobsPerTx) {
            perTx = jobsPerTx;
            inFlight.drainPermits();
            inFlight.release(permits);
            submitting = true;
        }

        void stop() {
            submitting = false;
        }

        void shutdown() {
            submitting = false;
            running = false;
        }

        void finished(Job j, long now) {
            j.finalized = now;
            outstanding.decrementAndGet();
            done.add(j);
            inFlight.release();
        }
    }

    /**
     * Follows one validator: the jobs sent to it that its blocks settle (as it applies them), and the moment its finalized
     * height reaches each such block, polled every millisecond.
     */
    private static final class Tracker implements BlockListener {
        private final ChainNode chain;
        private final Run run;
        final Map<String, Job> sent = new ConcurrentHashMap<>();
        private final TreeMap<Long, List<Job>> waiting = new TreeMap<>();
        private long finalSeen;

        Tracker(ChainNode chain, Run run) {
            this.chain = chain;
            this.run = run;
        }

        @Override
        public void onBlock(Block block, List<EventView> events) {
            long now = System.nanoTime();
            List<Job> settled = new ArrayList<>();
            for (EventView e : events) {
                if ("JOB_SETTLED".equals(e.type())) {
                    Job j = sent.remove(e.job());
                    if (j != null) {
                        j.settled = now;
                        j.settledHeight = block.height();
                        settled.add(j);
                    }
                }
            }
            if (settled.isEmpty()) {
                return;
            }
            synchronized (this) {
                if (block.height() <= finalSeen) {
                    settled.forEach(j -> run.finished(j, now));
                } else {
                    waiting.computeIfAbsent(block.height(), h -> new ArrayList<>()).addAll(settled);
                }
            }
        }

        void poll() {
            while (run.running && !Thread.currentThread().isInterrupted()) {
                long f;
                try {
                    f = chain.finalizedHeight();
                } catch (RuntimeException e) {
                    return;
                }
                long now = System.nanoTime();
                synchronized (this) {
                    if (f > finalSeen) {
                        finalSeen = f;
                        var heads = waiting.headMap(f, true);
                        for (List<Job> js : heads.values()) {
                            js.forEach(j -> run.finished(j, now));
                        }
                        heads.clear();
                    }
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Registers the model, then the nodes, then their enclaves, through the first validator, each in a block of its own. */
    private static void setup(SettlementLoad load, VerityClient api) {
        // Admission checks a transaction against the committed state: the enclaves wait for their nodes' block.
        List<SignedTransaction> registrations = load.nodeRegistrations();
        List<SignedTransaction> nodes = registrations.stream().filter(t -> t.body().payload() instanceof Payload.RegisterNode)
                .toList();
        List<SignedTransaction> enclaves = registrations.stream().filter(t -> !nodes.contains(t)).toList();
        for (List<SignedTransaction> txs : List.of(List.of(load.modelRegistration()), nodes, enclaves)) {
            for (SignedTransaction tx : txs) {
                api.submit(tx);
            }
            for (SignedTransaction tx : txs) {
                TransactionReceipt r = api.awaitReceipt(tx.hash(), Duration.ofSeconds(60));
                if (!TransactionReceipt.INCLUDED.equals(r.status())) {
                    throw new IllegalStateException("setup transaction " + tx.hash().hex() + " " + r.status() + ": " + r.code()
                            + " " + r.message());
                }
            }
        }
    }

    /** A client: SubmitJobs of {@code perTx} TEE jobs, one at a time, each to the next validator in turn. */
    private static void submit(SettlementLoad load, PrivateKey client, int index, Map<String, Hash> inputHashes,
                               List<VerityClient> apis, Run run) {
        long nonce = 0;
        long counter = 0;
        while (run.running) {
            if (!run.submitting) {
                sleep(10);
                continue;
            }
            int perTx = run.perTx;
            try {
                if (!run.inFlight.tryAcquire(perTx, 100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            if (!run.submitting) {
                run.inFlight.release(perTx);
                continue;
            }
            List<Payload.SubmitJob> jobs = new ArrayList<>(perTx);
            List<Hash> hashes = new ArrayList<>(perTx);
            for (int i = 0; i < perTx; i++) {
                byte[] input = Bytes.utf8("client " + index + " input " + counter++);
                jobs.add(load.teeJob(input));
                hashes.add(Sha256.digest(input));
            }
            SignedTransaction tx = SignedTransaction.sign(new TransactionBody(SettlementLoad.CHAIN, client.publicKey(), nonce,
                    new Payload.SubmitJobs(jobs)), client);
            int v = (int) (run.roundRobin.getAndIncrement() % apis.size());
            run.outstanding.addAndGet(perTx);
            long t0 = System.nanoTime();
            List<Job> sent = new ArrayList<>(perTx);
            for (int i = 0; i < perTx; i++) {
                String id = Payload.SubmitJobs.jobId(tx.hash(), i).hex();
                inputHashes.put(id, hashes.get(i));
                Job j = new Job(id, v, t0);
                sent.add(j);
                run.trackers[v].sent.put(id, j);
            }
            if (!send(apis, v, tx, run)) {
                return;
            }
            long ack = System.nanoTime();
            sent.forEach(j -> j.acknowledged = ack);
            nonce++;
        }
    }

    /** A compute node: answers the jobs assigned to it, up to 128 a transaction, to the validators in turn. */
    private static void answer(SettlementLoad load, PrivateKey node, LinkedBlockingQueue<Hash> assigned,
                               Map<String, Hash> inputHashes, List<VerityClient> apis, int first, Run run) {
        long nonce = 2;
        long sent = first;
        List<Hash> batch = new ArrayList<>(MAX_RESULTS);
        while (run.running) {
            try {
                Hash job = assigned.poll(100, TimeUnit.MILLISECONDS);
                if (job == null) {
                    continue;
                }
                batch.add(job);
                // The assignments of one block arrive together: take what is there, up to a transaction's worth.
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
            assigned.drainTo(batch, MAX_RESULTS - batch.size());
            Payload.SubmitResults results = load.teeResults(node.publicKey(), batch, j -> inputHashes.remove(j.hex()));
            SignedTransaction tx = SignedTransaction.sign(new TransactionBody(SettlementLoad.CHAIN, node.publicKey(), nonce, results),
                    node);
            if (!send(apis, (int) (sent++ % apis.size()), tx, run)) {
                return;
            }
            nonce++;
            batch.clear();
        }
    }

    /** Submits {@code tx}, retrying on another validator while the log has no leader; false once the run stops. */
    private static boolean send(List<VerityClient> apis, int v, SignedTransaction tx, Run run) {
        for (int attempt = 0; run.running; attempt++) {
            try {
                apis.get((v + attempt) % apis.size()).submit(tx);
                return true;
            } catch (RuntimeException e) {
                String m = String.valueOf(e.getMessage());
                if (m.contains("already") && attempt > 0) {
                    return true;
                }
                run.retries.incrementAndGet();
                if (attempt >= 20) {
                    run.errors.add("transaction " + tx.hash().hex() + " not taken after " + attempt + " tries: " + m);
                    return false;
                }
                sleep(100);
            }
        }
        return false;
    }

    private static void report(Run run, long from, long to, long blocks, double loadMin, double loadMax) {
        List<Job> window = new ArrayList<>();
        for (Job j : run.done) {
            if (j.finalized >= from && j.finalized < to) {
                window.add(j);
            }
        }
        double seconds = (to - from) / 1e9;
        System.out.printf(Locale.ROOT, "settled and final in the %.0f s window: %d jobs, %.1f jobs/s, %d blocks (%.1f jobs/block); "
                        + "load average %.1f to %.1f; %d submit retries%n", seconds, window.size(), window.size() / seconds, blocks,
                blocks == 0 ? 0.0 : window.size() / (double) blocks, loadMin, loadMax, run.retries.get());
        if (window.isEmpty()) {
            return;
        }
        long[] total = window.stream().mapToLong(j -> j.finalized - j.submitted).sorted().toArray();
        long[] ack = window.stream().mapToLong(j -> j.acknowledged - j.submitted).sorted().toArray();
        long[] settle = window.stream().mapToLong(j -> j.settled - j.acknowledged).sorted().toArray();
        long[] fin = window.stream().mapToLong(j -> j.finalized - j.settled).sorted().toArray();
        System.out.printf(Locale.ROOT, "%-34s %9s %9s %9s %9s%n", "latency (ms)", "median", "p90", "p99", "max");
        row("submit to final", total);
        row("  submit call until acknowledged", ack);
        row("  acknowledged until settled there", settle);
        row("  settled until final there", fin);
    }

    private static void row(String name, long[] sorted) {
        System.out.printf(Locale.ROOT, "%-34s %9.1f %9.1f %9.1f %9.1f%n", name, pct(sorted, 0.5) / 1e6, pct(sorted, 0.9) / 1e6,
                pct(sorted, 0.99) / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private static long pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Receipts of jobs finalised in the window, from the validator each was sent to: their size, blocks and signers. */
    private static Receipts receipts(Run run, List<VerityClient> apis, int count, long from, long to) {
        if (count <= 0) {
            return null;
        }
        List<Job> window = new ArrayList<>(run.done.stream().filter(j -> j.finalized >= from && j.finalized < to).toList());
        Collections.shuffle(window, new Random(7));
        TrustedValidators trusted = apis.getFirst().validators(0).toTrusted();
        List<byte[]> receipts = new ArrayList<>();
        for (Job j : window.subList(0, Math.min(count, window.size()))) {
            receipts.add(apis.get(j.validator).jobReceiptBytes(Hash.fromHex(j.id)));
        }
        if (receipts.isEmpty()) {
            return null;
        }
        long[] sizes = receipts.stream().mapToLong(r -> r.length).sorted().toArray();
        TreeMap<Integer, Integer> blocks = new TreeMap<>();
        TreeMap<Integer, Integer> signers = new TreeMap<>();
        int events = 0;
        long headerBytes = 0;
        long certificateBytes = 0;
        long eventBytes = 0;
        long pathBytes = 0;
        for (byte[] r : receipts) {
            JobReceipt decoded = JobReceipt.decode(r);
            for (var b : decoded.blocks()) {
                dev.verity.core.Encoder he = new dev.verity.core.Encoder(512);
                b.header().encode(he);
                headerBytes += he.toByteArray().length;
                certificateBytes += b.certificate().encode().length;
                for (var e : b.events()) {
                    eventBytes += e.event().length;
                    pathBytes += (long) e.path().size() * Hash.LENGTH;
                }
            }
            ReceiptVerification v = ReceiptVerifier.verify(r, trusted);
            if (!v.valid()) {
                throw new IllegalStateException("a receipt does not verify: " + v.failed() + " " + v.reason());
            }
            blocks.merge(v.blocks().size(), 1, Integer::sum);
            v.blocks().forEach(b -> signers.merge(b.signers().size(), 1, Integer::sum));
            events += v.events().size();
        }
        System.out.printf(Locale.ROOT, "receipts of %d jobs: %.0f bytes on average (min %d, median %d, max %d); blocks per receipt "
                        + "%s; signers per certificate %s; %.1f events per receipt%n", receipts.size(),
                Arrays.stream(sizes).average().orElse(0), sizes[0], pct(sizes, 0.5), sizes[sizes.length - 1], blocks, signers,
                events / (double) receipts.size());
        double n = receipts.size();
        double parts = (headerBytes + certificateBytes + eventBytes + pathBytes) / n;
        System.out.printf(Locale.ROOT, "  per receipt on average: headers %.0f bytes, certificates %.0f, events %.0f, their Merkle "
                        + "paths %.0f, the rest (framing, counts, indexes) %.0f%n", headerBytes / n, certificateBytes / n,
                eventBytes / n, pathBytes / n, Arrays.stream(sizes).average().orElse(0) - parts);
        return new Receipts(receipts, trusted);
    }

    /**
     * {@link ReceiptVerifier#verify} one call at a time, after the cluster was closed (so that its blocks do not run in
     * between): 5 s of warm-up, then 10 s timed.
     */
    private static void timeVerification(Receipts fetched) {
        List<byte[]> receipts = fetched.bytes();
        TrustedValidators trusted = fetched.trusted();
        System.gc();
        sleep(2000);
        long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int i = 0;
        while (System.nanoTime() < warm) {
            ReceiptVerifier.verify(receipts.get(i++ % receipts.size()), trusted);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long[] times = new long[1 << 20];
        int k = 0;
        while (System.nanoTime() < end && k < times.length) {
            byte[] r = receipts.get(k % receipts.size());
            long t0 = System.nanoTime();
            ReceiptVerification v = ReceiptVerifier.verify(r, trusted);
            times[k++] = System.nanoTime() - t0;
            if (!v.valid()) {
                throw new IllegalStateException("a receipt does not verify");
            }
        }
        long[] sorted = Arrays.copyOf(times, k);
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "ReceiptVerifier.verify (bytes in, decoding included; the validators closed): mean %.1f us, "
                        + "median %.1f us, p99 %.1f us over %d verifications; load average %.1f%n",
                Arrays.stream(sorted).average().orElse(0) / 1e3, pct(sorted, 0.5) / 1e3, pct(sorted, 0.99) / 1e3, k,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /**
     * The machine's CPU time so far, all of it and busy (from {@code /proc/stat}, in clock ticks), and this JVM's busy
     * time in the same ticks; zeros where {@code /proc/stat} cannot be read.
     */
    static long[] cpu() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            long ticksPerSecond = 100;
            long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime() * ticksPerSecond / 1_000_000_000L;
            return new long[] {total, total - idle, process};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0, 0};
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void await(BooleanSupplier condition, Duration patience, String what) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static Options parse(String[] args) {
        List<Integer> validators = List.of(1, 3, 5);
        long interval = 200;
        int clients = 16;
        List<Integer> jobsPerTx = List.of(20, 100);
        List<Integer> inFlight = List.of(100, 2000);
        int nodes = 4;
        int warmup = 10;
        int measure = 30;
        int receipts = 200;
        Path dir = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--validators" -> validators = Arrays.stream(value.split(",")).map(String::strip).map(Integer::parseInt).toList();
                case "--interval" -> interval = Long.parseLong(value);
                case "--clients" -> clients = Integer.parseInt(value);
                case "--jobs-per-tx" -> jobsPerTx = Arrays.stream(value.split(",")).map(String::strip).map(Integer::parseInt).toList();
                case "--in-flight" -> inFlight = Arrays.stream(value.split(",")).map(String::strip).map(Integer::parseInt).toList();
                case "--nodes" -> nodes = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--measure" -> measure = Integer.parseInt(value);
                case "--receipts" -> receipts = Integer.parseInt(value);
                case "--dir" -> dir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; use --validators 1,3,5 --interval MS "
                        + "--clients N --jobs-per-tx N,N --in-flight N,N --nodes N --warmup S --measure S --receipts N --dir DIR");
            }
        }
        for (int l = 0; l < inFlight.size(); l++) {
            int perTx = jobsPerTx.get(Math.min(l, jobsPerTx.size() - 1));
            if (perTx < 1 || perTx > SettlementLoad.JOBS_PER_TX || perTx > inFlight.get(l)) {
                throw new IllegalArgumentException("--jobs-per-tx is 1 to 1000 and at most --in-flight, level by level");
            }
        }
        return new Options(validators, interval, clients, jobsPerTx, inFlight, nodes, warmup, measure, receipts, dir);
    }

    private ReplicatedSettlement() {}
}
