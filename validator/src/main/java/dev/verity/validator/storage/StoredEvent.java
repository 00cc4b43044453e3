package dev.verity.validator.storage;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/** An event read back from the store, with its position: block height and index within the block. */
public record StoredEvent(long height, int index, byte[] bytes) {

    public StoredEvent {
        Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredEvent e && height == e.height && index == e.index && Arrays.equals(bytes, e.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(height) + index) + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "StoredEvent[height=" + height + ", index=" + index + ", bytes=" + HexFormat.of().formatHex(bytes) + "]";
    }
}
