package dev.verity.bench;

import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.core.trie.MemoryTrieStore;
import dev.verity.core.trie.MerkleTrie;
import dev.verity.core.trie.TrieProof;
import dev.verity.core.trie.TrieUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The state trie ({@link MerkleTrie}) at the size of a busy chain: {@code size} keys in a {@link MemoryTrieStore}.
 * <ul>
 *   <li>{@link #updateExisting}: one block's batch, {@code batch} existing keys given new values (the root and the
 *       writes, not applied);</li>
 *   <li>{@link #insertNew}: {@code batch} new keys;</li>
 *   <li>{@link #updateAndApply}: a batch of new values for existing keys, applied to the store, block after block;</li>
 *   <li>{@link #storeReadsOfUpdate}: only the store reads that {@link #updateExisting} makes, the same keys in the
 *       same order: the store's share of the update, the rest being the trie's own work;</li>
 *   <li>{@link #prove} and {@link #verify}: one proof of a present key, generated from the store, and checked
 *       against the root (decoding included).</li>
 * </ul>
 * The setup prints the proof size at this size (mean and largest encoding, mean sibling count). One core, as a
 * validator executes a block; a fixed heap with a large young generation, since each update allocates about 30 MB
 * of short-lived nodes and keys (run with {@code -prof gc} to see it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-XX:ActiveProcessorCount=1", "-Xms4g", "-Xmx4g", "-Xmn1536m"})
public class StateTrieBenchmark {
    @Param("1000000")
    public int size;

    @Param("10000")
    public int batch;

    private static final int PROOFS = 4096;

    private MemoryTrieStore store;
    private SortedMap<Hash, Hash> updates;
    private SortedMap<Hash, Hash> inserts;
    /** Two rounds of new values for the same keys, applied in turn so every block changes them all. */
    private final SortedMap<Hash, Hash>[] rounds = newRounds();
    private int round;
    private Hash[] proofKeys;
    private Hash[] proofValues;
    private byte[][] proofs;
    private Hash root;
    private int next;
    private byte[][] readKeys;

    static Hash key(long i) {
        byte[] b = new byte[8];
        for (int j = 0; j < 8; j++) {
            b[j] = (byte) (i >>> (56 - 8 * j));
        }
        return Sha256.digest(b);
    }

    static Hash value(long i, int generation) {
        return Sha256.digest(key(i).bytes(), new byte[] {(byte) generation, (byte) (generation >>> 8)});
    }

    @Setup(Level.Trial)
    public void build() {
        store = new MemoryTrieStore();
        int chunk = 100_000;
        for (int from = 0; from < size; from += chunk) {
            SortedMap<Hash, Hash> b = new TreeMap<>();
            for (int i = from; i < Math.min(size, from + chunk); i++) {
                b.put(key(i), value(i, 0));
            }
            store.apply(MerkleTrie.update(store, b));
        }
        root = MerkleTrie.root(store);
        // spread the changed keys over the key space, as a block's touched accounts are
        long stride = size / batch;
        updates = new TreeMap<>();
        inserts = new TreeMap<>();
        for (int i = 0; i < batch; i++) {
            updates.put(key(i * stride), value(i * stride, 1));
            rounds[0].put(key(i * stride), value(i * stride, 2));
            rounds[1].put(key(i * stride), value(i * stride, 3));
            inserts.put(key(size + (long) i), value(size + (long) i, 0));
        }
        proofKeys = new Hash[PROOFS];
        proofValues = new Hash[PROOFS];
        proofs = new byte[PROOFS][];
        long bytes = 0;
        long siblings = 0;
        int largest = 0;
        for (int i = 0; i < PROOFS; i++) {
            long k = (long) i * (size / PROOFS);
            proofKeys[i] = key(k);
            proofValues[i] = value(k, 0);
            TrieProof p = MerkleTrie.prove(store, proofKeys[i]);
            proofs[i] = p.encode();
            bytes += proofs[i].length;
            siblings += p.siblings().size();
            largest = Math.max(largest, proofs[i].length);
        }
        System.out.printf("%n[trie] %,d keys, %,d stored nodes; proof of a present key: mean %.1f bytes, largest %d bytes,"
                + " mean %.2f siblings%n", size, store.size(), (double) bytes / PROOFS, largest, (double) siblings / PROOFS);
        List<byte[]> reads = new ArrayList<>();
        TrieUpdate u = MerkleTrie.update(k -> {
            reads.add(k);
            return store.get(k);
        }, updates);
        readKeys = reads.toArray(new byte[0][]);
        System.out.printf("[trie] a batch of %,d new values reads %,d nodes and writes %,d%n", batch, readKeys.length,
                u.size());
    }

    @SuppressWarnings("unchecked")
    private static SortedMap<Hash, Hash>[] newRounds() {
        return new SortedMap[] {new TreeMap<>(), new TreeMap<>()};
    }

    @Benchmark
    public TrieUpdate updateExisting() {
        return MerkleTrie.update(store, updates);
    }

    @Benchmark
    public TrieUpdate insertNew() {
        return MerkleTrie.update(store, inserts);
    }

    @Benchmark
    public Hash updateAndApply() {
        round ^= 1;
        TrieUpdate u = MerkleTrie.update(store, rounds[round]);
        store.apply(u);
        return u.root();
    }

    @Benchmark
    public int storeReadsOfUpdate() {
        int found = 0;
        for (byte[] k : readKeys) {
            found += store.get(k) == null ? 0 : 1;
        }
        return found;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public TrieProof prove() {
        next = (next + 1) % PROOFS;
        return MerkleTrie.prove(store, proofKeys[next]);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean verify() {
        next = (next + 1) % PROOFS;
        return TrieProof.decode(proofs[next]).provesPresent(root, proofKeys[next], proofValues[next]);
    }
}
