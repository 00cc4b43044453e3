package dev.verity.validator.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** Key and value layouts of the store. All integers are big-endian so byte order is numeric order. */
final class Keys {

    static final int HASH_LENGTH = 32;

    /** Opens a {@code refusals} entry that keeps the reject code and the message apart. */
    private static final byte REFUSAL_FIELDS = (byte) 0xFF;

    /** The code of an older refusal entry whose text does not start with one (none was written so). */
    static final String LEGACY_UNKNOWN_CODE = "REFUSED";

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

    /**
     * {@code refusals} value: height u64, sequence u64, the marker byte 0xFF, the reject code (u8 length, ASCII),
     * then the message in UTF-8. Entries written before refusals kept the code apart hold the text
     * {@code "CODE: message"} after the sequence instead; 0xFF never starts UTF-8, so the marker tells them apart.
     */
    static byte[] refusalEntry(long height, long sequence, String code, String message) {
        byte[] c = utf8(code);
        byte[] m = utf8(message);
        return ByteBuffer.allocate(16 + 2 + c.length + m.length).putLong(height).putLong(sequence).put(REFUSAL_FIELDS)
                .put((byte) c.length).put(c).put(m).array();
    }

    static long refusalHeight(byte[] entry) {
        return ByteBuffer.wrap(entry).getLong();
    }

    static long refusalSequence(byte[] entry) {
        return ByteBuffer.wrap(entry, 8, 8).getLong();
    }

    /** The refusal a {@code refusals} entry holds, of either layout. */
    static StoredRefusal refusal(byte[] txHash, byte[] entry) {
        long height = refusalHeight(entry);
        if (entry.length > 17 && entry[16] == REFUSAL_FIELDS) {
            int length = entry[17] & 0xFF;
            String code = new String(entry, 18, length, StandardCharsets.US_ASCII);
            int from = 18 + length;
            return new StoredRefusal(txHash, height, code, new String(entry, from, entry.length - from, StandardCharsets.UTF_8));
        }
        // The older layout, written only by earlier versions as code + ": " + message.
        String text = new String(entry, 16, entry.length - 16, StandardCharsets.UTF_8);
        int colon = text.indexOf(": ");
        return colon > 0 && colon <= StoredRefusal.MAX_CODE_BYTES && text.substring(0, colon).matches("[A-Z][A-Z0-9_]*")
                ? new StoredRefusal(txHash, height, text.substring(0, colon), text.substring(colon + 2))
                : new StoredRefusal(txHash, height, LEGACY_UNKNOWN_CODE, text);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
