package dev.verity.validator.chain;

import dev.verity.core.Hash;
import dev.verity.ledger.Genesis;
import dev.verity.ledger.block.Block;
import dev.verity.ledger.state.LedgerState;
import dev.verity.ledger.state.StateAudit;
import dev.verity.validator.storage.ChainStore;
import dev.verity.validator.storage.CorruptStoreException;
import dev.verity.validator.storage.Retention;
import dev.verity.validator.storage.RocksStateBackend;
import dev.verity.validator.storage.StoreFaults;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * {@code verity chain repair}: opens a stopped node's store, accepting the loss of a damaged write-ahead log's tail
 * (it reports it), drops every stored mempool entry that cannot be read (it reports each, with its key and why), and
 * checks what it cannot fix: every block decodes, every state row loads, and the stored state's root is the head
 * block's. Those problems need a backup or a re-sync; the report says so. On a pruned store it checks the blocks it
 * keeps (from its lowest height on) and changes nothing about what it keeps: the pruned history is not a problem.
 */
public final class ChainRepair {

    /** Something repair changed: the table, the entry (a key in hex) and why. */
    public record Fixed(String table, String entry, String why) {}

    /** Something repair could not fix, with what the operator can do. */
    public record Problem(String table, String entry, String why, String advice) {}

    /**
     * What repair did and found. {@code clean()} is true when the store is clean afterwards (nothing left unrepaired).
     *
     * @param walLossAccepted the write-ahead log was damaged: the store now holds every write up to the damage, and
     *                        transactions acknowledged after it may be gone (their receipts answer UNKNOWN)
     */
    public record Report(Path dataDir, boolean walLossAccepted, long headHeight, Retention history, List<Fixed> fixed,
                         List<Problem> problems) {
        public boolean clean() {
            return problems.isEmpty();
        }
    }

    private ChainRepair() {}

    /** Repairs the store in {@code dataDir} (the node must be stopped). */
    public static Report repair(Path dataDir) {
        List<Fixed> fixed = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        String restore = "restore the data directory from a backup, or re-sync it from genesis; `verity chain verify --data-dir "
                + dataDir + "` checks a chain in full";
        try (ChainStore store = ChainStore.open(dataDir, ChainStore.DEFAULT_MAX_REFUSALS, true, StoreFaults.NONE)) {
            if (store.walLossAccepted()) {
                fixed.add(new Fixed("wal", dataDir.resolve("db").toString(), "the write-ahead log was truncated or corrupt; "
                        + "the store keeps every write up to the damaged record, and transactions acknowledged after it may "
                        + "be missing: clients should re-submit those whose receipt answers UNKNOWN"));
            }
            repairMempool(store, dataDir, fixed);

            Optional<byte[]> genesisBytes = store.meta(ChainStore.META_GENESIS);
            if (genesisBytes.isEmpty()) {
                if (store.headHeight() >= 0) {
                    problems.add(new Problem("meta", "genesis", "the store has blocks but no genesis document", restore));
                }
            } else {
                try {
                    Genesis.decode(genesisBytes.get());
                } catch (RuntimeException e) {
                    problems.add(new Problem("meta", "genesis", why(e), restore));
                }
            }

            Block[] head = new Block[1];
            long headHeight = store.headHeight();
            // The blocks from the lowest kept height to the head must all be there; a pruned store has none below it.
            long[] next = {Math.max(1, store.retention().lowestHeight())};
            store.forEachBlock((height, bytes) -> {
                if (height < 0) {
                    problems.add(new Problem("blocks", "key of " + bytes.length + "-byte block", "a block key must be 8 bytes",
                            restore));
                    return;
                }
                if (height == 0) {
                    return; // the genesis document, checked above
                }
                if (height > next[0]) {
                    problems.add(missing(next[0], height - 1, restore));
                }
                next[0] = Math.max(next[0], height + 1);
                try {
                    Block b = Block.decode(bytes);
                    if (b.height() != height) {
                        problems.add(new Problem("blocks", "at height " + height, "it holds block " + b.height(), restore));
                    } else if (height == headHeight) {
                        head[0] = b;
                    }
                } catch (RuntimeException e) {
                    problems.add(new Problem("blocks", "at height " + height, why(e), restore));
                }
            });
            if (headHeight >= next[0]) {
                problems.add(missing(next[0], headHeight, restore));
            }

            RocksStateBackend backend = new RocksStateBackend(store);
            StateAudit.Result audit = StateAudit.recompute(backend);
            for (StateAudit.BadRow bad : audit.badRows()) {
                problems.add(new Problem("state", HexFormat.of().formatHex(bad.key()), bad.why(), restore));
            }
            if (audit.clean() && head[0] != null) {
                Hash expected = head[0].header().stateRoot();
                Hash trieRoot = rootOrNull(backend);
                if (!audit.rowsRoot().equals(expected)) {
                    problems.add(new Problem("state", "root", "the stored state's root " + audit.rowsRoot().hex() + " is not block "
                            + headHeight + "'s " + expected.hex(), restore));
                } else if (!expected.equals(trieRoot)) {
                    problems.add(new Problem("state", "trie", "the stored rows match block " + headHeight + " but the stored trie "
                            + "does not (its root is " + (trieRoot == null ? "unreadable" : trieRoot.hex()) + ")", restore));
                }
            }
            return new Report(dataDir, store.walLossAccepted(), headHeight, store.retention(), List.copyOf(fixed),
                    List.copyOf(problems));
        }
    }

    private static Problem missing(long from, long to, String restore) {
        String heights = from == to ? "at height " + from : "at heights " + from + " to " + to;
        return new Problem("blocks", heights, "not stored, though the store keeps every block up to its head", restore);
    }

    private static void repairMempool(ChainStore store, Path dataDir, List<Fixed> fixed) {
        List<byte[][]> rows = new ArrayList<>();
        store.forEachRawMempoolEntry((k, v) -> rows.add(new byte[][] {k, v}));
        for (byte[][] row : rows) {
            byte[] key = row[0];
            byte[] value = row[1];
            String why = null;
            if (value.length < 8) {
                why = "the entry has " + value.length + " bytes, fewer than its 8-byte sequence";
            } else {
                try {
                    ChainNode.readMempoolEntry(dataDir, key, java.util.Arrays.copyOfRange(value, 8, value.length));
                } catch (CorruptStoreException e) {
                    why = e.why();
                }
            }
            if (why != null) {
                store.dropMempoolEntry(key);
                fixed.add(new Fixed("mempool", HexFormat.of().formatHex(key), "dropped: " + why));
            }
        }
    }

    private static Hash rootOrNull(RocksStateBackend backend) {
        try {
            return new LedgerState(backend, 0).root();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String why(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
