package dev.verity.validator.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/** Test helpers: readable byte strings, 32-byte hashes, minimal commits. */
final class TestBytes {

    private TestBytes() {}

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] hash(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b(s));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A subject key: a 1-byte kind, then a 32-byte id. */
    static byte[] subject(int kind, String id) {
        byte[] subject = new byte[33];
        subject[0] = (byte) kind;
        System.arraycopy(hash(id), 0, subject, 1, 32);
        return subject;
    }

    static List<String> strings(List<byte[]> values) {
        return values.stream().map(TestBytes::s).toList();
    }

    static BlockCommit emptyBlock(long height) {
        return new BlockCommit(height, hash("block" + height), b("block" + height), List.of(), Map.of(), List.of(), null);
    }
}
