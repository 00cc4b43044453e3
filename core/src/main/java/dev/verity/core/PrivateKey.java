package dev.verity.core;

import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key made from a 32-byte seed. Seeds come from outside the pure core
 * (a secure random source in the SDK, or fixed bytes in golden vectors).
 */
public final class PrivateKey {
    private final byte[] seed;
    private final Ed25519PrivateKeyParameters params;
    private final PublicKey publicKey;

    private PrivateKey(byte[] seed) {
        this.seed = seed;
        this.params = new Ed25519PrivateKeyParameters(seed, 0);
        this.publicKey = PublicKey.wrap(params.generatePublicKey().getEncoded());
    }

    public static PrivateKey fromSeed(byte[] seed) {
        if (seed.length != 32) {
            throw new IllegalArgumentException("an Ed25519 seed is 32 bytes, got " + seed.length);
        }
        return new PrivateKey(seed.clone());
    }

    public static PrivateKey fromHex(String hex) {
        return fromSeed(HexFormat.of().parseHex(hex));
    }

    /** A key derived from a label; for golden vectors and tests only, never for real funds. */
    public static PrivateKey deterministic(String label) {
        return new PrivateKey(Sha256.digest(Bytes.utf8("verity-test-key:" + label)).bytes());
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public Signature sign(byte[] message) {
        byte[] sig = new byte[Signature.LENGTH];
        params.sign(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, sig, 0);
        return Signature.trusted(sig);
    }

    public String seedHex() {
        return HexFormat.of().formatHex(seed);
    }

    @Override
    public String toString() {
        return "PrivateKey(" + publicKey.hex() + ")";
    }
}
