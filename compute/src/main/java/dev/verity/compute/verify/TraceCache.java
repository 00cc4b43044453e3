package dev.verity.compute.verify;


import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The traces a node computed lately, least recently used dropped first: a dispute over a result, an
 * audit or a challenge usually needs a trace computed seconds before, and a miss is only a re-run.
 * Thread-safe; a trace is computed outside the lock.
 */
final class TraceCache {
    /** One version of one job's trace: the tree of {@code resultNode}, cheated {@code cheat}'s way (null: honest). */
    record Key(Hash job, PublicKey resultNode, TraceCheat cheat) {}

    private final Map<Key, JobTrace> traces;

    TraceCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a trace cache holds at least one trace, got capacity " + capacity);
        }
        this.traces = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, JobTrace> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cached trace for {@code key}, or {@code compute}'s (cached when not null). */
    JobTrace get(Key key, Supplier<JobTrace> compute) {
        synchronized (traces) {
            JobTrace t = traces.get(key);
            if (t != null) {
                return t;
            }
        }
        JobTrace t = compute.get();
        if (t != null) {
            synchronized (traces) {
                traces.put(key, t);
            }
        }
        return t;
    }

    int size() {
        synchronized (traces) {
            return traces.size();
        }
    }
}
