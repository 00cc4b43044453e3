package dev.verity.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the one hash function of the protocol. */
public final class Sha256 {
    private Sha256() {}

    public static Hash digest(byte[] data) {
        return Hash.trusted(newDigest().digest(data));
    }

    /** Hash of the concatenation of the parts, without building the concatenation. */
    public static Hash digest(byte[]... parts) {
        MessageDigest md = newDigest();
        for (byte[] p : parts) {
            md.update(p);
        }
        return Hash.trusted(md.digest());
    }

    /** A fresh SHA-256 digest, cloned from a never-used prototype (cheaper than a provider lookup). */
    public static MessageDigest newDigest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp();
        }
    }

    private static final MessageDigest PROTOTYPE = lookUp();

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    public static Hash finish(MessageDigest md) {
        return Hash.trusted(md.digest());
    }

    /** The hash of {@code data} with {@code md}, a digest the caller reuses (it is left reset). */
    public static Hash finish(MessageDigest md, byte[] data) {
        return Hash.trusted(md.digest(data));
    }
}
