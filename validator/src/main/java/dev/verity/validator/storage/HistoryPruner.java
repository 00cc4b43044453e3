package dev.verity.validator.storage;

import dev.verity.core.Bytes;
import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds to a write batch the deletion of the history of whole heights: each block with its hash and transaction index
 * rows, its events with their index rows, and the archived jobs that finished at those heights. The work is the size of
 * the heights deleted, never a walk of a table.
 *
 * <p>Point deletes, not range deletes: every key has to be read anyway to find the index rows that point at it, and
 * point tombstones go away in ordinary compaction, where a range tombstone per block would pile up and slow reads.
 */
final class HistoryPruner {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryPruner.class);

    /** The column families history lives in. */
    record Tables(ColumnFamilyHandle blocks, ColumnFamilyHandle blockHashes, ColumnFamilyHandle transactions,
                  ColumnFamilyHandle events, ColumnFamilyHandle eventIndex, ColumnFamilyHandle jobArchive,
                  ColumnFamilyHandle jobsBySubmit, ColumnFamilyHandle jobsByFinish, ColumnFamilyHandle finality) {}

    private final RocksDB db;
    private final Tables t;
    private final HistoryKeys keys;

    HistoryPruner(RocksDB db, Tables tables, HistoryKeys keys) {
        this.db = db;
        this.t = tables;
        this.keys = keys;
    }

    /** Adds the deletion of the history of heights {@code from} (inclusive) to {@code to} (exclusive); returns the rows. */
    long prune(WriteBatch batch, long from, long to) throws RocksDBException {
        long rows = 0;
        for (long h = from; h < to; h++) {
            rows += pruneBlock(batch, h) + pruneEvents(batch, h) + pruneFinality(batch, h);
        }
        return rows + pruneJobs(batch, from, to);
    }

    private long pruneBlock(WriteBatch batch, long height) throws RocksDBException {
        byte[] key = Keys.u64(height);
        byte[] block = db.get(t.blocks(), key);
        if (block == null) return 0;
        batch.delete(t.blocks(), key);
        long rows = 1;
        try {
            HistoryKeys.BlockKeys k = keys.blockKeys(block);
            batch.delete(t.blockHashes(), k.hash());
            rows++;
            for (byte[] tx : k.transactions()) {
                batch.delete(t.transactions(), tx);
                rows++;
            }
        } catch (RuntimeException e) {
            // An unreadable old block must not stop the chain: its few index rows stay behind.
            LOG.warn("pruning block {}: it does not decode ({}); its hash and transaction index rows stay", height, e.toString());
        }
        return rows;
    }

    private long pruneEvents(WriteBatch batch, long height) throws RocksDBException {
        byte[] prefix = Keys.u64(height);
        long rows = 0;
        try (RocksIterator it = db.newIterator(t.events())) {
            for (it.seek(Keys.position(height, 0)); it.isValid() && Keys.startsWith(it.key(), prefix); it.next()) {
                byte[] key = it.key();
                batch.delete(t.events(), key);
                rows++;
                try {
                    for (byte[] subject : keys.eventSubjects(it.value())) {
                        batch.delete(t.eventIndex(), Keys.subjectPosition(Keys.subjectPrefix(subject), height, Keys.positionIndex(key)));
                        rows++;
                    }
                } catch (RuntimeException e) {
                    LOG.warn("pruning event {}:{}: it does not decode ({}); its index rows stay", height, Keys.positionIndex(key),
                            e.toString());
                }
            }
            it.status();
        }
        return rows;
    }

    /**
     * The votes of a height, and its signing set and certificate unless the block changed the validator set: those stay,
     * with the set's proof, so a receipt of a kept block can follow the set from genesis.
     */
    private long pruneFinality(WriteBatch batch, long height) throws RocksDBException {
        long rows = 0;
        if (db.get(t.finality(), finalityKey('P', height)) == null) {
            batch.delete(t.finality(), finalityKey('S', height));
            batch.delete(t.finality(), finalityKey('C', height));
            rows += 2;
        }
        byte[] votes = finalityKey('V', height);
        try (RocksIterator it = db.newIterator(t.finality())) {
            for (it.seek(votes); it.isValid() && Keys.startsWith(it.key(), votes); it.next()) {
                batch.delete(t.finality(), it.key());
                rows++;
            }
            it.status();
        }
        return rows;
    }

    private static byte[] finalityKey(char kind, long height) {
        byte[] key = new byte[9];
        key[0] = (byte) kind;
        System.arraycopy(Keys.u64(height), 0, key, 1, 8);
        return key;
    }

    /** The jobs that finished at heights [from, to): their archive record and listing row. */
    private long pruneJobs(WriteBatch batch, long from, long to) throws RocksDBException {
        long rows = 0;
        try (RocksIterator it = db.newIterator(t.jobsByFinish())) {
            for (it.seek(Keys.u64(from)); it.isValid() && Keys.u64(it.key()) < to; it.next()) {
                byte[] key = it.key();
                byte[] jobId = Arrays.copyOfRange(key, 8, key.length);
                batch.delete(t.jobsByFinish(), key);
                batch.delete(t.jobArchive(), jobId);
                batch.delete(t.jobsBySubmit(), Bytes.concat(it.value(), jobId));
                rows += 3;
            }
            it.status();
        }
        return rows;
    }
}
