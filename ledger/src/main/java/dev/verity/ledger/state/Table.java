package dev.verity.ledger.state;

import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * One sorted table of the ledger state. Its Merkle root commits to every row in key order
 * (leaf = SHA-256(0x00 || encode(key) || encode(value))). Leaf hashes are cached and only the
 * rows written since the last root are re-hashed. Writes go through the {@link Journal} so a
 * rejected transaction can be undone.
 */
public final class Table<K extends Comparable<K>, V> {
    private final String name;
    private final int id;
    private final Codec<K> keyCodec;
    private final Codec<V> valueCodec;
    private final Journal journal;
    private final TreeMap<K, V> rows = new TreeMap<>();
    private final TreeMap<K, Hash> leaves = new TreeMap<>();
    private final TreeSet<K> unhashed = new TreeSet<>();
    private final TreeSet<K> unpersisted = new TreeSet<>();
    private Hash root;
    private boolean tracking = true;

    Table(String name, int id, Codec<K> keyCodec, Codec<V> valueCodec, Journal journal) {
        this.name = name;
        this.id = id;
        this.keyCodec = keyCodec;
        this.valueCodec = valueCodec;
        this.journal = journal;
    }

    public String name() {
        return name;
    }

    public V get(K key) {
        return rows.get(key);
    }

    public Optional<V> find(K key) {
        return Optional.ofNullable(rows.get(key));
    }

    public boolean contains(K key) {
        return rows.containsKey(key);
    }

    public int size() {
        return rows.size();
    }

    public void put(K key, V value) {
        V previous = rows.put(key, value);
        touched(key);
        journal.recordUndo(() -> restore(key, previous));
    }

    public void remove(K key) {
        V previous = rows.remove(key);
        if (previous != null) {
            touched(key);
            journal.recordUndo(() -> restore(key, previous));
        }
    }

    private void restore(K key, V previous) {
        if (previous == null) {
            rows.remove(key);
        } else {
            rows.put(key, previous);
        }
        touched(key);
    }

    private void touched(K key) {
        if (tracking) {
            unhashed.add(key);
            unpersisted.add(key);
        }
    }

    /** See {@link LedgerState#stopTrackingChanges()}. */
    void stopTracking() {
        tracking = false;
        unhashed.clear();
        unpersisted.clear();
        leaves.clear();
        root = null;
    }

    /** Rows in key order; callers must not write to this table while iterating. */
    public SortedMap<K, V> view() {
        return java.util.Collections.unmodifiableSortedMap(rows);
    }

    /** A snapshot of the rows from {@code fromInclusive} on, safe to iterate while writing. */
    public java.util.List<Map.Entry<K, V>> snapshotFrom(K fromInclusive, int limit) {
        var out = new ArrayList<Map.Entry<K, V>>();
        for (var e : rows.tailMap(fromInclusive, true).entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            out.add(Map.entry(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** The table's Merkle root; recomputed only when a row changed since the last call. */
    public Hash root() {
        if (!tracking) {
            ArrayList<Hash> all = new ArrayList<>(rows.size());
            for (Map.Entry<K, V> row : rows.entrySet()) {
                all.add(leaf(row.getKey(), row.getValue()));
            }
            return Merkle.root(all);
        }
        if (root != null && unhashed.isEmpty()) {
            return root;
        }
        for (K key : unhashed) {
            V v = rows.get(key);
            if (v == null) {
                leaves.remove(key);
            } else {
                leaves.put(key, leaf(key, v));
            }
        }
        unhashed.clear();
        root = Merkle.root(new ArrayList<>(leaves.values()));
        return root;
    }

    private Hash leaf(K key, V value) {
        Encoder e = new Encoder(128);
        keyCodec.write(e, key);
        valueCodec.write(e, value);
        return Merkle.leaf(e.toByteArray());
    }

    /** Storage key: table id byte followed by the encoded key. */
    public byte[] storageKey(K key) {
        Encoder e = new Encoder(40);
        e.u8(id);
        keyCodec.write(e, key);
        return e.toByteArray();
    }

    int id() {
        return id;
    }

    /** Hands every row written since the last call to {@code sink} (value null = deleted) and forgets them. */
    public void drainChanges(BiConsumer<byte[], byte[]> sink) {
        if (!tracking) {
            throw new IllegalStateException("table " + name + " does not track its changes; nothing can be stored from it");
        }
        for (K key : unpersisted) {
            V v = rows.get(key);
            sink.accept(storageKey(key), v == null ? null : valueCodec.encode(v));
        }
        unpersisted.clear();
    }

    /** Loads one stored row (storage key without the table byte already checked by the caller). */
    void load(byte[] storageKey, byte[] value) {
        var d = new dev.verity.core.Decoder(storageKey);
        d.u8("table id");
        K key = keyCodec.read(d);
        d.end("state key of table " + name);
        rows.put(key, valueCodec.decode(value));
        unhashed.add(key);
    }
}
