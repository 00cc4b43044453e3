package dev.verity.modelhub.lm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Gpt2PreTokenizerTest {
    @Test
    void splitsAsGpt2() {
        // A whitespace run gives its last character to the word after it: "  end" is " " + " end", "\n\nI" is
        // "\n" + "\n" + "I".
        assertThat(Gpt2PreTokenizer.split("Hello world's  end\n\nI'll pay 1984 £s!?"))
                .containsExactly("Hello", " world", "'s", " ", " end", "\n", "\n", "I", "'ll", " pay", " 1984", " £", "s", "!?");
    }

    @Test
    void keepsEveryCharacterAndHandlesUnicodeWhitespaceAndLetters() {
        String text = "naïve café 日本語\u00A0x \uD83D\uDE00 ٣٤";
        assertThat(String.join("", Gpt2PreTokenizer.split(text))).isEqualTo(text);
        assertThat(Gpt2PreTokenizer.split("日本語\u00A0x")).containsExactly("日本語", "\u00A0", "x");
        assertThat(Gpt2PreTokenizer.split("")).isEmpty();
        assertThat(Gpt2PreTokenizer.split("   ")).containsExactly("   ");
    }
}
