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
}
