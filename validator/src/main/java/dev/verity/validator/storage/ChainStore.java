package dev.verity.validator.storage;

import dev.verity.core.ByteKey;
import dev.verity.core.Bytes;
import dev.verity.ledger.state.StateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.Status;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable byte-level storage of a node, in RocksDB under {@code dataDir/db}.
 *
 * <p>Column families: {@code blocks} (height → block), {@code blockHashes} (hash → height), {@code transactions}
 * (tx hash → height u64, index u32), {@code state} (key → value), {@code events} (height u64, index u32 → event),
 * {@code eventIndex} (subject length u16, subject, height u64, index u32 → empty), {@code mempool} (tx hash →
 * sequence u64, tx bytes), {@code mempoolOrder} (sequence u64 → tx hash), {@code meta} (name → value),
 * {@code refusals} (tx hash → height u64, sequence u64, reject code, message; see {@link Keys#refusalEntry}),
 * {@code refusalOrder} (sequence u64 → tx hash), {@code jobArchive} (job id → finished job record) and
 * {@code jobsBySubmit} (submit height u64, job id → empty), and in a pruned store {@code jobsByFinish} (finish height
 * u64, job id → submit height u64), and {@code finality} (votes, certificates, the validator set that signs each height
 * and the proof of each set change; {@code chain.FinalityKeys}). The refusal, archive, finish and finality families were
 * added later; opening an older store
 * creates them empty and leaves the rest as it was. Refusals stored as one {@code "CODE: message"} text, before the
 * code was kept apart, are still read.
 *
 * <p>History is kept whole (an archive store) unless {@link #retain} makes the store pruned: from then on each block's
 * commit deletes, in the same batch, the history of the heights that fell out of the newest {@code retainBlocks}
 * blocks (see {@link Retention}); the live state is never pruned. The choice and the lowest height still held are kept
 * under {@code history.*} in {@code meta}, so the next start knows them.
 *
 * <p>Refusals are bounded: the store keeps the newest {@code maxRefusals} of them (by the order they were stored) and
 * deletes older ones in the batch that stores new ones. A refusal beyond the bound is simply no longer known.
 *
 * <p>Every write is synced to disk before the method returns; {@link #commitBlock} is a single atomic batch.
 * All methods are thread-safe. Using the store after {@link #close()} throws {@link IllegalStateException}.
 *
 * <p>The write-ahead log is replayed with {@link WALRecoveryMode#AbsoluteConsistency}: a truncated or corrupt log
 * makes {@link #open} fail with {@link WalCorruptionException} instead of dropping the writes after the damage
 * silently, unless the caller accepts the loss ({@code acceptWalLoss}), in which case the store recovers to the last
 * intact record ({@link WALRecoveryMode#PointInTimeRecovery}), logs the loss at ERROR and reports it through
 * {@link #walLossAccepted()}.
 */
public final class ChainStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChainStore.class);

    /** Meta name under which the caller may keep the genesis description. */
    public static final String META_GENESIS = "genesis";

    /** Meta names starting with this prefix are written only by {@link #commitBlock}. */
    public static final String RESERVED_META_PREFIX = "head.";

    private static final byte[] HEAD_HEIGHT = Keys.utf8("head.height");
    private static final byte[] HEAD_HASH = Keys.utf8("head.hash");
    private static final byte[] HEAD_META = Keys.utf8("head.meta");
    /** The replicated log's last applied term and index whose effects the store holds. */
    private static final byte[] RAFT_APPLIED = Keys.utf8("head.raftApplied");
    /** The replicated log's position of the latest snapshot: taken here, or installed from another validator. */
    private static final byte[] RAFT_SNAPSHOT = Keys.utf8("head.raftSnapshot");
    /** First byte of the state trie's stored nodes (the ledger's {@code StateKeys.TRIE_NAMESPACE}). */
    private static final int TRIE_NAMESPACE = dev.verity.ledger.state.StateKeys.TRIE_NAMESPACE;
    /** Meta names starting with this prefix are written only by {@link #retain} and {@link #commitBlock}. */
    static final String HISTORY_META_PREFIX = "history.";
    private static final byte[] RETAIN_BLOCKS = Keys.utf8("history.retainBlocks");
    private static final byte[] LOWEST_HEIGHT = Keys.utf8("history.lowestHeight");
    private static final byte[] EMPTY = new byte[0];
    private static final byte[] ALL_ONES_HASH = filled(32, (byte) 0xFF);

    private static byte[] filled(int n, byte b) {
        byte[] out = new byte[n];
        Arrays.fill(out, b);
        return out;
    }

    /** How many refusals a store keeps unless told otherwise: the newest 100,000. */
    public static final int DEFAULT_MAX_REFUSALS = 100_000;

    /**
     * Most heights one block's commit prunes. A running pruned node falls one height behind per block, so one is the
     * rule; the bound keeps a commit's work small whatever happened before (a larger backlog is pruned by {@link #retain}).
     */
    static final int MAX_PRUNED_HEIGHTS_PER_COMMIT = 4;

    /** Bound on the write-ahead log: past it the tables that hold the oldest log's writes are flushed. */
    static final long MAX_TOTAL_WAL_BYTES = 128L << 20;

    /** Heights pruned per synced batch when {@link #retain} works off a backlog. */
    static final int PRUNE_BATCH_HEIGHTS = 256;

    /** Most refusals of pruned heights one commit deletes; the rest go with the next commits. */
    static final int MAX_PRUNED_REFUSALS_PER_COMMIT = 10_000;

    private static final List<String> COLUMN_FAMILIES = List.of(
            "blocks", "blockHashes", "transactions", "state", "events", "eventIndex", "mempool", "mempoolOrder", "meta",
            "refusals", "refusalOrder", "jobArchive", "jobsBySubmit", "jobsByFinish", "finality");

    static {
        RocksDB.loadLibrary();
    }

    private final Path dataDir;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final BloomFilter bloomFilter;
    private final List<ColumnFamilyHandle> handles;
    private final WriteOptions syncWrite;

    private final ColumnFamilyHandle blocks;
    private final ColumnFamilyHandle blockHashes;
    private final ColumnFamilyHandle transactions;
    private final ColumnFamilyHandle state;
    private final ColumnFamilyHandle events;
    private final ColumnFamilyHandle eventIndex;
    private final ColumnFamilyHandle mempool;
    private final ColumnFamilyHandle mempoolOrder;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle refusals;
    private final ColumnFamilyHandle refusalOrder;
    private final ColumnFamilyHandle jobArchive;
    private final ColumnFamilyHandle jobsBySubmit;
    private final ColumnFamilyHandle jobsByFinish;
    private final ColumnFamilyHandle finality;
    private final int maxRefusals;
    private final StoreFaults faults;
    private final boolean walLossAccepted;

    /** Read lock: any use of the native handles. Write lock: closing them. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Serialises writers, so commit and mempool changes see each other's effects. */
    private final ReentrantLock writes = new ReentrantLock();

    private boolean closed;
    private volatile long headHeight;
    private long nextMempoolSequence;
    /** Sequence of the next refusal stored, and the lowest one that may still be stored (all below are deleted). */
    private long nextRefusalSequence;
    private long firstRefusalSequence;
    private volatile Retention retention = new Retention(Retention.ARCHIVE, 0);
    /** Set by {@link #retain} for a pruned store; null otherwise (and in tools that open a store without running it). */
    private HistoryPruner pruner;

    private ChainStore(Path dataDir, RocksDB db, DBOptions dbOptions, ColumnFamilyOptions cfOptions,
                       BloomFilter bloomFilter, List<ColumnFamilyHandle> handles, int maxRefusals, StoreFaults faults,
                       boolean walLossAccepted) {
        this.dataDir = dataDir;
        this.db = db;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.bloomFilter = bloomFilter;
        this.handles = List.copyOf(handles);
        this.syncWrite = new WriteOptions().setSync(true);
        // handles.get(0) is the default column family, which the store leaves unused.
        this.blocks = handles.get(1);
        this.blockHashes = handles.get(2);
        this.transactions = handles.get(3);
        this.state = handles.get(4);
        this.events = handles.get(5);
        this.eventIndex = handles.get(6);
        this.mempool = handles.get(7);
        this.mempoolOrder = handles.get(8);
        this.meta = handles.get(9);
        this.refusals = handles.get(10);
        this.refusalOrder = handles.get(11);
        this.jobArchive = handles.get(12);
        this.jobsBySubmit = handles.get(13);
        this.jobsByFinish = handles.get(14);
        this.finality = handles.get(15);
        this.maxRefusals = maxRefusals;
        this.faults = faults;
        this.walLossAccepted = walLossAccepted;
    }

    /**
     * Opens the store in {@code dataDir}, creating the directory and the database if needed.
     *
     * @throws DataDirectoryInUseException if another open store holds the directory
     * @throws StorageException            if the database cannot be created or opened
     */
    public static ChainStore open(Path dataDir) {
        return open(dataDir, DEFAULT_MAX_REFUSALS);
    }

    /**
     * Opens the store in {@code dataDir} keeping at most {@code maxRefusals} refusals (the newest).
     *
     * @throws DataDirectoryInUseException if another open store holds the directory
     * @throws StorageException            if the database cannot be created or opened
     */
    public static ChainStore open(Path dataDir, int maxRefusals) {
        return open(dataDir, maxRefusals, false, StoreFaults.NONE);
    }

    /**
     * Opens the store in {@code dataDir} keeping at most {@code maxRefusals} refusals.
     *
     * @param acceptWalLoss when the write-ahead log is truncated or corrupt: false refuses to open
     *                      ({@link WalCorruptionException}); true recovers every write up to the damaged record, drops the
     *                      rest and logs it loudly (the operator's explicit choice, as {@code verity chain repair} makes)
     * @param faults        {@link StoreFaults#NONE}, or a fault layer for tests
     * @throws WalCorruptionException      if the write-ahead log is damaged and {@code acceptWalLoss} is false
     * @throws DataDirectoryInUseException if another open store holds the directory
     * @throws StorageException            if the database cannot be created or opened
     */
    public static ChainStore open(Path dataDir, int maxRefusals, boolean acceptWalLoss, StoreFaults faults) {
        Objects.requireNonNull(faults, "faults");
        try {
            return open(dataDir, maxRefusals, WALRecoveryMode.AbsoluteConsistency, faults);
        } catch (WalCorruptionException e) {
            if (!acceptWalLoss) throw e;
            LOG.error("{} ACCEPTING THE LOSS as asked: recovering the store up to the last intact record of the log",
                    e.getMessage());
            return open(dataDir, maxRefusals, WALRecoveryMode.PointInTimeRecovery, faults);
        }
    }

    private static ChainStore open(Path dataDir, int maxRefusals, WALRecoveryMode recovery, StoreFaults faults) {
        if (maxRefusals < 1) throw new IllegalArgumentException("maxRefusals must be at least 1, was " + maxRefusals);
        Path dbDir = dataDir.resolve("db");
        try {
            Files.createDirectories(dbDir);
        } catch (IOException e) {
            throw new StorageException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        BloomFilter bloomFilter = new BloomFilter(10, false);
        ColumnFamilyOptions cfOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloomFilter));
        DBOptions dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setKeepLogFileNum(5)
                // A log file is deleted once every table it holds writes of is flushed; without a bound the rarely
                // written tables keep old logs, and the store grows by gigabytes however much a pruned node deletes.
                .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES)
                .setWalRecoveryMode(recovery);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        COLUMN_FAMILIES.forEach(name -> descriptors.add(new ColumnFamilyDescriptor(Keys.utf8(name), cfOptions)));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db;
        try {
            db = RocksDB.open(dbOptions, dbDir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            handles.forEach(ColumnFamilyHandle::close);
            dbOptions.close();
            cfOptions.close();
            bloomFilter.close();
            if (isLockHeld(e)) throw new DataDirectoryInUseException(dataDir, e);
            if (isWalCorruption(e, recovery)) throw new WalCorruptionException(dataDir, e.getMessage(), e);
            throw new StorageException("cannot open store in " + dataDir + ": " + e.getMessage(), e);
        }
        ChainStore store = new ChainStore(dataDir, db, dbOptions, cfOptions, bloomFilter, handles, maxRefusals, faults,
                recovery != WALRecoveryMode.AbsoluteConsistency);
        try {
            store.loadCounters();
        } catch (RuntimeException | RocksDBException e) {
            store.close();
            throw e instanceof RuntimeException r ? r : new StorageException("cannot read store in " + dataDir, e);
        }
        return store;
    }

    private static boolean isLockHeld(RocksDBException e) {
        // Another process: "While lock file: .../LOCK: Resource temporarily unavailable";
        // this process: "lock hold by current process, ...: .../LOCK: No locks available".
        Status status = e.getStatus();
        String message = e.getMessage();
        return status != null && status.getCode() == Status.Code.IOError && message != null && message.contains("LOCK");
    }

    /** A replay with absolute consistency that stopped at a damaged (truncated or corrupt) record of the log. */
    private static boolean isWalCorruption(RocksDBException e, WALRecoveryMode recovery) {
        if (recovery != WALRecoveryMode.AbsoluteConsistency) return false;
        Status status = e.getStatus();
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(java.util.Locale.ROOT);
        boolean corruption = status != null && status.getCode() == Status.Code.Corruption;
        return corruption || message.contains("corruption") || message.contains("truncated");
    }

    /** True when this store was opened accepting the loss of a damaged write-ahead log's tail. */
    public boolean walLossAccepted() {
        return walLossAccepted;
    }

    private void loadCounters() throws RocksDBException {
        byte[] height = db.get(meta, HEAD_HEIGHT);
        headHeight = height == null ? -1 : Keys.u64(height);
        byte[] retain = db.get(meta, RETAIN_BLOCKS);
        byte[] lowest = db.get(meta, LOWEST_HEIGHT);
        retention = new Retention(retain == null ? Retention.ARCHIVE : Keys.u64(retain), lowest == null ? 0 : Keys.u64(lowest));
        try (RocksIterator it = db.newIterator(mempoolOrder)) {
            it.seekToLast();
            nextMempoolSequence = it.isValid() ? sequenceKey(it.key(), "mempoolOrder") + 1 : 0;
            it.status();
        }
        try (RocksIterator it = db.newIterator(refusalOrder)) {
            it.seekToLast();
            nextRefusalSequence = it.isValid() ? sequenceKey(it.key(), "refusalOrder") + 1 : 0;
            it.seekToFirst();
            firstRefusalSequence = it.isValid() ? sequenceKey(it.key(), "refusalOrder") : nextRefusalSequence;
            it.status();
        }
    }

    private long sequenceKey(byte[] key, String table) {
        if (key.length != 8) {
            throw new CorruptStoreException(dataDir, table, hex(key), "a sequence key must be 8 bytes, this one has " + key.length,
                    table.startsWith("mempool"), null);
        }
        return Keys.u64(key);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    public Path dataDir() {
        return dataDir;
    }

    // ---------------------------------------------------------------- history

    /** What this store keeps: everything (an archive), or the newest blocks from {@link Retention#lowestHeight()} on. */
    public Retention retention() {
        return retention;
    }

    /**
     * Sets what this store keeps, as a node starts on it, and records it: everything ({@link Retention#ARCHIVE}) or the
     * newest {@code retainBlocks} blocks. From then on each {@link #commitBlock} deletes, in its own batch, the history
     * of the heights that leave the window. A store turned pruned first indexes the jobs it archived as finished at the
     * head (it never recorded when they finished, so they stay {@code retainBlocks} more blocks), then deletes the
     * history outside the window in synced batches of {@value #PRUNE_BATCH_HEIGHTS} heights and compacts what it
     * deleted, so that the disk is freed now rather than when compaction comes to it.
     *
     * @param keys reads the index keys of stored blocks and events (unused by an archive)
     * @throws IllegalStateException when asked to keep everything after history was deleted: it cannot come back
     */
    public void retain(long retainBlocks, HistoryKeys keys) {
        if (retainBlocks < 0) throw new IllegalArgumentException("retainBlocks must not be negative, was " + retainBlocks);
        Objects.requireNonNull(keys, "keys");
        write("set history retention", () -> {
            Retention current = retention;
            if (retainBlocks == Retention.ARCHIVE && current.hasPruned()) {
                throw new IllegalStateException("the store in " + dataDir + " deleted the history below height "
                        + current.lowestHeight() + " and cannot keep everything again");
            }
            if (retainBlocks != Retention.ARCHIVE && current.archive()) {
                indexArchivedJobsAtHead();
            }
            faults.beforeWrite("set history retention");
            db.put(meta, syncWrite, RETAIN_BLOCKS, Keys.u64(retainBlocks));
            retention = new Retention(retainBlocks, current.lowestHeight());
            pruner = retainBlocks == Retention.ARCHIVE ? null : new HistoryPruner(db, new HistoryPruner.Tables(blocks,
                    blockHashes, transactions, events, eventIndex, jobArchive, jobsBySubmit, jobsByFinish, finality), keys);
            if (pruner != null) {
                pruneBacklog();
            }
            return null;
        });
    }

    /** The new lowest height and first refusal sequence once a commit's batch, which prunes up to them, is written. */
    private record Pruned(long lowestHeight, long firstRefusalSequence) {}

    /** Adds to {@code batch} the pruning that committing {@code height} brings: at most a few heights, so bounded work. */
    private Pruned pruneForCommit(WriteBatch batch, long height) throws RocksDBException {
        Retention r = retention;
        if (pruner == null) return new Pruned(r.lowestHeight(), firstRefusalSequence);
        long from = Math.max(r.lowestHeight(), 1);
        long to = Math.min(height - r.retainBlocks() + 1, from + MAX_PRUNED_HEIGHTS_PER_COMMIT);
        long lowest = r.lowestHeight();
        if (to > from) {
            pruner.prune(batch, from, to);
            batch.put(meta, LOWEST_HEIGHT, Keys.u64(to));
            lowest = to;
        }
        return new Pruned(lowest, pruneRefusals(batch, lowest, MAX_PRUNED_REFUSALS_PER_COMMIT));
    }

    private void applyPruned(Pruned p) {
        if (p.lowestHeight() != retention.lowestHeight()) {
            retention = new Retention(retention.retainBlocks(), p.lowestHeight());
        }
        firstRefusalSequence = Math.max(firstRefusalSequence, p.firstRefusalSequence());
    }

    /**
     * Adds the deletion of up to {@code limit} refusals made below {@code belowHeight}, oldest first (refusals are
     * stored in height order), to {@code batch}; returns the first refusal sequence left.
     */
    private long pruneRefusals(WriteBatch batch, long belowHeight, int limit) throws RocksDBException {
        long first = firstRefusalSequence;
        if (belowHeight <= 1) return first;
        try (RocksIterator it = db.newIterator(refusalOrder)) {
            int seen = 0;
            for (it.seek(Keys.u64(first)); it.isValid() && seen < limit; it.next(), seen++) {
                long sequence = Keys.u64(it.key());
                byte[] hash = it.value();
                byte[] entry = db.get(refusals, hash);
                if (entry != null && entry.length >= 16 && Keys.refusalSequence(entry) == sequence) {
                    if (Keys.refusalHeight(entry) >= belowHeight) break;
                    batch.delete(refusals, hash);
                }
                batch.delete(refusalOrder, it.key());
                first = sequence + 1;
            }
            it.status();
        }
        return first;
    }

    /** Deletes the history outside the window, a batch of heights at a time, then compacts the history tables. */
    private void pruneBacklog() throws RocksDBException {
        long target = headHeight - retention.retainBlocks() + 1;
        long start = Math.max(retention.lowestHeight(), 1);
        if (target <= start) return;
        LOG.info("pruning the history of heights {} to {} in {} (keeping the newest {} blocks)", start, target - 1, dataDir,
                retention.retainBlocks());
        long rows = 0;
        for (long from = start; from < target; ) {
            long to = Math.min(target, from + PRUNE_BATCH_HEIGHTS);
            try (WriteBatch batch = new WriteBatch()) {
                rows += pruner.prune(batch, from, to);
                long firstRefusal = pruneRefusals(batch, to, MAX_PRUNED_REFUSALS_PER_COMMIT);
                batch.put(meta, LOWEST_HEIGHT, Keys.u64(to));
                faults.beforeWrite("prune history");
                db.write(syncWrite, batch);
                applyPruned(new Pruned(to, firstRefusal));
            }
            from = to;
        }
        compact(List.of(blocks, blockHashes, transactions, events, eventIndex, jobArchive, jobsBySubmit, jobsByFinish,
                refusals, refusalOrder));
        LOG.info("pruned {} rows of history in {}; it keeps heights {} to {}", rows, dataDir, target, headHeight);
    }

    /** Lists every archived job under the head height in {@code jobsByFinish}, in synced batches. */
    private void indexArchivedJobsAtHead() throws RocksDBException {
        byte[] at = Keys.u64(Math.max(headHeight, 0));
        WriteBatch batch = new WriteBatch();
        try (RocksIterator it = db.newIterator(jobsBySubmit)) {
            int n = 0;
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                batch.put(jobsByFinish, Bytes.concat(at, Arrays.copyOfRange(key, 8, key.length)), Arrays.copyOfRange(key, 0, 8));
                if (++n % 10_000 == 0) {
                    faults.beforeWrite("index archived jobs");
                    db.write(syncWrite, batch);
                    batch.close();
                    batch = new WriteBatch();
                }
            }
            it.status();
            if (batch.count() > 0) {
                faults.beforeWrite("index archived jobs");
                db.write(syncWrite, batch);
            }
        } finally {
            batch.close();
        }
    }

    /** Compacts every table, so that deleted rows leave the disk now: for tools and measurements (it rewrites the store). */
    public void compact() {
        write("compact", () -> {
            compact(handles);
            return null;
        });
    }

    /** Compacts down to the last level, which drops deleted rows with their tombstones. */
    private void compact(List<ColumnFamilyHandle> tables) throws RocksDBException {
        try (CompactRangeOptions options = new CompactRangeOptions()
                .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForceOptimized)) {
            for (ColumnFamilyHandle table : tables) {
                db.compactRange(table, null, null, options);
            }
        }
    }

    /** Rows in each table, by name, counted by walking them all: for tests and diagnostics, not for a running node. */
    public Map<String, Long> rowCounts() {
        return read("count rows", () -> {
            Map<String, Long> counts = new java.util.LinkedHashMap<>();
            for (int i = 0; i < COLUMN_FAMILIES.size(); i++) {
                long n = 0;
                try (RocksIterator it = db.newIterator(handles.get(i + 1))) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        n++;
                    }
                    it.status();
                }
                counts.put(COLUMN_FAMILIES.get(i), n);
            }
            return counts;
        });
    }

    // ---------------------------------------------------------------- blocks

    /**
     * Writes a block and everything it changes in one synced, atomic batch: the block and its hash, the locations of
     * its transactions (which leave the mempool), the state writes and deletes, the events with their subject
     * index, the new head, and the block's refusals (which leave the mempool too; see {@link #refusal}).
     *
     * @throws IllegalArgumentException if the height is not above the current head height
     */
    public void commitBlock(BlockCommit commit) {
        commitBlock(commit, FinalityWrite.NONE);
    }

    /**
     * As {@link #commitBlock(BlockCommit)}, with finality rows and the replicated log's applied position in the same
     * batch, so that a restart resumes the log exactly after the last block it stored.
     */
    public void commitBlock(BlockCommit commit, FinalityWrite extra) {
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(extra, "extra");
        write("commit block", () -> {
            long height = commit.height();
            if (height <= headHeight) {
                throw new IllegalArgumentException("block height " + height + " is not above head height " + headHeight);
            }
            byte[] heightKey = Keys.u64(height);
            try (WriteBatch batch = new WriteBatch()) {
                // Deletes first: the block's own writes come later in the batch and win over them.
                Pruned pruned = pruneForCommit(batch, height);
                batch.put(blocks, heightKey, commit.blockBytes());
                batch.put(blockHashes, commit.blockHash(), heightKey);
                List<byte[]> txHashes = commit.txHashes();
                for (int i = 0; i < txHashes.size(); i++) {
                    batch.put(transactions, txHashes.get(i), Keys.position(height, i));
                    deleteFromMempool(batch, txHashes.get(i));
                }
                for (Map.Entry<ByteKey, byte[]> write : commit.stateWrites().entrySet()) {
                    if (write.getValue() == null) {
                        batch.delete(state, write.getKey().bytes());
                    } else {
                        batch.put(state, write.getKey().bytes(), write.getValue());
                    }
                }
                List<EventWrite> eventWrites = commit.events();
                for (int i = 0; i < eventWrites.size(); i++) {
                    EventWrite event = eventWrites.get(i);
                    batch.put(events, Keys.position(height, i), event.bytes());
                    for (byte[] subject : event.subjects()) {
                        batch.put(eventIndex, Keys.subjectPosition(Keys.subjectPrefix(subject), height, i), EMPTY);
                    }
                }
                batch.put(meta, HEAD_HEIGHT, heightKey);
                batch.put(meta, HEAD_HASH, commit.blockHash());
                if (commit.headMeta() == null) {
                    batch.delete(meta, HEAD_META);
                } else {
                    batch.put(meta, HEAD_META, commit.headMeta());
                }
                for (ArchiveWrite job : commit.archive()) {
                    batch.put(jobArchive, job.jobId(), job.record());
                    batch.put(jobsBySubmit, Bytes.concat(Keys.u64(job.submittedAt()), job.jobId()), EMPTY);
                    if (pruner != null) {
                        batch.put(jobsByFinish, Bytes.concat(heightKey, job.jobId()), Keys.u64(job.submittedAt()));
                    }
                }
                long refusalsEnd = addRefusals(batch, commit.refusals());
                putFinality(batch, extra);
                faults.beforeWrite("commit block");
                db.write(syncWrite, batch);
                advanceRefusals(refusalsEnd);
                applyPruned(pruned);
            }
            headHeight = height;
            return null;
        });
    }

    public Optional<byte[]> block(long height) {
        if (height < 0) return Optional.empty();
        return read("read block", () -> Optional.ofNullable(db.get(blocks, Keys.u64(height))));
    }

    public Optional<byte[]> blockByHash(byte[] hash) {
        Objects.requireNonNull(hash, "hash");
        return read("read block by hash", () -> {
            byte[] height = db.get(blockHashes, hash);
            return height == null ? Optional.<byte[]>empty() : Optional.ofNullable(db.get(blocks, height));
        });
    }

    /** Height of the last committed block, or -1 when no block has been committed. */
    public long headHeight() {
        return read("read head height", () -> headHeight);
    }

    /** Hash of the last committed block. */
    public Optional<byte[]> headHash() {
        return read("read head hash", () -> Optional.ofNullable(db.get(meta, HEAD_HASH)));
    }

    /** The {@link BlockCommit#headMeta()} of the last committed block. */
    public Optional<byte[]> headMeta() {
        return read("read head meta", () -> Optional.ofNullable(db.get(meta, HEAD_META)));
    }

    public Optional<TxLocation> transaction(byte[] txHash) {
        Objects.requireNonNull(txHash, "txHash");
        return read("read transaction", () -> {
            byte[] position = db.get(transactions, txHash);
            return position == null
                    ? Optional.<TxLocation>empty()
                    : Optional.of(new TxLocation(Keys.positionHeight(position), Keys.positionIndex(position)));
        });
    }

    // ---------------------------------------------------------------- state

    public Optional<byte[]> state(byte[] key) {
        Objects.requireNonNull(key, "key");
        return read("read state", () -> Optional.ofNullable(db.get(state, key)));
    }

    /** State rows with {@code fromInclusive <= key < toExclusive}, in unsigned key order, at most {@code limit}. */
    public List<StateBackend.Row> stateRange(byte[] fromInclusive, byte[] toExclusive, int limit) {
        Objects.requireNonNull(fromInclusive, "fromInclusive");
        Objects.requireNonNull(toExclusive, "toExclusive");
        return read("iterate state", () -> {
            List<StateBackend.Row> out = new ArrayList<>(Math.min(limit, 256));
            try (RocksIterator it = db.newIterator(state)) {
                for (it.seek(fromInclusive); it.isValid() && out.size() < limit; it.next()) {
                    byte[] key = it.key();
                    if (Arrays.compareUnsigned(key, toExclusive) >= 0) break;
                    out.add(new StateBackend.Row(key, it.value()));
                }
                it.status();
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- job archive

    /** The archived record of a finished job, if this store archived it. */
    public Optional<byte[]> archivedJob(byte[] jobId) {
        Objects.requireNonNull(jobId, "jobId");
        return read("read job archive", () -> Optional.ofNullable(db.get(jobArchive, jobId)));
    }

    /**
     * Archived job records newest submitted first, from the newest with a submit height at most {@code maxSubmittedAt},
     * until {@code visitor} returns false or {@code scanLimit} records were seen.
     */
    public void forEachArchivedJobNewestFirst(long maxSubmittedAt, int scanLimit, java.util.function.Predicate<byte[]> visitor) {
        read("iterate job archive", () -> {
            try (RocksIterator it = db.newIterator(jobsBySubmit)) {
                it.seekForPrev(Bytes.concat(Keys.u64(maxSubmittedAt), ALL_ONES_HASH));
                int seen = 0;
                for (; it.isValid() && seen < scanLimit; it.prev(), seen++) {
                    byte[] key = it.key();
                    byte[] record = db.get(jobArchive, Arrays.copyOfRange(key, 8, key.length));
                    if (record != null && !visitor.test(record)) break;
                }
                it.status();
            }
            return null;
        });
    }

    /** Passes every state entry to {@code consumer} in unsigned key order, from one consistent snapshot. */
    public void forEachState(BiConsumer<byte[], byte[]> consumer) {
        forEachState(EMPTY, consumer);
    }

    /** Passes the state entries whose key starts with {@code prefix} to {@code consumer}, in key order. */
    public void forEachState(byte[] prefix, BiConsumer<byte[], byte[]> consumer) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(consumer, "consumer");
        read("iterate state", () -> {
            try (RocksIterator it = db.newIterator(state)) {
                for (it.seek(prefix); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    if (!Keys.startsWith(key, prefix)) break;
                    consumer.accept(key, it.value());
                }
                it.status();
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- events

    /** The events of the block at {@code height}, in order. */
    public List<byte[]> events(long height) {
        if (height < 0) return List.of();
        return read("read events", () -> {
            byte[] heightKey = Keys.u64(height);
            List<byte[]> result = new ArrayList<>();
            try (RocksIterator it = db.newIterator(events)) {
                for (it.seek(Keys.position(height, 0)); it.isValid(); it.next()) {
                    if (!Keys.startsWith(it.key(), heightKey)) break;
                    result.add(it.value());
                }
                it.status();
            }
            return result;
        });
    }

    /**
     * Up to {@code limit} events listed under {@code subject}, in (height, index) order, starting at
     * {@code fromHeight}.
     */
    public List<byte[]> eventsFor(byte[] subject, long fromHeight, int limit) {
        return eventsFor(subject, fromHeight, 0, limit);
    }

    /**
     * Up to {@code limit} events listed under {@code subject}, in (height, index) order, starting at
     * position ({@code fromHeight}, {@code fromIndex}): a reader paging by position never skips or repeats an
     * event, even in a block with more of them than a page.
     */
    public List<byte[]> eventsFor(byte[] subject, long fromHeight, int fromIndex, int limit) {
        Objects.requireNonNull(subject, "subject");
        if (subject.length > EventWrite.MAX_SUBJECT_LENGTH) {
            throw new IllegalArgumentException("subject longer than " + EventWrite.MAX_SUBJECT_LENGTH + " bytes");
        }
        requireLimit(limit);
        if (limit == 0) return List.of();
        return read("read events for subject", () -> {
            byte[] prefix = Keys.subjectPrefix(subject);
            List<byte[]> positions = new ArrayList<>();
            try (RocksIterator it = db.newIterator(eventIndex)) {
                for (it.seek(Keys.subjectPosition(prefix, Math.max(0, fromHeight), Math.max(0, fromIndex)));
                     it.isValid() && positions.size() < limit; it.next()) {
                    byte[] key = it.key();
                    if (!Keys.startsWith(key, prefix)) break;
                    positions.add(Keys.position(Keys.positionHeight(key), Keys.positionIndex(key)));
                }
                it.status();
            }
            if (positions.isEmpty()) return List.<byte[]>of();
            // An index entry is written in the same batch as its event, so every event is present.
            return db.multiGetAsList(Collections.nCopies(positions.size(), events), positions);
        });
    }

    /** Up to {@code limit} events of all blocks from {@code fromHeightInclusive} on, in (height, index) order. */
    public List<StoredEvent> eventsSince(long fromHeightInclusive, int limit) {
        return eventsSince(fromHeightInclusive, 0, limit);
    }

    /** Up to {@code limit} events of all blocks from position ({@code fromHeightInclusive}, {@code fromIndex}) on, in order. */
    public List<StoredEvent> eventsSince(long fromHeightInclusive, int fromIndex, int limit) {
        requireLimit(limit);
        if (limit == 0) return List.of();
        return read("read events", () -> {
            List<StoredEvent> result = new ArrayList<>();
            try (RocksIterator it = db.newIterator(events)) {
                for (it.seek(Keys.position(Math.max(0, fromHeightInclusive), Math.max(0, fromIndex)));
                     it.isValid() && result.size() < limit; it.next()) {
                    byte[] key = it.key();
                    result.add(new StoredEvent(Keys.positionHeight(key), Keys.positionIndex(key), it.value()));
                }
                it.status();
            }
            return result;
        });
    }

    private static void requireLimit(int limit) {
        if (limit < 0) throw new IllegalArgumentException("negative limit " + limit);
    }

    // ---------------------------------------------------------------- mempool

    /**
     * Adds a transaction to the mempool, synced to disk before returning. A transaction already in the mempool keeps
     * its place.
     */
    public void putMempool(byte[] txHash, byte[] txBytes) {
        Keys.requireHash(txHash, "txHash");
        Objects.requireNonNull(txBytes, "txBytes");
        write("add to mempool", () -> {
            if (db.get(mempool, txHash) != null) return null;
            long sequence = nextMempoolSequence;
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(mempool, txHash, Keys.mempoolEntry(sequence, txBytes));
                batch.put(mempoolOrder, Keys.u64(sequence), txHash);
                faults.beforeWrite("add to mempool");
                db.write(syncWrite, batch);
            }
            nextMempoolSequence = sequence + 1;
            return null;
        });
    }

    /** Removes a transaction from the mempool, if present. */
    public void removeMempool(byte[] txHash) {
        Objects.requireNonNull(txHash, "txHash");
        write("remove from mempool", () -> {
            try (WriteBatch batch = new WriteBatch()) {
                if (deleteFromMempool(batch, txHash)) {
                    faults.beforeWrite("remove from mempool");
                    db.write(syncWrite, batch);
                }
            }
            return null;
        });
    }

    public boolean inMempool(byte[] txHash) {
        Objects.requireNonNull(txHash, "txHash");
        return read("read mempool", () -> db.get(mempool, txHash) != null);
    }

    /** One stored mempool entry: its key (the transaction's hash, as stored) and the transaction's bytes. */
    public record MempoolEntry(byte[] txHash, byte[] txBytes) {}

    /**
     * The mempool's entries in the order they were added.
     *
     * @throws CorruptStoreException naming the entry when one cannot be read (too short to hold its sequence)
     */
    public List<MempoolEntry> mempoolEntries() {
        return read("read mempool", () -> {
            Snapshot snapshot = db.getSnapshot();
            try (ReadOptions options = new ReadOptions().setSnapshot(snapshot);
                 RocksIterator it = db.newIterator(mempoolOrder, options)) {
                List<byte[]> hashes = new ArrayList<>();
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    hashes.add(it.value());
                }
                it.status();
                if (hashes.isEmpty()) return List.<MempoolEntry>of();
                List<byte[]> entries = db.multiGetAsList(options, Collections.nCopies(hashes.size(), mempool), hashes);
                List<MempoolEntry> result = new ArrayList<>(entries.size());
                for (int i = 0; i < entries.size(); i++) {
                    byte[] entry = entries.get(i);
                    if (entry == null) continue;
                    if (entry.length < 8) {
                        throw CorruptStoreException.mempoolEntry(dataDir, hex(hashes.get(i)), "the entry has " + entry.length
                                + " bytes, fewer than its 8-byte sequence", null);
                    }
                    result.add(new MempoolEntry(hashes.get(i), Keys.mempoolTx(entry)));
                }
                return result;
            } finally {
                db.releaseSnapshot(snapshot);
            }
        });
    }

    /**
     * Every row of the {@code mempool} table, key and raw value (sequence u64, then the transaction), in key order,
     * whether or not it can be read: for {@code verity chain repair}.
     */
    public void forEachRawMempoolEntry(BiConsumer<byte[], byte[]> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        read("iterate mempool", () -> {
            try (RocksIterator it = db.newIterator(mempool)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    consumer.accept(it.key(), it.value());
                }
                it.status();
            }
            return null;
        });
    }

    /**
     * Drops one mempool row by its key, whatever its value holds, with every {@code mempoolOrder} row that points at
     * it, in one synced batch. Returns how many rows were deleted. For {@code verity chain repair}.
     */
    public int dropMempoolEntry(byte[] key) {
        Objects.requireNonNull(key, "key");
        return write("drop mempool entry", () -> {
            int deleted = 0;
            try (WriteBatch batch = new WriteBatch()) {
                if (db.get(mempool, key) != null) {
                    batch.delete(mempool, key);
                    deleted++;
                }
                try (RocksIterator it = db.newIterator(mempoolOrder)) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        if (java.util.Arrays.equals(it.value(), key)) {
                            batch.delete(mempoolOrder, it.key());
                            deleted++;
                        }
                    }
                    it.status();
                }
                if (deleted > 0) {
                    faults.beforeWrite("remove from mempool");
                    db.write(syncWrite, batch);
                }
            }
            return deleted;
        });
    }

    /** Passes every stored block to {@code consumer} as (height, bytes), in height order: for {@code verity chain repair}. */
    public void forEachBlock(BiConsumer<Long, byte[]> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        read("iterate blocks", () -> {
            try (RocksIterator it = db.newIterator(blocks)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    long height = key.length == 8 ? Keys.u64(key) : -1;
                    consumer.accept(height, it.value());
                }
                it.status();
            }
            return null;
        });
    }

    /** The bytes of the mempool's transactions, in the order they were added (see {@link #mempoolEntries()}). */
    public List<byte[]> mempoolTransactions() {
        return mempoolEntries().stream().map(MempoolEntry::txBytes).toList();
    }

    /** Adds the deletion of {@code txHash} from the mempool to {@code batch}; false when it is not in the mempool. */
    private boolean deleteFromMempool(WriteBatch batch, byte[] txHash) throws RocksDBException {
        byte[] entry = db.get(mempool, txHash);
        if (entry == null) return false;
        batch.delete(mempool, txHash);
        batch.delete(mempoolOrder, Keys.u64(Keys.mempoolSequence(entry)));
        return true;
    }

    // ---------------------------------------------------------------- refusals

    /**
     * Drops transactions from the mempool and stores their refusals, in one synced batch (a node that finds stored
     * transactions no longer apply when it restarts). A block's refusals go with the block: {@link BlockCommit#refusals()}.
     */
    public void refuse(List<StoredRefusal> refused) {
        List<StoredRefusal> list = List.copyOf(refused);
        if (list.isEmpty()) return;
        write("store refusals", () -> {
            try (WriteBatch batch = new WriteBatch()) {
                long end = addRefusals(batch, list);
                faults.beforeWrite("store refusals");
                db.write(syncWrite, batch);
                advanceRefusals(end);
            }
            return null;
        });
    }

    /** The stored refusal of a transaction, if it was refused and is still among the newest {@code maxRefusals}. */
    public Optional<StoredRefusal> refusal(byte[] txHash) {
        Objects.requireNonNull(txHash, "txHash");
        return read("read refusal", () -> {
            byte[] entry = db.get(refusals, txHash);
            return entry == null
                    ? Optional.<StoredRefusal>empty()
                    : Optional.of(Keys.refusal(txHash.clone(), entry));
        });
    }

    /**
     * Adds to {@code batch}: the refused transactions leave the mempool, their refusals are stored under new
     * sequences (replacing an older refusal of the same transaction), and the refusals that fall out of the newest
     * {@code maxRefusals} are deleted. Returns the next sequence once the batch is written.
     */
    private long addRefusals(WriteBatch batch, List<StoredRefusal> list) throws RocksDBException {
        if (list.isEmpty()) return nextRefusalSequence;
        long end = nextRefusalSequence + list.size();
        long keepFrom = end - maxRefusals;
        if (keepFrom > firstRefusalSequence) {
            // Deletes first: the puts below come later in the batch, so a transaction refused again keeps its new entry.
            try (RocksIterator it = db.newIterator(refusalOrder)) {
                for (it.seek(Keys.u64(firstRefusalSequence)); it.isValid(); it.next()) {
                    long sequence = Keys.u64(it.key());
                    if (sequence >= keepFrom) break;
                    batch.delete(refusalOrder, it.key());
                    byte[] hash = it.value();
                    byte[] entry = db.get(refusals, hash);
                    if (entry != null && Keys.refusalSequence(entry) == sequence) batch.delete(refusals, hash);
                }
                it.status();
            }
        }
        long sequence = nextRefusalSequence;
        for (StoredRefusal r : list) {
            deleteFromMempool(batch, r.txHash());
            byte[] previous = db.get(refusals, r.txHash());
            if (previous != null) batch.delete(refusalOrder, Keys.u64(Keys.refusalSequence(previous)));
            batch.put(refusals, r.txHash(), Keys.refusalEntry(r.height(), sequence, r.code(), r.message()));
            batch.put(refusalOrder, Keys.u64(sequence), r.txHash());
            sequence++;
        }
        return end;
    }

    /** Records that the refusals up to {@code end} were written (and those below the bound deleted). */
    private void advanceRefusals(long end) {
        nextRefusalSequence = end;
        firstRefusalSequence = Math.max(firstRefusalSequence, end - maxRefusals);
    }

    // ---------------------------------------------------------------- meta

    /** Stores a named value, synced. Names starting with {@value #RESERVED_META_PREFIX} are reserved. */
    public void putMeta(String name, byte[] value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.startsWith(RESERVED_META_PREFIX) || name.startsWith(HISTORY_META_PREFIX)) {
            throw new IllegalArgumentException("meta name " + name + " is reserved for the chain head and its history");
        }
        write("write meta", () -> {
            faults.beforeWrite("write meta");
            db.put(meta, syncWrite, Keys.utf8(name), value);
            return null;
        });
    }

    // ---------------------------------------------------------------- snapshots

    /** What a state snapshot holds besides the state's rows: the head block and the log position it completes. */
    public record SnapshotHead(long height, byte[] blockBytes, byte[] applied) {}

    /** Receives a snapshot as {@link #exportSnapshot} reads it. */
    public interface SnapshotWriter {
        void head(SnapshotHead head) throws IOException;

        void row(byte[] key, byte[] value) throws IOException;
    }

    /**
     * Reads the head block and every state row (not the trie's nodes, which the receiver rebuilds) from one consistent
     * view of the store, while blocks keep committing.
     */
    public void exportSnapshot(SnapshotWriter out) throws IOException {
        lifecycle.readLock().lock();
        try {
            if (closed) throw new IllegalStateException("store in " + dataDir + " is closed");
            org.rocksdb.Snapshot snapshot = db.getSnapshot();
            try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot)) {
                byte[] height = db.get(meta, ro, HEAD_HEIGHT);
                if (height == null || Keys.u64(height) < 1) {
                    throw new IllegalStateException("the chain has no block yet: nothing to snapshot");
                }
                byte[] block = db.get(blocks, ro, height);
                out.head(new SnapshotHead(Keys.u64(height), block, db.get(meta, ro, RAFT_APPLIED)));
                try (RocksIterator it = db.newIterator(state, ro)) {
                    for (it.seekToFirst(); it.isValid() && (it.key()[0] & 0xFF) < TRIE_NAMESPACE; it.next()) {
                        out.row(it.key(), it.value());
                    }
                    it.status();
                }
            } finally {
                db.releaseSnapshot(snapshot);
            }
        } catch (RocksDBException e) {
            throw new StorageException("export snapshot failed in " + dataDir + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Replaces the state with a verified snapshot's, in one synced batch: the rows and the trie nodes rebuilt from them,
     * the head block, its finality rows and the log position. History below the snapshot's height is what this store
     * had; its lowest height becomes the snapshot's (it holds no block between its old head and the snapshot).
     *
     * @throws IllegalStateException on an archive store, which must hold every block
     */
    public void installSnapshot(long height, byte[] blockHash, byte[] blockBytes, List<StateBackend.Row> stateRows,
                                FinalityWrite finalityRows) {
        write("install snapshot", () -> {
            if (retention.archive()) {
                throw new IllegalStateException("an archive validator keeps every block from genesis, so it cannot start from a "
                        + "snapshot at height " + height + "; run it pruned (--retain-blocks N), or copy an archive's data "
                        + "directory");
            }
            byte[] heightKey = Keys.u64(height);
            try (WriteBatch batch = new WriteBatch(); RocksIterator it = db.newIterator(state)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    batch.delete(state, it.key());
                }
                it.status();
                for (StateBackend.Row row : stateRows) {
                    batch.put(state, row.key(), row.value());
                }
                batch.put(blocks, heightKey, blockBytes);
                batch.put(blockHashes, blockHash, heightKey);
                batch.put(meta, HEAD_HEIGHT, heightKey);
                batch.put(meta, HEAD_HASH, blockHash);
                batch.delete(meta, HEAD_META);
                batch.put(meta, LOWEST_HEIGHT, heightKey);
                putFinality(batch, finalityRows);
                faults.beforeWrite("install snapshot");
                db.write(syncWrite, batch);
            }
            headHeight = height;
            retention = new Retention(retention.retainBlocks(), height);
            return null;
        });
    }

    // ---------------------------------------------------------------- finality

    /** Writes finality rows (votes, certificates, signing sets) and the log's applied position in one synced batch. */
    public void writeFinality(FinalityWrite w) {
        Objects.requireNonNull(w, "finality write");
        write("write finality", () -> {
            try (WriteBatch batch = new WriteBatch()) {
                putFinality(batch, w);
                faults.beforeWrite("write finality");
                db.write(syncWrite, batch);
            }
            return null;
        });
    }

    private void putFinality(WriteBatch batch, FinalityWrite w) throws RocksDBException {
        for (Map.Entry<ByteKey, byte[]> row : w.rows().entrySet()) {
            batch.put(finality, row.getKey().bytes(), row.getValue());
        }
        if (w.applied() != null) {
            batch.put(meta, RAFT_APPLIED, w.applied());
        }
        if (w.snapshot()) {
            batch.put(meta, RAFT_SNAPSHOT, w.applied());
        }
    }

    /** One finality row (see {@code FinalityKeys}). */
    public Optional<byte[]> finality(byte[] key) {
        Objects.requireNonNull(key, "key");
        return read("read finality", () -> Optional.ofNullable(db.get(finality, key)));
    }

    /** The finality rows whose keys start with {@code prefix}, in key order, up to {@code limit}. */
    public List<Map.Entry<byte[], byte[]>> finalityRows(byte[] prefix, int limit) {
        return finalityRows(prefix, prefix, limit);
    }

    /** The finality rows from key {@code from} on whose keys start with {@code prefix}, in key order, up to {@code limit}. */
    public List<Map.Entry<byte[], byte[]>> finalityRows(byte[] from, byte[] prefix, int limit) {
        return read("read finality", () -> {
            List<Map.Entry<byte[], byte[]>> out = new ArrayList<>();
            try (RocksIterator it = db.newIterator(finality)) {
                for (it.seek(from); it.isValid() && out.size() < limit; it.next()) {
                    byte[] k = it.key();
                    if (!Keys.startsWith(k, prefix)) {
                        break;
                    }
                    out.add(Map.entry(k, it.value()));
                }
            }
            return out;
        });
    }

    /** The replicated log's position of the latest snapshot taken or installed, if any. */
    public Optional<byte[]> raftSnapshot() {
        return read("read snapshot position", () -> Optional.ofNullable(db.get(meta, RAFT_SNAPSHOT)));
    }

    /** The replicated log's position that the stored state includes, as last written with a block or finality row. */
    public Optional<byte[]> raftApplied() {
        return read("read applied position", () -> Optional.ofNullable(db.get(meta, RAFT_APPLIED)));
    }

    public Optional<byte[]> meta(String name) {
        Objects.requireNonNull(name, "name");
        return read("read meta", () -> Optional.ofNullable(db.get(meta, Keys.utf8(name))));
    }

    // ---------------------------------------------------------------- lifecycle

    /** Releases the column family handles, the database and the options, in that order. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            handles.forEach(ColumnFamilyHandle::close);
            try {
                db.closeE();
            } catch (RocksDBException e) {
                throw new StorageException("closing store in " + dataDir + " failed: " + e.getMessage(), e);
            } finally {
                syncWrite.close();
                dbOptions.close();
                cfOptions.close();
                bloomFilter.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @FunctionalInterface
    private interface Operation<T> {
        T run() throws RocksDBException;
    }

    private <T> T read(String what, Operation<T> operation) {
        lifecycle.readLock().lock();
        try {
            if (closed) throw new IllegalStateException("store in " + dataDir + " is closed");
            return operation.run();
        } catch (RocksDBException e) {
            throw new StorageException(what + " failed in " + dataDir + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private <T> T write(String what, Operation<T> operation) {
        return read(what, () -> {
            writes.lock();
            try {
                return operation.run();
            } finally {
                writes.unlock();
            }
        });
    }
}
