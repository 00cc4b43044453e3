package dev.verity.modelhub.lm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ByteLevelAlphabetTest {
    @Test
    void matchesGpt2sMapping() {
        assertThat(ByteLevelAlphabet.charOf(' ')).isEqualTo('Ġ');
        assertThat(ByteLevelAlphabet.charOf('\n')).isEqualTo('Ċ');
        assertThat(ByteLevelAlphabet.charOf(0)).isEqualTo('\u0100');
        assertThat(ByteLevelAlphabet.charOf('A')).isEqualTo('A');
        assertThat(ByteLevelAlphabet.charOf(0xE9)).isEqualTo('é');
        assertThat(ByteLevelAlphabet.charOf(0xAD)).isEqualTo('\u0143'); // the soft hyphen is not printable
        assertThat(ByteLevelAlphabet.encode("héllo world")).isEqualTo("hÃ©lloĠworld");
    }

    @Test
    void isABijectionOnBytes() {
        Set<Character> seen = new HashSet<>();
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            seen.add(ByteLevelAlphabet.charOf(b));
            assertThat(ByteLevelAlphabet.byteOf(ByteLevelAlphabet.charOf(b))).isEqualTo(b);
            all[b] = (byte) b;
        }
        assertThat(seen).hasSize(256);
        assertThat(ByteLevelAlphabet.decode(ByteLevelAlphabet.encode(all))).isEqualTo(all);
        assertThatThrownBy(() -> ByteLevelAlphabet.decode("a b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0020 at 1");
    }
}
