package dev.verity.validator.storage;

import java.util.List;
import java.util.Objects;

/**
 * An event to store with a block: its encoded bytes and the subjects it concerns (for example a
 * 1-byte kind followed by a 32-byte job, node or account id). The event is listed under every
 * subject by {@link ChainStore#eventsFor}.
 */
public record EventWrite(byte[] bytes, List<byte[]> subjects) {

    /** Longest subject accepted, in bytes. */
    public static final int MAX_SUBJECT_LENGTH = 0xFFFF;

    public EventWrite {
        Objects.requireNonNull(bytes, "bytes");
        subjects = List.copyOf(subjects);
        for (byte[] subject : subjects) {
            if (subject.length == 0 || subject.length > MAX_SUBJECT_LENGTH) {
                throw new IllegalArgumentException("subject length must be 1.." + MAX_SUBJECT_LENGTH + ", was " + subject.length);
            }
        }
    }

    public static EventWrite of(byte[] bytes, byte[]... subjects) {
        return new EventWrite(bytes, List.of(subjects));
    }
}
