package dev.verity.receipt;

import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import dev.verity.core.Merkle;
import dev.verity.protocol.block.BlockHeader;
import dev.verity.protocol.consensus.FinalityCertificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A block of a receipt: its header, the finality certificate of the validators that signed it, how many events the
 * block emitted ({@code eventCount}, the leaf count of its events tree, which fixes the shape of each path) and the
 * job's events in it, in index order.
 *
 * <p>The events root does not commit to the leaf count by itself: a path is checked against the count given here, and
 * counts that give every path here the same shape cannot be told apart (docs/PROTOCOL.md "Receipts"). What a path
 * proves is that the event's bytes are a leaf of the block's events tree.
 */
public record CertifiedBlock(BlockHeader header, FinalityCertificate certificate, int eventCount, List<ReceiptEvent> events) {
    public CertifiedBlock {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(certificate, "certificate");
        if (eventCount < 1) {
            throw new IllegalArgumentException("block " + header.height() + " of a receipt emitted at least one event, not "
                    + eventCount);
        }
        events = List.copyOf(events);
        if (events.size() > JobReceipt.MAX_EVENTS_PER_BLOCK) {
            throw new IllegalArgumentException("a receipt holds at most " + JobReceipt.MAX_EVENTS_PER_BLOCK + " events of one "
                    + "block, got " + events.size());
        }
        for (int i = 0; i < events.size(); i++) {
            int index = events.get(i).index();
            if (index >= eventCount) {
                throw new IllegalArgumentException("event " + index + " of block " + header.height() + " is outside its "
                        + eventCount + " events");
            }
            if (i > 0 && events.get(i - 1).index() >= index) {
                throw new IllegalArgumentException("the events of block " + header.height() + " are listed once each, in "
                        + "index order; " + index + " is out of order or repeated");
            }
        }
    }

    /**
     * The block with the events of {@code job} among {@code blockEvents} (every event the block emitted, encoded, in
     * order), each with its Merkle path: what a validator serves for a job.
     *
     * @throws IllegalArgumentException when the events do not hash to the header's events root, or none names the job
     */
    public static CertifiedBlock of(BlockHeader header, FinalityCertificate certificate, List<byte[]> blockEvents, Hash job) {
        List<Hash> leaves = new ArrayList<>(blockEvents.size());
        for (byte[] e : blockEvents) {
            leaves.add(Merkle.leaf(e));
        }
        if (!Merkle.root(leaves).equals(header.eventsRoot())) {
            throw new IllegalArgumentException("the " + blockEvents.size() + " events given for block " + header.height()
                    + " do not hash to its events root " + header.eventsRoot().hex());
        }
        List<ReceiptEvent> events = new ArrayList<>();
        for (int i = 0; i < blockEvents.size(); i++) {
            if (namesJob(blockEvents.get(i), job)) {
                events.add(new ReceiptEvent(i, blockEvents.get(i), Merkle.path(leaves, i)));
            }
        }
        if (events.isEmpty()) {
            throw new IllegalArgumentException("block " + header.height() + " emitted no event of job " + job.hex());
        }
        return new CertifiedBlock(header, certificate, blockEvents.size(), events);
    }

    private static boolean namesJob(byte[] event, Hash job) {
        try {
            return EventFields.read(event).names(job);
        } catch (DecodingException e) {
            return false;
        }
    }

    public long height() {
        return header.height();
    }

    /** SHA-256 of the header's encoding. */
    public Hash blockHash() {
        return header.hash();
    }
}
