package dev.verity.ledger.state;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * A bounded map that forgets its least recently used entry first. For caches only: whether an entry is present
 * never changes a result, only how fast it is found, so its order is never observed by the state transition.
 */
final class LruCache<K, V> {
    private final int capacity;
    /** Insertion-ordered; a hit is moved to the end, so the first entry is the least recently used. */
    private final LinkedHashMap<K, V> entries = new LinkedHashMap<>();

    LruCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("negative cache capacity " + capacity);
        }
        this.capacity = capacity;
    }

    V get(K key) {
        V v = entries.remove(key);
        if (v != null) {
            entries.put(key, v);
        }
        return v;
    }

    void put(K key, V value) {
        if (capacity == 0) {
            return;
        }
        entries.remove(key);
        entries.put(key, value);
        if (entries.size() > capacity) {
            Iterator<K> eldest = entries.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    void remove(K key) {
        entries.remove(key);
    }

    int size() {
        return entries.size();
    }
}
