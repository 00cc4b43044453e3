package dev.verity.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.PublicKey;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.block.Block;
import dev.verity.protocol.consensus.FinalityCertificate;
import dev.verity.protocol.consensus.SignedVote;
import dev.verity.protocol.consensus.ValidatorInfo;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.sdk.api.EventView;
import dev.verity.validator.ValidatorProcess;
import dev.verity.validator.api.ApiServerConfig;
import dev.verity.validator.chain.BlockListener;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.NodeConfig;
import dev.verity.validator.chain.SnapshotStream;
import dev.verity.validator.chain.VerifiedSnapshot;
import dev.verity.validator.chain.VoteSigner;
import dev.verity.validator.consensus.ratis.ReplicatedConsensus;
import dev.verity.validator.consensus.ratis.ValidatorPeer;
import dev.verity.validator.storage.ChainStore;
import dev.verity.validator.storage.Retention;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How long a fresh pruned validator takes to catch up from a snapshot of a chain with {@code --jobs} (1,000,000) settled
 * jobs in its history.
 *
 * <p><b>Build</b> (once; kept in {@code --dir}, reused by later runs): an archive validator's store ({@link ChainNode} over
 * RocksDB, the real commit path) fed {@link SettlementLoad}'s steady TEE load, 4,000 new jobs a block and the results of
 * the 4,000 of the block before, until {@code --jobs} jobs have settled: every block with its events, every finished job
 * in the job archive. The genesis names four validators; the builder signs the other validators' finality votes too, so
 * that three of four certify every block, as they would have.
 *
 * <p><b>Catch-up over Ratis</b>: three validators start, each on a copy of that store (its immutable RocksDB files
 * hard-linked, as a checkpoint does), with a fresh Raft log that takes a snapshot and purges every
 * {@code --snapshot-every} entries, all four in one JVM on loopback. Once their log was purged, the fourth starts on an
 * empty data directory, pruned ({@code --retain}): Ratis tells it that the log it needs is gone, and it fetches
 * {@code GET /v1/snapshot} from one of the others, checks it against the certificate of its block, installs it and
 * follows the log. Timed from its start to the snapshot installed, to its head at the others', and to a final block of
 * its own.
 *
 * <p><b>The same code path, step by step</b> ({@code --repeat} times): {@code GET /v1/snapshot} from a running validator into
 * memory, {@link SnapshotStream#read}, the certificate of its block, {@link VerifiedSnapshot#verify} (which rebuilds the
 * state trie from the rows), and {@link ChainNode#installSnapshot} on a fresh pruned node; with the snapshot's size in bytes
 * and rows. {@code --compact} compacts the built store fully first (RocksDB drops the rows deleted along the way).
 *
 * <pre>
 * java -Xmx3g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.org.apache.ratis=error \
 *     --enable-native-access=ALL-UNNAMED -cp 'bench/target/classes:bench/target/lib/*' dev.verity.bench.SnapshotCatchUpBenchmark \
 *     [--jobs 1000000] [--dir DIR] [--retain 1000] [--interval 200] [--snapshot-every 200] [--repeat 3] [--compact]
 * </pre>
 */
public final class SnapshotCatchUpBenchmark {
    private static final int JOBS_PER_BLOCK = 4_000;
    private static final int VALIDATORS = 4;
    private static final String BUILT = "built";

    public static void main(String[] args) throws Exception {
        long jobs = 1_000_000;
        Path dir = null;
        long retain = 1_000;
        long interval = 200;
        long snapshotEvery = 200;
        int repeat = 3;
        boolean compact = false;
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--compact")) {
                compact = true;
                i--;
                continue;
            }
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--jobs" -> jobs = Long.parseLong(value);
                case "--dir" -> dir = Path.of(value);
                case "--retain" -> retain = Long.parseLong(value);
                case "--interval" -> interval = Long.parseLong(value);
                case "--snapshot-every" -> snapshotEvery = Long.parseLong(value);
                case "--repeat" -> repeat = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --jobs N --dir DIR --retain N --interval MS --snapshot-every N --repeat N --compact");
            }
        }
        for (String line : OperatorNetwork.machine()) {
            System.out.println(line);
        }
        Path root = dir != null ? dir : Files.createTempDirectory("verity-catch-up");
        List<PrivateKey> keys = new ArrayList<>();
        List<ValidatorInfo> infos = new ArrayList<>();
        for (int i = 0; i < VALIDATORS; i++) {
            PrivateKey k = PrivateKey.deterministic("bench validator " + i);
            keys.add(k);
            infos.add(Genesis.validator(k.publicKey()));
        }
        SettlementLoad load = new SettlementLoad(JOBS_PER_BLOCK,
                Math.max(1, (2 * JOBS_PER_BLOCK + 4095) / 4096), infos, List.of());
        Path built = root.resolve("built-" + jobs);
        if (!Files.exists(built.resolve(BUILT))) {
            OperatorNetwork.deleteTree(built);
            build(load, keys, built, jobs);
        } else {
            System.out.println("reusing the store in " + built + " (" + Files.readString(built.resolve(BUILT)).strip() + ")");
        }
        if (compact) {
            long t0 = System.nanoTime();
            try (ChainStore store = ChainStore.open(built)) {
                store.compact();
            }
            System.out.printf(Locale.ROOT, "compacted the built store fully in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "the store: %.1f MB on disk; rows %s%n", size(built.resolve("db")) / 1e6, rowCounts(built));
        catchUp(load, keys, built, root.resolve("run"), retain, interval, snapshotEvery, repeat);
        System.exit(0);
    }

    /** Settles {@code jobs} jobs through an archive validator's {@link ChainNode}, three of four validators voting. */
    private static void build(SettlementLoad load, List<PrivateKey> keys, Path dir, long jobs) throws IOException {
        System.out.printf(Locale.ROOT, "building: %d settled jobs, %d a block, into %s%n", jobs, JOBS_PER_BLOCK, dir);
        long t0 = System.nanoTime();
        Map<PublicKey, List<dev.verity.core.Hash>> assigned = new LinkedHashMap<>();
        long[] settled = {0};
        try (ChainNode node = ChainNode.open(NodeConfig.defaults(dir), load.genesis, keys.getFirst())) {
            node.addListener(new BlockListener() {
                @Override
                public void onBlock(Block block, List<EventView> events) {
                    for (EventView e : events) {
                        if ("JOB_ASSIGNED".equals(e.type())) {
                            assigned.computeIfAbsent(PublicKey.fromHex(e.node()), k -> new ArrayList<>()).add(Hash.fromHex(e.job()));
                        } else if ("JOB_SETTLED".equals(e.type())) {
                            settled[0]++;
                        }
                    }
                }
            });
            List<SignedTransaction> registrations = load.nodeRegistrations();
            List<List<SignedTransaction>> setup = List.of(List.of(load.modelRegistration()),
                    registrations.stream().filter(t -> t.body().payload() instanceof Payload.RegisterNode).toList(),
                    registrations.stream().filter(t -> !(t.body().payload() instanceof Payload.RegisterNode)).toList());
            for (List<SignedTransaction> txs : setup) {
                produce(node, keys, txs);
            }
            long every = 100_000;
            long next = every;
            long windowStart = System.nanoTime();
            long windowSettled = 0;
            while (settled[0] < jobs) {
                load.assigned(assigned);
                assigned.clear();
                long before = settled[0];
                produce(node, keys, load.nextBlock());
                windowSettled += settled[0] - before;
                if (settled[0] >= next) {
                    long now = System.nanoTime();
                    System.out.printf(Locale.ROOT, "  %,10d settled, height %d, %.0f jobs/s, store %.0f MB, load average %.1f%n",
                            settled[0], node.height(), windowSettled * 1e9 / (now - windowStart), size(dir.resolve("db")) / 1e6,
                            loadAverage());
                    next += every;
                    windowStart = now;
                    windowSettled = 0;
                }
            }
            String summary = String.format(Locale.ROOT, "%d settled jobs, height %d, finalized %d, built in %.0f s", settled[0],
                    node.height(), node.finalizedHeight(), (System.nanoTime() - t0) / 1e9);
            Files.writeString(dir.resolve(BUILT), summary + "\n");
            System.out.println("built: " + summary);
        }
    }

    /** Admits {@code txs} and produces a block; the other validators' votes make three of four, so it is final. */
    private static void produce(ChainNode node, List<PrivateKey> keys, List<SignedTransaction> txs) {
        for (SignedTransaction tx : txs) {
            node.admit(tx);
        }
        Block block = node.produceBlock();
        for (int i = 1; i < 3; i++) {
            node.applyVote(SignedVote.sign(node.voteFor(block), keys.get(i)), null);
        }
        if (node.finalizedHeight() != block.height()) {
            throw new IllegalStateException("block " + block.height() + " is not final after three of four votes");
        }
    }

    private static void catchUp(SettlementLoad load, List<PrivateKey> keys, Path built, Path run, long retain, long interval,
                                long snapshotEvery, int repeat) throws Exception {
        OperatorNetwork.deleteTree(run);
        System.setProperty(ReplicatedConsensus.SNAPSHOT_EVERY, String.valueOf(snapshotEvery));
        System.setProperty(ReplicatedConsensus.SEGMENT_BYTES, String.valueOf(4 << 10));
        List<ValidatorPeer> peers = new ArrayList<>();
        List<Integer> apiPorts = new ArrayList<>();
        for (PrivateKey k : keys) {
            int api = ReplicatedSettlement.freePort();
            apiPorts.add(api);
            peers.add(new ValidatorPeer(k.publicKey(), "127.0.0.1:" + ReplicatedSettlement.freePort(), "http://127.0.0.1:" + api));
        }
        long tc = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            checkpointCopy(built.resolve("db"), run.resolve("v" + i).resolve("db"));
        }
        System.out.printf(Locale.ROOT, "%ncopied the store for three validators (hard links to its table files) in %.1f s%n",
                (System.nanoTime() - tc) / 1e9);
        ValidatorProcess[] nodes = new ValidatorProcess[VALIDATORS];
        try {
            long ts = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                nodes[i] = new ValidatorProcess(run.resolve("v" + i), keys.get(i), load.genesis,
                        ApiServerConfig.loopback(apiPorts.get(i)), interval, null, false, Retention.ARCHIVE, peers);
            }
            long startHeight = nodes[0].chain().height();
            System.out.printf(Locale.ROOT, "three of four validators started at height %d in %.1f s; the fourth is down%n",
                    startHeight, (System.nanoTime() - ts) / 1e9);
            // Until every running validator took a snapshot and purged the start of the log, which the fourth would need.
            ReplicatedSettlement.await(() -> {
                for (int i = 0; i < 3; i++) {
                    if (firstLogIndex(run.resolve("v" + i).resolve("raft")) <= 0) {
                        return false;
                    }
                }
                return true;
            }, Duration.ofMinutes(3), "three validators to purge the start of their log");
            long purgedAt = nodes[0].chain().height();
            System.out.printf(Locale.ROOT, "at height %d (a block every %d ms) all three had purged the log from index 0 (kept from "
                    + "index %d on the first)%n", purgedAt, interval, firstLogIndex(run.resolve("v0").resolve("raft")));

            double loadBefore = loadAverage();
            long t0 = System.nanoTime();
            nodes[3] = new ValidatorProcess(run.resolve("v3"), keys.get(3), load.genesis, ApiServerConfig.loopback(apiPorts.get(3)),
                    interval, null, false, retain, peers);
            ValidatorProcess fresh = nodes[3];
            long started = System.nanoTime();
            ReplicatedSettlement.await(() -> fresh.chain().height() >= startHeight, Duration.ofMinutes(4), "the snapshot installed");
            long installed = System.nanoTime();
            long snapshotHeight = fresh.chain().retention().lowestHeight();
            long target = nodes[0].chain().height();
            ReplicatedSettlement.await(() -> fresh.chain().height() >= target, Duration.ofMinutes(5),
                    "the fourth at the others' head");
            long caughtUp = System.nanoTime();
            if (fresh.chain().retention().lowestHeight() != snapshotHeight) {
                System.out.printf(Locale.ROOT, "NOTE: the fourth installed another snapshot (of block %d) before it followed the "
                        + "log: the others had purged past the first one meanwhile%n", fresh.chain().retention().lowestHeight());
            }
            long finalTarget = fresh.chain().height();
            ReplicatedSettlement.await(() -> fresh.chain().finalizedHeight() >= finalTarget, Duration.ofMinutes(5),
                    "a final block on the fourth");
            long finalized = System.nanoTime();
            System.out.printf(Locale.ROOT, "the fourth validator (pruned, keeping %d blocks, empty data directory), over Ratis: "
                            + "started in %.2f s; snapshot of block %d installed %.2f s after the start; at the others' head "
                            + "(%d) after %.2f s; final block %d after %.2f s; load average %.1f before, %.1f after%n", retain,
                    (started - t0) / 1e9, snapshotHeight, (installed - t0) / 1e9, target, (caughtUp - t0) / 1e9, finalTarget,
                    (finalized - t0) / 1e9, loadBefore, loadAverage());
            if (snapshotHeight < startHeight) {
                throw new IllegalStateException("the fourth validator did not start from a snapshot (lowest height " + snapshotHeight
                        + ")");
            }

            for (int r = 1; r <= repeat; r++) {
                stepByStep(r, nodes[0], load.genesis, keys.get(3), run.resolve("direct-" + r), retain);
            }
        } finally {
            for (ValidatorProcess v : nodes) {
                if (v != null) {
                    v.close();
                }
            }
            System.clearProperty(ReplicatedConsensus.SNAPSHOT_EVERY);
            System.clearProperty(ReplicatedConsensus.SEGMENT_BYTES);
            OperatorNetwork.deleteTree(run);
        }
    }

    /** SnapshotCatchUp's steps, each timed, against the API at {@code url}, into a fresh pruned node. */
    private static void stepByStep(int run, ValidatorProcess server, Genesis genesis, PrivateKey key, Path dir, long retain)
            throws Exception {
        String url = server.url();
        HttpClient http = HttpClient.newHttpClient();
        double loadBefore = loadAverage();
        long e0 = System.nanoTime();
        java.io.ByteArrayOutputStream exported = new java.io.ByteArrayOutputStream(4 << 20);
        server.chain().writeSnapshot(exported);
        long export = System.nanoTime() - e0;
        long t0 = System.nanoTime();
        byte[] bytes = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/snapshot")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        long t1 = System.nanoTime();
        SnapshotStream.Received received = SnapshotStream.read(new ByteArrayInputStream(bytes));
        long t2 = System.nanoTime();
        FinalityCertificate cert = null;
        long waitedForCertificate = 0;
        while (cert == null) {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/blocks/" + received.height()
                    + "/certificate")).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() == 200) {
                cert = FinalityCertificate.decode(Bytes.fromHex(new ObjectMapper().readTree(res.body()).get("certificate").asText()));
            } else {
                long w = System.nanoTime();
                Thread.sleep(20);
                waitedForCertificate += System.nanoTime() - w;
            }
        }
        long t3 = System.nanoTime();
        try (ChainNode fresh = ChainNode.open(NodeConfig.defaults(dir).withRetainBlocks(retain), genesis, key)) {
            long t4 = System.nanoTime();
            VerifiedSnapshot verified = VerifiedSnapshot.verify(genesis.chainId(), fresh.currentValidatorSet(), received, cert);
            long t5 = System.nanoTime();
            if (!fresh.installSnapshot(verified)) {
                throw new IllegalStateException("the fresh node did not install the snapshot");
            }
            long t6 = System.nanoTime();
            if (fresh.height() != received.height()
                    || !fresh.status().stateRoot().equalsIgnoreCase(verified.block().header().stateRoot().hex())) {
                throw new IllegalStateException("the installed state root differs from the certified block's");
            }
            long stateBytes = received.rows().stream().mapToLong(row -> row.key().length + row.value().length).sum();
            if (run == 1) {
                Map<String, Integer> byTable = new LinkedHashMap<>();
                for (var row : received.rows()) {
                    int id = row.key()[0] & 0xFF;
                    String name = java.util.Arrays.stream(dev.verity.protocol.state.StateTable.values()).filter(t -> t.id() == id)
                            .map(Enum::name).findFirst().orElse("table " + id);
                    byTable.merge(name, 1, Integer::sum);
                }
                System.out.println("the snapshot's state rows by table: " + byTable);
            }
            System.out.printf(Locale.ROOT, "step by step, run %d: snapshot of block %d, %,d bytes, %,d state rows (%,d bytes of keys "
                            + "and values), %,d trie nodes rebuilt, %d certificate signers; the serving node's export alone (ChainNode"
                            + ".writeSnapshot into memory, before) %.0f ms; GET /v1/snapshot %.0f ms, "
                            + "SnapshotStream.read %.0f ms, certificate %.0f ms (%.0f ms of it waiting for the block to be final), "
                            + "VerifiedSnapshot.verify %.0f ms, ChainNode.installSnapshot %.0f ms; total %.0f ms without opening "
                            + "the fresh node (%.0f ms); load average %.1f before, %.1f after%n",
                    run, received.height(), bytes.length, received.rows().size(), stateBytes,
                    verified.rows().size() - received.rows().size(), cert.signers().size(), export / 1e6, (t1 - t0) / 1e6,
                    (t2 - t1) / 1e6, (t3 - t2) / 1e6, waitedForCertificate / 1e6, (t5 - t4) / 1e6, (t6 - t5) / 1e6,
                    ((t3 - t0) + (t6 - t4)) / 1e6, (t4 - t3) / 1e6, loadBefore, loadAverage());
        } finally {
            OperatorNetwork.deleteTree(dir);
        }
    }

    /**
     * A copy of a closed RocksDB directory as a checkpoint makes it: the table files (never changed once written)
     * hard-linked, everything else copied. The vote file of the validator that built it is not copied.
     */
    private static void checkpointCopy(Path from, Path to) throws IOException {
        Path fromRoot = from.getParent();
        Path toRoot = to.getParent();
        try (Stream<Path> files = Files.walk(fromRoot)) {
            for (Path f : files.toList()) {
                Path target = toRoot.resolve(fromRoot.relativize(f).toString());
                String name = f.getFileName().toString();
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else if (name.equals(VoteSigner.FILE) || name.equals(BUILT) || name.equals("LOCK")) {
                    continue;
                } else if (name.endsWith(".sst") || name.endsWith(".blob")) {
                    Files.createLink(target, f);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    /** The first index the Raft log under {@code raftDir} still holds (its segments are named by their first index). */
    private static long firstLogIndex(Path raftDir) {
        try (Stream<Path> files = Files.walk(raftDir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("log_"))
                    .map(n -> n.startsWith("log_inprogress_") ? n.substring("log_inprogress_".length())
                            : n.substring(4, n.indexOf('-')))
                    .mapToLong(Long::parseLong).min().orElse(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Map<String, Long> rowCounts(Path dir) {
        try (ChainStore store = ChainStore.open(dir)) {
            return store.rowCounts();
        }
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long size(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (UncheckedIOException e) {
            return -1;
        }
    }

    private SnapshotCatchUpBenchmark() {}
}
