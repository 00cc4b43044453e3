package dev.verity.modelhub.lm.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class JaneAustenNovelsTest {
    private static List<String> lines(String text) {
        return Arrays.asList(text.split("\n", -1));
    }

    @Test
    void chaptersAreParagraphsOnOneLineWithoutFrontMatterOrMarkup() {
        List<CorpusDocument> chapters = JaneAustenNovels.chapters("emma", lines("""
                EMMA

                By Jane Austen

                VOLUME I

                CHAPTER I

                Emma Woodhouse, handsome, clever, and rich, with a comfortable home
                and happy disposition.  Between _them_ it was

                more the intimacy of sisters.

                          * * * * *

                CHAPTER II.

                [At this point in the first and second editions, Volume 1 ends.]

                VOLUME II

                [To Mrs. Weston.]

                FINIS
                """));
        assertThat(chapters).extracting(CorpusDocument::title).containsExactly("emma CHAPTER I", "emma CHAPTER II.");
        assertThat(chapters).extracting(CorpusDocument::source).containsOnly("r-cran-janeaustenr");
        assertThat(chapters.get(0).text()).isEqualTo("""
                Emma Woodhouse, handsome, clever, and rich, with a comfortable home and happy disposition. Between them it was
                more the intimacy of sisters.""");
        assertThat(chapters.get(1).text()).isEqualTo("[To Mrs. Weston.]");
    }

    @Test
    void anEditorialTrailerEndsTheNovel() {
        List<CorpusDocument> chapters = JaneAustenNovels.chapters("northangerabbey", lines("""
                Chapter 31
                reward filial disobedience.

                A NOTE ON THE TEXT

                Northanger Abbey was written in 1797-98 under a different title.
                """));
        assertThat(chapters).singleElement().extracting(CorpusDocument::text).isEqualTo("reward filial disobedience.");
    }

    @Test
    void aNovelWithoutChaptersOrWithAnEmptyChapterIsRefused() {
        assertThatThrownBy(() -> JaneAustenNovels.chapters("x", lines("Just a title\n")))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("no chapter heading");
        assertThatThrownBy(() -> JaneAustenNovels.chapters("x", lines("CHAPTER 1\n\nCHAPTER 2\ntext\n")))
                .isInstanceOf(CorpusFormatException.class).hasMessageContaining("CHAPTER 1 is empty");
    }
}
