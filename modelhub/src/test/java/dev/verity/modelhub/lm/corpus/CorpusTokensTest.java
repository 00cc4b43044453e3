package dev.verity.modelhub.lm.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CorpusTokensTest {
    @Test
    void windowsStartEvenlyFromTheFirstTokenToTheLastWindow() {
        int[] stream = IntStream.range(0, 10).toArray();
        assertThat(CorpusTokens.windows(stream, 3, 4)).containsExactly(new int[] {0, 1, 2, 3}, new int[] {3, 4, 5, 6},
                new int[] {6, 7, 8, 9});
        assertThat(CorpusTokens.windows(stream, 1, 10)).containsExactly(stream);
        assertThatThrownBy(() -> CorpusTokens.windows(stream, 1, 11)).isInstanceOf(IllegalArgumentException.class);
    }
}
