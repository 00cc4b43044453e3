package dev.verity.receipt;

import static dev.verity.receipt.ReceiptVerifierTest.A;
import static dev.verity.receipt.ReceiptVerifierTest.TRUST_A;
import static dev.verity.receipt.ReceiptVerifierTest.V1;
import static dev.verity.receipt.ReceiptVerifierTest.V2;
import static dev.verity.receipt.ReceiptVerifierTest.V3;
import static dev.verity.receipt.TestChain.CHAIN;
import static dev.verity.receipt.TestChain.JOB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Bytes;
import dev.verity.core.DecodingException;
import dev.verity.core.Encoder;
import dev.verity.core.Hash;
import dev.verity.core.Sha256;
import dev.verity.core.trie.TrieProof;
import dev.verity.protocol.state.StateProof;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The receipt's bytes: one encoding per receipt, and every malformed input refused before it costs memory. */
class JobReceiptCodecTest {
    /** Bytes of the magic, version, chain id and job id. */
    static final int PREFIX = 5 + 1 + 4 + CHAIN.length() + Hash.LENGTH;

    static JobReceipt receipt() {
        return ReceiptVerifierTest.changingReceipt(ReceiptVerifierTest.changingChain());
    }

    @Test
    void everyTruncationAndTrailingBytesAreRefused() {
        byte[] bytes = receipt().encode();
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThatThrownBy(() -> JobReceipt.decode(cut)).as("first %d bytes", n).isInstanceOf(DecodingException.class);
            ReceiptVerification v = ReceiptVerifier.verify(cut, TRUST_A);
            assertThat(v.failed()).isEqualTo(ReceiptCheck.FORMAT);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> JobReceipt.decode(longer)).isInstanceOf(DecodingException.class)
                .hasMessageContaining("1 unexpected trailing bytes");
        assertThat(ReceiptVerifier.verify(longer, TRUST_A).reason()).startsWith("the receipt does not decode: ");
    }

    @Test
    void anotherMagicOrVersionIsRefused() {
        byte[] bytes = receipt().encode();
        byte[] magic = bytes.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> JobReceipt.decode(magic)).hasMessageContaining("not a Verity job receipt");
        byte[] version = bytes.clone();
        version[5] = 2;
        assertThatThrownBy(() -> JobReceipt.decode(version)).hasMessageContaining("receipt version 2");
    }

    @Test
    void oversizedCountsAndLengthsAreRefusedBeforeAnythingIsAllocated() {
        JobReceipt r = receipt();
        byte[] bytes = r.encode();
        CertifiedBlock first = r.blocks().getFirst();
        int blockCountAt = PREFIX;
        int signerCountAt = blockCountAt + 4 + headerSize(first) + first.certificate().encode().length
                - first.certificate().signers().size() * 96 - 4;
        int eventCountAt = blockCountAt + 4 + headerSize(first) + first.certificate().encode().length;
        int eventsAt = eventCountAt + 4;
        int firstEventLengthAt = eventsAt + 4 + 4;
        int firstPathAt = firstEventLengthAt + 4 + first.events().getFirst().event().length;
        assertThat(u32(bytes, eventsAt)).isEqualTo(first.events().size());
        assertThat(u32(bytes, firstPathAt)).isEqualTo(first.events().getFirst().path().size());

        assertRefused(with(bytes, blockCountAt, 0xFFFF_FFFFL), "blocks has 4294967295 items, more than the limit of 1024");
        assertRefused(with(bytes, blockCountAt, 1025), "more than the limit of 1024");
        assertRefused(with(bytes, signerCountAt, 0x7FFF_FFFF), "signatures has 2147483647 items, more than the limit of 256");
        assertRefused(with(bytes, eventCountAt, 0x8000_0000L), "event count 2147483648 is out of range");
        assertRefused(with(bytes, eventCountAt, 0), "event count 0 is out of range");
        assertRefused(with(bytes, eventsAt, 1025), "events has 1025 items, more than the limit of 1024");
        assertRefused(with(bytes, firstEventLengthAt, 0x7FFF_FFFF), "event is 2147483647 bytes, more than the limit of 8192");
        assertRefused(with(bytes, firstPathAt, 33), "event path has 33 items, more than the limit of 32");

        // Counts within their limits that the bytes do not hold end at the first missing byte.
        Encoder e = new Encoder();
        e.fixed(JobReceipt.MAGIC).u8(1).string(CHAIN).hash(JOB).u32(JobReceipt.MAX_BLOCKS);
        assertRefused(e.toByteArray(), "truncated input");
    }

    private static int headerSize(CertifiedBlock b) {
        Encoder e = new Encoder();
        b.header().encode(e);
        return e.size();
    }

    private static long u32(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 4).getInt() & 0xFFFF_FFFFL;
    }

    private static byte[] with(byte[] bytes, int at, long value) {
        byte[] out = bytes.clone();
        ByteBuffer.wrap(out, at, 4).putInt((int) value);
        return out;
    }

    private static void assertRefused(byte[] bytes, String message) {
        assertThatThrownBy(() -> JobReceipt.decode(bytes)).isInstanceOf(DecodingException.class).hasMessageContaining(message);
    }

    @Test
    void blocksEventsOrChangesOutOfOrderAreRefused() {
        TestChain c = ReceiptVerifierTest.plainChain();
        CertifiedBlock b1 = c.certified(1, JOB, A, V1, V2, V3);
        CertifiedBlock b3 = c.certified(3, JOB, A, V1, V2, V3);
        byte[] one = blockBytes(b1);
        byte[] three = blockBytes(b3);
        Encoder e = new Encoder();
        e.fixed(JobReceipt.MAGIC).u8(1).string(CHAIN).hash(JOB).u32(2).fixed(three).fixed(one).u32(0);
        assertRefused(e.toByteArray(), "in height order; block 1 is out of order or repeated");

        List<ReceiptEvent> reversed = new ArrayList<>(b3.events());
        Collections.reverse(reversed);
        assertThatThrownBy(() -> new CertifiedBlock(b3.header(), b3.certificate(), b3.eventCount(), reversed))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in index order");
        assertThatThrownBy(() -> new CertifiedBlock(b3.header(), b3.certificate(), 3, b3.events()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside its 3 events");

        ValidatorSetChange change = ReceiptVerifierTest.changeAt2(ReceiptVerifierTest.changingChain());
        assertThatThrownBy(() -> new JobReceipt(CHAIN, JOB, List.of(b1), List.of(change, change)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of order or repeated");
    }

    /** A block's bytes as a receipt encodes it. */
    private static byte[] blockBytes(CertifiedBlock b) {
        byte[] single = new JobReceipt(CHAIN, JOB, List.of(b), List.of()).encode();
        return Arrays.copyOfRange(single, PREFIX + 4, single.length - 4);
    }

    @Test
    void theLongestTrieProofFitsItsLimitExactly() {
        List<Hash> siblings = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            siblings.add(Sha256.digest(Bytes.utf8("sibling " + i)));
        }
        TrieProof longest = new TrieProof(siblings, new TrieProof.Leaf(Hash.ZERO, Hash.ZERO));
        assertThat(longest.encode()).hasSize(JobReceipt.MAX_TRIE_PROOF_BYTES);
    }

    @Test
    void helpersRefuseWhatIsNotTheBlocksOrTheSetRow() {
        TestChain c = ReceiptVerifierTest.plainChain();
        assertThatThrownBy(() -> CertifiedBlock.of(c.header(1), TestChain.certify(c.header(1), A, V1, V2, V3), c.events(3), JOB))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not hash to its events root");
        assertThatThrownBy(() -> CertifiedBlock.of(c.header(2), TestChain.certify(c.header(2), A, V1, V2, V3), c.events(2), JOB))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no event of job");

        StateProof setRow = c.setProof(3);
        assertThat(ValidatorSetChange.of(c.header(3), TestChain.certify(c.header(3), A, V1, V2, V3), setRow).set()).isEqualTo(A);
        assertThatThrownBy(() -> ValidatorSetChange.of(c.header(1), TestChain.certify(c.header(1), A, V1), setRow))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not block 1's");
        StateProof otherRow = new StateProof(setRow.root(), Bytes.utf8("another row"), setRow.value(), setRow.proof());
        assertThatThrownBy(() -> ValidatorSetChange.of(c.header(3), TestChain.certify(c.header(3), A, V1), otherRow))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not another row");
    }
}
