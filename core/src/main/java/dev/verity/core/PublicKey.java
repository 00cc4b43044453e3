package dev.verity.core;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** An Ed25519 public key (32 bytes). Account, node and enclave identities are public keys. */
public final class PublicKey implements Comparable<PublicKey> {
    public static final int LENGTH = 32;

    private final byte[] bytes;
    private final int hashCode;
    private volatile Ed25519PublicKeyParameters parsed;

    private PublicKey(byte[] bytes) {
        this.bytes = bytes;
        this.hashCode = Arrays.hashCode(bytes);
    }

    public static PublicKey wrap(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + bytes.length);
        }
        return new PublicKey(bytes.clone());
    }

    public static PublicKey fromHex(String hex) {
        if (hex == null || hex.length() != LENGTH * 2) {
            throw new IllegalArgumentException("a public key is 64 hex characters, got: " + hex);
        }
        try {
            return new PublicKey(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hex public key: " + hex);
        }
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Checks an Ed25519 signature; false (never an exception) for any malformed key or signature.
     * The key must decode to a curve point that is not of small order (the check libsodium makes);
     * the full prime-order check would cost as much as the verification itself and protects nothing
     * here, since every validator runs this same code.
     */
    public boolean verify(byte[] message, Signature signature) {
        Ed25519PublicKeyParameters key = parsed;
        if (key == null) {
            if (!Ed25519.validatePublicKeyPartial(bytes, 0)) {
                return false;
            }
            key = new Ed25519PublicKeyParameters(bytes, 0);
            parsed = key;
        }
        return key.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature.rawBytes(), 0);
    }

    @Override
    public int compareTo(PublicKey o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hashCode;
    }

    @Override
    public String toString() {
        return hex();
    }
}
