package dev.verity.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PublicKeyTest {
    private final PrivateKey key = PrivateKey.deterministic("alice");
    private final byte[] message = Bytes.utf8("pay 10 to bob");

    @Test
    void aSignatureVerifiesOnlyForItsKeyAndMessage() {
        Signature sig = key.sign(message);
        assertThat(key.publicKey().verify(message, sig)).isTrue();
        assertThat(PrivateKey.deterministic("bob").publicKey().verify(message, sig)).isFalse();
        assertThat(key.publicKey().verify(Bytes.utf8("pay 11 to bob"), sig)).isFalse();
        byte[] flipped = sig.bytes();
        flipped[5] ^= 1;
        assertThat(key.publicKey().verify(message, Signature.wrap(flipped))).isFalse();
    }

    @Test
    void signingIsDeterministicPerRfc8032() {
        assertThat(key.sign(message)).isEqualTo(key.sign(message));
        assertThat(PrivateKey.fromSeed(HexFormat.of().parseHex(key.seedHex())).publicKey()).isEqualTo(key.publicKey());
    }

    @Test
    void smallOrderKeysNeverVerifyEvenTriviallyForgedSignatures() {
        // With the neutral element as public key, R = B and S = 1 satisfy [S]B = R + [k]A for any message.
        byte[] neutral = new byte[32];
        neutral[0] = 1;
        byte[] forged = new byte[64];
        System.arraycopy(HexFormat.of().parseHex("5866666666666666666666666666666666666666666666666666666666666666"), 0, forged, 0, 32);
        forged[32] = 1;
        assertThat(PublicKey.wrap(neutral).verify(message, Signature.wrap(forged))).isFalse();
        for (String smallOrder : new String[] {
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            "0000000000000000000000000000000000000000000000000000000000000080"}) {
            assertThat(PublicKey.fromHex(smallOrder).verify(message, Signature.wrap(forged))).as(smallOrder).isFalse();
        }
    }

    @Test
    void keysThatAreNotCurvePointsAreRefusedQuietly() {
        byte[] notAPoint = new byte[32];
        notAPoint[0] = 2; // y = 2 has no x on the curve
        assertThat(PublicKey.wrap(notAPoint).verify(message, key.sign(message))).isFalse();
    }

    @Test
    void wrongLengthsAreRejected() {
        assertThatThrownBy(() -> PublicKey.wrap(new byte[31])).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> Signature.wrap(new byte[63])).hasMessageContaining("64 bytes");
        assertThatThrownBy(() -> PublicKey.fromHex("zz")).hasMessageContaining("64 hex");
    }
}
