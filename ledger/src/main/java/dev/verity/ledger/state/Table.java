package dev.verity.ledger.state;

import dev.verity.core.ByteKey;
import dev.verity.core.Decoder;
import dev.verity.protocol.state.StateTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One table of the ledger state. Committed rows live in the {@link StateBackend} (read through a cache of decoded
 * values); rows written since the last {@link LedgerState#drainChanges} live in this table's overlay, which is what
 * a block changes and what the state root hashes into the trie. Writes go through the {@link Journal}, so a refused
 * transaction is undone. Rows are ordered by their encoded key bytes, the order the backend iterates in; the key
 * codecs are chosen so that this is also the order the rules need (heights and sequence numbers big-endian).
 */
public final class Table<K, V> {
    /** How many committed rows one backend read brings while iterating. */
    private static final int CHUNK = 256;

    private final StateTable table;
    private final String name;
    private final int id;
    private final Codec<K> keyCodec;
    private final Codec<V> valueCodec;
    private final LedgerState state;
    /** Rows written since the last drain, by storage key; a null value is a delete. */
    private final Overlay<Row<K, V>> overlay = new Overlay<>();
    /** The key last turned into a storage key, by identity (keys are immutable values), and that storage key. */
    private K lastKey;
    private ByteKey lastStorageKey;

    /**
     * A written row: its key, and its value or null when deleted. The value is encoded at most once, for the root
     * and the drain both.
     */
    static final class Row<K, V> {
        private final K key;
        private final V value;
        private byte[] encoded;

        Row(K key, V value) {
            this.key = key;
            this.value = value;
        }

        K key() {
            return key;
        }

        V value() {
            return value;
        }

        byte[] encoded(Codec<V> codec) {
            if (encoded == null && value != null) {
                encoded = codec.encode(value);
            }
            return encoded;
        }
    }

    Table(StateTable table, Codec<K> keyCodec, Codec<V> valueCodec, LedgerState state) {
        if (table.id() < 1 || table.id() >= StateKeys.TRIE_NAMESPACE) {
            throw new IllegalArgumentException("table id " + table.id() + " is outside 1.." + (StateKeys.TRIE_NAMESPACE - 1));
        }
        this.table = table;
        this.name = table.tableName();
        this.id = table.id();
        this.keyCodec = keyCodec;
        this.valueCodec = valueCodec;
        this.state = state;
    }

    public String name() {
        return name;
    }

    int id() {
        return id;
    }

    public V get(K key) {
        ByteKey sk = storageKey(key);
        Row<K, V> written = overlay.get(sk);
        return written != null ? written.value() : committed(sk);
    }

    public Optional<V> find(K key) {
        return Optional.ofNullable(get(key));
    }

    public boolean contains(K key) {
        return get(key) != null;
    }

    public void put(K key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value for table " + name + "; use remove");
        }
        write(storageKey(key), new Row<>(key, value));
    }

    public void remove(K key) {
        ByteKey sk = storageKey(key);
        Row<K, V> written = overlay.get(sk);
        V current = written != null ? written.value() : committed(sk);
        if (current != null) {
            write(sk, new Row<>(key, null));
        }
    }

    private void write(ByteKey sk, Row<K, V> row) {
        Row<K, V> previous = overlay.put(sk, row);
        state.changed(sk);
        state.journal().recordUndo(() -> {
            if (previous == null) {
                overlay.remove(sk);
            } else {
                overlay.put(sk, previous);
            }
            state.changed(sk);
        });
    }

    @SuppressWarnings("unchecked")
    private V committed(ByteKey sk) {
        Object cached = state.cache().get(sk);
        if (cached != null) {
            return (V) cached;
        }
        byte[] bytes = state.backend().get(sk.raw());
        if (bytes == null) {
            return null;
        }
        V v = decodeValue(sk, bytes);
        state.cache().put(sk, v);
        return v;
    }

    private V decodeValue(ByteKey sk, byte[] bytes) {
        try {
            return valueCodec.decode(bytes);
        } catch (RuntimeException e) {
            throw new CorruptStateException("row " + sk + " of table " + name + " does not decode: " + e.getMessage(), e);
        }
    }

    /** Visits rows in key order, from {@code fromInclusive} (null: the first); stops when the visitor returns false. */
    public void forEach(K fromInclusive, RowVisitor<K, V> visitor) {
        ByteKey end = StateKeys.tableEnd(id);
        ByteKey cursor = fromInclusive == null ? StateKeys.tableStart(id) : storageKey(fromInclusive);
        while (true) {
            List<StateBackend.Row> chunk = state.backend().range(cursor.raw(), end.raw(), CHUNK);
            boolean last = chunk.size() < CHUNK;
            ByteKey chunkEnd = last ? end : ByteKey.wrap(chunk.get(chunk.size() - 1).key());
            // Overlay rows of the same span, copied so that the visitor may write.
            List<Map.Entry<ByteKey, Row<K, V>>> written = new ArrayList<>(
                    overlay.sorted().subMap(cursor, true, chunkEnd, !last).entrySet());
            int b = 0;
            int w = 0;
            while (b < chunk.size() || w < written.size()) {
                ByteKey bk = b < chunk.size() ? ByteKey.wrap(chunk.get(b).key()) : null;
                ByteKey wk = w < written.size() ? written.get(w).getKey() : null;
                int order = bk == null ? 1 : wk == null ? -1 : bk.compareTo(wk);
                K key;
                V value;
                if (order < 0) {
                    key = decodeKey(bk);
                    value = committedRow(bk, chunk.get(b).value());
                    b++;
                } else {
                    Row<K, V> row = written.get(w).getValue();
                    key = row.key();
                    value = row.value();
                    w++;
                    if (order == 0) {
                        b++;
                    }
                }
                if (value != null && !visitor.visit(key, value)) {
                    return;
                }
            }
            if (last) {
                return;
            }
            cursor = StateKeys.successor(chunkEnd);
        }
    }

    @SuppressWarnings("unchecked")
    private V committedRow(ByteKey sk, byte[] bytes) {
        Object cached = state.cache().get(sk);
        return cached != null ? (V) cached : decodeValue(sk, bytes);
    }

    /** Visits every row in key order. */
    public void forEach(RowVisitor<K, V> visitor) {
        forEach(null, visitor);
    }

    /** The rows from {@code fromInclusive} (null: the first), at most {@code limit}, as a list safe to use while writing. */
    public List<Map.Entry<K, V>> rows(K fromInclusive, int limit) {
        List<Map.Entry<K, V>> out = new ArrayList<>();
        if (limit > 0) {
            forEach(fromInclusive, (k, v) -> {
                out.add(Map.entry(k, v));
                return out.size() < limit;
            });
        }
        return out;
    }

    /** Every row, as a list safe to use while writing; for the small tables (nodes, enclaves, policy). */
    public List<Map.Entry<K, V>> rows() {
        return rows(null, Integer.MAX_VALUE);
    }

    /** Every value in key order; for the small tables. */
    public List<V> values() {
        List<V> out = new ArrayList<>();
        forEach((k, v) -> out.add(v));
        return out;
    }

    /** Every key in key order; for the small tables. */
    public List<K> keys() {
        List<K> out = new ArrayList<>();
        forEach((k, v) -> out.add(k));
        return out;
    }

    /** The number of rows: a walk over the table, so for the small ones or for occasional use. */
    public long count() {
        long[] n = {0};
        forEach((k, v) -> {
            n[0]++;
            return true;
        });
        return n[0];
    }

    /** Storage key: table id byte followed by the encoded key ({@link StateTable#rowKey}, which clients use too). */
    public ByteKey storageKey(K key) {
        // The rules look one row up several times in a row (contains, get, put) with the same key object.
        if (key == lastKey) {
            return lastStorageKey;
        }
        ByteKey sk = ByteKey.wrap(table.rowKey(e -> keyCodec.write(e, key)));
        lastKey = key;
        lastStorageKey = sk;
        return sk;
    }

    private K decodeKey(ByteKey sk) {
        try {
            Decoder d = new Decoder(sk.raw());
            d.u8("table id");
            K key = keyCodec.read(d);
            d.end("state key of table " + name);
            return key;
        } catch (RuntimeException e) {
            throw new CorruptStateException("key " + sk + " of table " + name + " does not decode: " + e.getMessage(), e);
        }
    }

    /** The encoded value of a row written since the last drain (null when deleted); only for keys of this table. */
    byte[] writtenBytes(ByteKey sk) {
        Row<K, V> row = overlay.get(sk);
        return row == null ? state.backend().get(sk.raw()) : row.encoded(valueCodec);
    }

    /** Rows written since the last drain, in key order (value null: deleted). */
    List<Row<K, V>> written() {
        return new ArrayList<>(overlay.sorted().values());
    }

    /** Hands the overlay to {@code sink} as storage writes, moves its values into the cache and empties it. */
    void drain(StateSink sink) {
        for (Map.Entry<ByteKey, Row<K, V>> e : overlay.inWriteOrder()) {
            ByteKey sk = e.getKey();
            V v = e.getValue().value();
            sink.write(sk.bytes(), e.getValue().encoded(valueCodec));
            if (v == null) {
                state.cache().remove(sk);
            } else {
                state.cache().put(sk, v);
            }
        }
        overlay.clear();
    }

    /** Decodes a stored row's key and value, throwing if either does not decode. */
    void checkRow(byte[] key, byte[] value) {
        ByteKey sk = new ByteKey(key);
        decodeKey(sk);
        decodeValue(sk, value);
    }

    /** Encodes a value the way it is stored and proven. */
    public byte[] encodeValue(V value) {
        return valueCodec.encode(value);
    }

    public V decode(byte[] value) {
        return valueCodec.decode(value);
    }
}
