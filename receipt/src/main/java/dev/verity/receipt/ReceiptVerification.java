package dev.verity.receipt;

import dev.verity.core.Bytes;
import dev.verity.core.Hash;
import dev.verity.core.PublicKey;
import dev.verity.protocol.block.BlockHeader;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ReceiptVerifier} found. Valid ({@link #valid()}): every block, event and set change listed here is
 * proven final on the trusted chain. Refused: {@link #failed()} names the first check that failed, {@link #reason()}
 * says why in words, and the lists are empty (nothing of a refused receipt is vouched for).
 *
 * @param failed            the check that failed, or null when the receipt is valid
 * @param reason            why it failed, or null
 * @param chainId           the trusted chain's id
 * @param job               the receipt's job id (null when the bytes did not decode)
 * @param blocks            the receipt's blocks, each final
 * @param events            the job's events, in chain order
 * @param setChanges        the validator-set changes followed, in height order
 * @param skippedSetChanges the changes at or below the trusted set's height, which the trusted set already reflects
 *                          (passed over, not checked)
 */
public record ReceiptVerification(ReceiptCheck failed, String reason, String chainId, Hash job, List<Block> blocks,
                                  List<Event> events, List<SetChange> setChanges, int skippedSetChanges) {

    /**
     * A final block: its header, the set that signed it, who signed and their stake.
     *
     * @param eventCount the block's event count as the receipt states it (see {@link CertifiedBlock})
     */
    public record Block(long height, Hash blockHash, BlockHeader header, Hash validatorSetHash, List<PublicKey> signers,
                        long signedStake, long totalStake, int eventCount) {
        public Block {
            signers = List.copyOf(signers);
        }
    }

    /** An event of the job, proven to be in the final block {@code blockHash}; {@code event} is its encoding. */
    public record Event(long height, Hash blockHash, int index, int typeCode, byte[] event) {
        public Event {
            event = event.clone();
        }

        @Override
        public byte[] event() {
            return event.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Event e && height == e.height && blockHash.equals(e.blockHash) && index == e.index
                    && typeCode == e.typeCode && Arrays.equals(event, e.event);
        }

        @Override
        public int hashCode() {
            return Objects.hash(height, blockHash, index, typeCode, Arrays.hashCode(event));
        }

        @Override
        public String toString() {
            return "Event[height=" + height + ", index=" + index + ", typeCode=" + typeCode + ", event=" + Bytes.hex(event) + "]";
        }
    }

    /** A followed set change: after block {@code height} the set of hash {@code validatorSetHash} signs. */
    public record SetChange(long height, Hash blockHash, Hash validatorSetHash, int validators, long totalStake) {}

    public ReceiptVerification {
        if ((failed == null) != (reason == null)) {
            throw new IllegalArgumentException("a refusal has both a check and a reason; a valid receipt has neither");
        }
        blocks = List.copyOf(blocks);
        events = List.copyOf(events);
        setChanges = List.copyOf(setChanges);
    }

    static ReceiptVerification refused(ReceiptCheck check, String reason, String chainId, Hash job) {
        return new ReceiptVerification(Objects.requireNonNull(check), Objects.requireNonNull(reason), chainId, job, List.of(),
                List.of(), List.of(), 0);
    }

    /** True when every check held. */
    public boolean valid() {
        return failed == null;
    }
}
