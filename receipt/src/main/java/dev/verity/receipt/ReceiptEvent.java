package dev.verity.receipt;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One event of a job in a receipt: its position among its block's events ({@code index}, from 0), its encoded bytes
 * (as the ledger encodes events) and its Merkle path to the block header's events root: the sibling hashes from the
 * leaf up, skipping the levels where the node is carried up alone ({@link Merkle#path}). The leaf is
 * {@code SHA-256(0x00 || event)} ({@link Merkle#leaf}).
 */
public record ReceiptEvent(int index, byte[] event, List<Hash> path) {
    public ReceiptEvent {
        if (index < 0) {
            throw new IllegalArgumentException("an event's index is 0 or more, got " + index);
        }
        Objects.requireNonNull(event, "event");
        if (event.length > JobReceipt.MAX_EVENT_BYTES) {
            throw new IllegalArgumentException("an event in a receipt is at most " + JobReceipt.MAX_EVENT_BYTES + " bytes, got "
                    + event.length);
        }
        event = event.clone();
        path = List.copyOf(path);
        if (path.size() > JobReceipt.MAX_PATH) {
            throw new IllegalArgumentException("a Merkle path holds at most " + JobReceipt.MAX_PATH + " hashes, got " + path.size());
        }
    }

    /** A copy of the encoded event. */
    @Override
    public byte[] event() {
        return event.clone();
    }

    /** The event's Merkle leaf hash. */
    public Hash leaf() {
        return Merkle.leaf(event);
    }

    /** The event's type code and job, read from its bytes. */
    public EventFields fields() {
        return EventFields.read(event);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceiptEvent e && index == e.index && Arrays.equals(event, e.event) && path.equals(e.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, Arrays.hashCode(event), path);
    }

    @Override
    public String toString() {
        return "ReceiptEvent[index=" + index + ", event=" + Bytes.hex(event) + ", path=" + path + "]";
    }
}
