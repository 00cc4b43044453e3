package dev.verity.modelhub.lm.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorpusSplitTest {
    private static List<CorpusDocument> documents(String source, int count) {
        List<CorpusDocument> documents = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            documents.add(new CorpusDocument(source, source + " " + i, "text " + i));
        }
        return documents;
    }

    @Test
    void everyTwentiethChapterOfEachSourceIsHeldOut() {
        List<CorpusDocument> all = new ArrayList<>(documents("a", 45));
        all.addAll(documents("b", 25));
        CorpusSplit split = CorpusSplit.of(all);
        assertThat(split.heldOut()).extracting(CorpusDocument::title).containsExactly("a 20", "a 40", "b 20");
        assertThat(split.training()).hasSize(67);
        assertThat(split.training().getFirst().title()).isEqualTo("a 1");
        assertThat(CorpusSplit.of(all)).isEqualTo(split);
    }

    @Test
    void documentsAreSeparatedByAnEmptyLine() {
        List<CorpusDocument> two = List.of(new CorpusDocument("a", "1", "first\nverse"), new CorpusDocument("a", "2", "second"));
        assertThat(CorpusSplit.text(two)).isEqualTo("first\nverse\n\nsecond\n");
        assertThat(CorpusSplit.text(List.of())).isEmpty();
    }

    @Test
    void sizesCountBytesCodePointsAndWords() {
        assertThat(TextStatistics.of("naïve café\n  £5 ")).isEqualTo(new TextStatistics(19, 16, 3));
        assertThat(TextStatistics.of("")).isEqualTo(TextStatistics.EMPTY);
    }
}
