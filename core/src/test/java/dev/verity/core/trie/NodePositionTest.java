package dev.verity.core.trie;

import static dev.verity.core.trie.TrieTesting.h;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.core.Bytes;
import dev.verity.core.DecodingException;
import dev.verity.core.Hash;
import org.junit.jupiter.api.Test;

class NodePositionTest {

    @Test
    void keysAreTheDepthThenThePrefixWithUnusedBitsZero() {
        Hash path = Hash.fromHex("ff" + "a5".repeat(31));
        assertThat(Bytes.hex(NodePosition.ROOT.key())).isEqualTo("0000");
        assertThat(Bytes.hex(NodePosition.of(path, 0).key())).isEqualTo("0000");
        assertThat(Bytes.hex(NodePosition.of(path, 1).key())).isEqualTo("000180");
        assertThat(Bytes.hex(NodePosition.of(path, 8).key())).isEqualTo("0008ff");
        assertThat(Bytes.hex(NodePosition.of(path, 11).key())).isEqualTo("000bffa0");
        assertThat(Bytes.hex(NodePosition.of(path, 256).key())).isEqualTo("0100" + path.hex());
    }

    @Test
    void everyDepthMatchesTheReferenceAndReadsBack() {
        Hash path = h("path");
        for (int d = 0; d <= 256; d++) {
            NodePosition p = NodePosition.of(path, d);
            assertThat(p.key()).isEqualTo(ReferenceTrie.position(path.bytes(), d));
            assertThat(NodePosition.fromKey(p.key())).isEqualTo(p);
            assertThat(p.depth()).isEqualTo(d);
        }
    }

    @Test
    void malformedPositionsAreRefused() {
        assertThatThrownBy(() -> new NodePosition(257, new byte[33])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodePosition(3, new byte[] {(byte) 0x10})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodePosition(9, new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodePosition.fromKey(new byte[] {0})).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> NodePosition.fromKey(Bytes.fromHex("000301"))).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> NodePosition.fromKey(Bytes.fromHex("0003"))).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> NodePosition.fromKey(Bytes.fromHex("0101" + "00".repeat(33)))).isInstanceOf(DecodingException.class);
    }

    @Test
    void valueSemantics() {
        byte[] prefix = {(byte) 0x80};
        NodePosition p = new NodePosition(1, prefix);
        prefix[0] = 0;
        assertThat(p).isEqualTo(new NodePosition(1, new byte[] {(byte) 0x80})).hasSameHashCodeAs(new NodePosition(1, new byte[] {(byte) 0x80}));
        assertThat(p.toString()).isEqualTo("1:80");
    }
}
