package dev.verity.bench;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PrivateKey;
import dev.verity.core.Sha256;
import dev.verity.ledger.Genesis;
import dev.verity.protocol.Params;
import dev.verity.protocol.VerificationMode;
import dev.verity.protocol.tx.Payload;
import dev.verity.protocol.tx.SignedTransaction;
import dev.verity.protocol.tx.TransactionBody;
import dev.verity.testkit.TestGenesis;
import dev.verity.validator.chain.ChainNode;
import dev.verity.validator.chain.NodeConfig;
import dev.verity.validator.storage.ChainStore;
import dev.verity.validator.storage.Retention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An archive and a pruned validator ({@link ChainNode} over RocksDB) fed the same blocks side by side: each block holds
 * a {@code SubmitJobs} transaction of {@code --jobs-per-block} jobs (64-byte text inputs; no node serves the model, so each
 * expires 10 blocks later and moves to the job archive) and a transfer. Every {@code --every} blocks it prints each
 * store's size on disk and the mean time to produce and commit a block; at the end, each store's rows per table and its
 * size after a full compaction.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp 'bench/target/classes:bench/target/lib/*' dev.verity.bench.PruningDisk \
 *     [--blocks 10000] [--every 1000] [--retain 1000] [--jobs-per-block 20] [--dir DIR]
 * </pre>
 */
public final class PruningDisk {
    private static final String CHAIN = "verity-pruning-bench";
    private static final PrivateKey VALIDATOR = PrivateKey.deterministic("pruning-bench-validator");
    private static final PrivateKey CLIENT = PrivateKey.deterministic("pruning-bench-client");
    private static final Hash MODEL = Sha256.digest(Bytes.utf8("pruning bench model"));

    public static void main(String[] args) throws IOException {
        long blocks = 10_000;
        long every = 1_000;
        long retain = 1_000;
        int jobsPerBlock = 20;
        Path dir = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--blocks" -> blocks = Long.parseLong(value);
                case "--every" -> every = Long.parseLong(value);
                case "--retain" -> retain = Long.parseLong(value);
                case "--jobs-per-block" -> jobsPerBlock = Integer.parseInt(value);
                case "--dir" -> dir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --blocks N --every N --retain N --jobs-per-block N --dir DIR");
            }
        }
        Path data = dir != null ? dir : Files.createTempDirectory("verity-pruning");
        Genesis genesis = TestGenesis.chain(CHAIN).at(1_767_225_600_000L).fund(CLIENT, Long.MAX_VALUE / 4).validator(VALIDATOR)
                .params(p -> OperatorNetwork.withComponent(p, "maxQueueBlocks", 10L)).build();
        Path archiveDir = data.resolve("archive");
        Path prunedDir = data.resolve("pruned");
        for (String line : OperatorNetwork.machine()) {
            System.out.println(line);
        }
        System.out.printf(Locale.ROOT, "%d blocks of %d jobs and a transfer; the pruned node keeps %d blocks; %s%n", blocks,
                jobsPerBlock, retain, data);
        System.out.printf(Locale.ROOT, "%8s %12s %12s %13s %13s %8s%n", "height", "archive-MB", "pruned-MB", "archive-ms/blk",
                "pruned-ms/blk", "lowest");
        try (ChainNode archive = ChainNode.open(NodeConfig.defaults(archiveDir), genesis, VALIDATOR);
             ChainNode pruned = ChainNode.open(NodeConfig.defaults(prunedDir).withRetainBlocks(retain), genesis, VALIDATOR)) {
            long nonce = 0;
            long[] nanos = new long[2];
            ChainNode[] nodes = {archive, pruned};
            for (long h = 1; h <= blocks; h++) {
                List<SignedTransaction> txs = new ArrayList<>();
                if (h == 1) {
                    txs.add(sign(nonce++, new Payload.RegisterModel(MODEL, "bench", "bytes", "bytes", 1_000)));
                } else {
                    List<Payload.SubmitJob> jobs = new ArrayList<>();
                    for (int j = 0; j < jobsPerBlock; j++) {
                        jobs.add(new Payload.SubmitJob(MODEL, Bytes.utf8(String.format(Locale.ROOT, "%-64s", "input " + h + "/" + j)),
                                VerificationMode.NONE, List.of(), Params.BASE_UNITS_PER_TOKEN, 10));
                    }
                    txs.add(sign(nonce++, new Payload.SubmitJobs(jobs)));
                    txs.add(sign(nonce++, new Payload.Transfer(VALIDATOR.publicKey(), 1)));
                }
                for (int n = 0; n < 2; n++) {
                    for (SignedTransaction tx : txs) {
                        nodes[n].submit(tx.encoded());
                    }
                    long t0 = System.nanoTime();
                    nodes[n].produceBlock();
                    nanos[n] += System.nanoTime() - t0;
                }
                if (h % every == 0) {
                    System.out.printf(Locale.ROOT, "%8d %12.1f %12.1f %13.2f %13.2f %8d%n", h, size(archiveDir) / 1e6,
                            size(prunedDir) / 1e6, nanos[0] / 1e6 / every, nanos[1] / 1e6 / every, pruned.retention().lowestHeight());
                    nanos[0] = 0;
                    nanos[1] = 0;
                }
            }
            if (!archive.status().stateRoot().equals(pruned.status().stateRoot())) {
                throw new IllegalStateException("the pruned node's state root differs from the archive's");
            }
        }
        report("archive", archiveDir);
        report("pruned", prunedDir);
    }

    private static SignedTransaction sign(long nonce, Payload payload) {
        return SignedTransaction.sign(new TransactionBody(CHAIN, CLIENT.publicKey(), nonce, payload), CLIENT);
    }

    /** Rows per table and the size once compacted, so that deleted rows no longer count. */
    private static void report(String name, Path dir) throws IOException {
        try (ChainStore store = ChainStore.open(dir)) {
            Map<String, Long> rows = store.rowCounts();
            store.compact();
            System.out.printf(Locale.ROOT, "%s: %.1f MB after a full compaction; rows %s%n", name, size(dir) / 1e6, rows);
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("db"))) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private PruningDisk() {}
}
