package dev.verity.validator.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** Key and value layouts of the store. All integers are big-endian so byte order is numeric order. */
final class Keys {

    static final int HASH_LENGTH = 32;

    private Keys() {}

    static byte[] requireHash(byte[] hash, String what) {
        Objects.requireNonNull(hash, what);
        if (hash.length != HASH_LENGTH) {
            throw new IllegalArgumentException(what + " must be " + HASH_LENGTH + " bytes, was " + hash.length);
        }
        return hash;
    }

    static long requireHeight(long height) {
        if (height < 0) throw new IllegalArgumentException("negative height " + height);
        return height;
    }

    static byte[] u64(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    static long u64(byte[] bytes) {
        return ByteBuffer.wrap(bytes).getLong();
    }

    /** (height u64, index u32): key of {@code events}, value of {@code transactions}. */
    static byte[] position(long height, int index) {
        return ByteBuffer.allocate(12).putLong(height).putInt(index).array();
    }

    static long positionHeight(byte[] position) {
        return ByteBuffer.wrap(position, position.length - 12, 8).getLong();
    }

    static int positionIndex(byte[] position) {
        return ByteBuffer.wrap(position, position.length - 4, 4).getInt();
    }

    /**
     * Prefix of all {@code eventIndex} keys of one subject: subject length u16, then the subject. The length makes
     * subjects of different lengths unable to shadow one another under prefix iteration.
     */
    static byte[] subjectPrefix(byte[] subject) {
        return ByteBuffer.allocate(2 + subject.length).putShort((short) subject.length).put(subject).array();
    }

    /** {@code eventIndex} key: subject prefix, then (height u64, index u32). */
    static byte[] subjectPosition(byte[] subjectPrefix, long height, int index) {
        return ByteBuffer.allocate(subjectPrefix.length + 12).put(subjectPrefix).putLong(height).putInt(index).array();
    }

    /** {@code mempool} value: insertion sequence u64, then the tx bytes. */
    static byte[] mempoolEntry(long sequence, byte[] txBytes) {
        return ByteBuffer.allocate(8 + txBytes.length).putLong(sequence).put(txBytes).array();
    }

    static long mempoolSequence(byte[] entry) {
        return ByteBuffer.wrap(entry).getLong();
    }

    static byte[] mempoolTx(byte[] entry) {
        return Arrays.copyOfRange(entry, 8, entry.length);
    }

    /** {@code refusals} value: height u64, sequence u64, then the reason in UTF-8. */
    static byte[] refusalEntry(long height, long sequence, String reason) {
        byte[] text = utf8(reason);
        return ByteBuffer.allocate(16 + text.length).putLong(height).putLong(sequence).put(text).array();
    }

    static long refusalHeight(byte[] entry) {
        return ByteBuffer.wrap(entry).getLong();
    }

    static long refusalSequence(byte[] entry) {
        return ByteBuffer.wrap(entry, 8, 8).getLong();
    }

    static String refusalReason(byte[] entry) {
        return new String(entry, 16, entry.length - 16, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
