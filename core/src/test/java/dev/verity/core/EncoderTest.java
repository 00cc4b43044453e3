package dev.verity.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class EncoderTest {

    @Test
    void aFullBufferHandedOutIsNeverWrittenAgain() {
        Encoder e = new Encoder(16);
        byte[] sixteen = new byte[16];
        java.util.Arrays.fill(sixteen, (byte) 7);
        byte[] out = e.fixed(sixteen).toByteArray();

        e.u8(1);
        e.reset().fixed(new byte[16]);

        assertThat(out).containsOnly((byte) 7).hasSize(16);
        assertThat(e.toByteArray()).containsOnly((byte) 0).hasSize(16);
    }

    @Test
    void resetStartsAnEmptyEncodingOverTheSameBuffer() {
        Encoder e = new Encoder(64);
        e.u32(1).u32(2);
        assertThat(e.reset().u8(9).toByteArray()).containsExactly(9);
    }

    @Test
    void digestIntoHashesWhatWasWritten() {
        Encoder e = new Encoder(64).string("verity").u64(42);
        MessageDigest md = Sha256.newDigest();
        e.digestInto(md);

        assertThat(Sha256.finish(md)).isEqualTo(Sha256.digest(e.toByteArray()));
    }

    @Test
    void aMerkleLeafFromAnEncoderEqualsOneFromItsBytes() {
        Encoder e = new Encoder(8).string("an event long enough to grow the buffer");
        assertThat(Merkle.leaf(Sha256.newDigest(), e)).isEqualTo(Merkle.leaf(e.toByteArray()));
    }
}
