package dev.verity.gateway;

import java.util.Arrays;

/** The token ids a node has streamed so far, in order. Not thread-safe. */
final class TokenLog {
    private int[] ids = new int[64];
    private int size;

    void add(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
    }

    int size() {
        return size;
    }

    int[] ids() {
        return ids;
    }
}
