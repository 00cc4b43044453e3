package dev.verity.gateway.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verity.gateway.testing.ByteLevelTestTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerTextTest {
    static final ByteLevelTestTokenizer TOKENIZER = new ByteLevelTestTokenizer();

    static List<String> pieces(AnswerText text, int... ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(text.accept(id));
        }
        out.add(text.finish());
        return out;
    }

    static int[] concat(int[] a, int... b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void aMultiByteCharacterComesOutWhenItsLastByteArrives() {
        AnswerText text = new AnswerText(TOKENIZER.newDetokenizer(), new int[0], List.of());

        assertThat(pieces(text, TOKENIZER.encode("é€"))).containsExactly("", "é", "", "", "€", "");
    }

    @Test
    void anEndOfTurnTokenEndsTheTextAndIsNotShown() {
        AnswerText text = new AnswerText(TOKENIZER.newDetokenizer(), new int[] {ByteLevelTestTokenizer.IM_END}, List.of());

        assertThat(String.join("", pieces(text, concat(TOKENIZER.encode("ok"), ByteLevelTestTokenizer.IM_END, 3 + 'x'))))
                .isEqualTo("ok");
    }

    @Test
    void anUnfinishedCharacterAtTheEndIsAReplacementCharacter() {
        byte[] euro = "€".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AnswerText text = new AnswerText(TOKENIZER.newDetokenizer(), new int[0], List.of());

        assertThat(pieces(text, 3 + 'a', 3 + (euro[0] & 0xFF), 3 + (euro[1] & 0xFF))).containsExactly("a", "", "", "\uFFFD");
    }

    @Test
    void aStopStringSpanningTokensAndCharactersIsCut() {
        AnswerText text = new AnswerText(TOKENIZER.newDetokenizer(), new int[0], List.of("é!"));

        assertThat(String.join("", pieces(text, TOKENIZER.encode("caféé! no")))).isEqualTo("café");
        assertThat(text.cutAtStopString()).isTrue();
    }
}
