package dev.verity.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ByteKeyTest {

    @Test
    void equalityAndHashAreByContent() {
        Map<ByteKey, String> map = new HashMap<>();
        map.put(ByteKey.of(new byte[] {1, 2, 3}), "x");

        assertThat(map).containsKey(ByteKey.of(new byte[] {1, 2, 3}));
        assertThat(ByteKey.of(new byte[] {1, 2})).isNotEqualTo(ByteKey.of(new byte[] {1, 2, 3}));
    }

    @Test
    void ordersUnsignedLexicographically() {
        ByteKey low = ByteKey.of(new byte[] {0x01});
        ByteKey high = ByteKey.of(new byte[] {(byte) 0xFF});
        ByteKey lowLonger = ByteKey.of(new byte[] {0x01, 0x00});

        assertThat(low).isLessThan(high);
        assertThat(low).isLessThan(lowLonger);
        assertThat(lowLonger).isLessThan(high);
    }

    @Test
    void isImmutable() {
        byte[] bytes = {1, 2, 3};
        ByteKey key = ByteKey.of(bytes);
        bytes[0] = 9;
        key.bytes()[1] = 9;

        assertThat(key.bytes()).containsExactly(1, 2, 3);
        assertThat(key).hasToString("010203");
    }

    @Test
    void wrapSharesTheArrayAndRawExposesIt() {
        byte[] bytes = {4, 5, 6};
        ByteKey key = ByteKey.wrap(bytes);

        assertThat(key.raw()).isSameAs(bytes);
        assertThat(key).isEqualTo(ByteKey.of(new byte[] {4, 5, 6}));
        assertThat(key.hashCode()).isEqualTo(ByteKey.of(new byte[] {4, 5, 6}).hashCode());
    }

    /** Arrays.hashCode gives [a, b] and [a + 1, b - 31] one hash; trie positions are short keys of exactly that kind. */
    @Test
    void shortKeysThatArraysHashCodeConfusesHashApart() {
        byte[] a = {0, 20, 10, 40, 0};
        byte[] b = {0, 20, 11, 9, 0};
        assertThat(java.util.Arrays.hashCode(a)).isEqualTo(java.util.Arrays.hashCode(b));

        assertThat(ByteKey.of(a).hashCode()).isNotEqualTo(ByteKey.of(b).hashCode());
    }

    @Test
    void positionLikeKeysSpreadOverAHashTable() {
        // Every 3-byte prefix position at depths 17 to 24, as the state trie stores them: 2 depth bytes, 3 prefix bytes.
        java.util.Set<Integer> hashes = new java.util.HashSet<>();
        int keys = 0;
        for (int depth = 17; depth <= 24; depth++) {
            for (int p = 0; p < 4096; p++) {
                byte[] k = {0, (byte) depth, (byte) (p >>> 4), (byte) (p << 4), (byte) (p * 37 & 0xE0)};
                hashes.add(ByteKey.of(k).hashCode());
                keys++;
            }
        }
        assertThat(hashes.size()).isGreaterThan(keys * 99 / 100);
    }
}
