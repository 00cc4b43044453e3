package dev.verity.modelhub.lm.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KingJamesBibleTest {
    private static final String TEXT = """
            Holy Bible, Authorized (King James) Version.  Textfile 930105.
            Ge1:1 In the beginning God created the heaven and the earth.
            Ge1:2 And the earth was without form, and void;  and darkness was upon the face of the deep.
            Ge2:1 Thus the heavens and the earth were finished, and all the host of them.
            1Sm1:1 Now there was a certain man of Ramathaimzophim.
            Rev22:21 The grace of our Lord Jesus Christ be with you all. Amen.
            """;

    @Test
    void oneDocumentPerChapterWithoutReferences() {
        List<CorpusDocument> chapters = KingJamesBible.chapters(TEXT);
        assertThat(chapters).extracting(CorpusDocument::title).containsExactly("Ge 1", "Ge 2", "1Sm 1", "Rev 22");
        assertThat(chapters).extracting(CorpusDocument::source).containsOnly("bible-kjv-text");
        assertThat(chapters.getFirst().text()).isEqualTo("""
                In the beginning God created the heaven and the earth.
                And the earth was without form, and void; and darkness was upon the face of the deep.""");
        assertThat(chapters.get(2).text()).isEqualTo("Now there was a certain man of Ramathaimzophim.");
    }

    @Test
    void aLineThatIsNotAVerseIsRefused() {
        assertThatThrownBy(() -> KingJamesBible.chapters("Ge1:1 In the beginning.\nsomething else\n"))
                .isInstanceOf(CorpusFormatException.class)
                .hasMessageContaining("line 2 is not a verse");
        assertThatThrownBy(() -> KingJamesBible.chapters("\n"))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("no verses");
    }
}
