package dev.verity.modelhub.lm.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BpeTrainerTest {
    static final String TEXT = """
            In the beginning God created the heaven and the earth.
            And the earth was without form, and void; and darkness was upon the face of the deep.
            It is a truth universally acknowledged, that a single man in possession of a good fortune,
            must be in want of a wife. Emma Woodhouse, handsome, clever, and rich, with a comfortable home.
            """;

    @Test
    void learnsTheMostFrequentPairFirst() {
        BpeVocabulary v = BpeTrainer.train("ab ab ab cd", 3 + 256 + 1, SpecialTokens.ALL);
        assertThat(v.merges()).singleElement().isEqualTo(new BpeVocabulary.Merge(v.byteTokenId('a'), v.byteTokenId('b')));
        assertThat(v.tokens().get(259)).isEqualTo("ab");
        assertThat(v.tokens().subList(0, 3)).containsExactly("<|endoftext|>", "<|im_start|>", "<|im_end|>");
        assertThat(v.tokens().get(3 + ' ')).isEqualTo("Ġ");
    }

    @Test
    void breaksTiesByTheSmallerIds() {
        // "cd" and "ab" occur equally often: 'a' has the smaller id, so "ab" comes first.
        BpeVocabulary v = BpeTrainer.train("cd\nab", 3 + 256 + 1, SpecialTokens.ALL);
        assertThat(v.tokens().get(259)).isEqualTo("ab");
    }

    @Test
    void buildsOnEarlierMergesAndStopsWhenNoPairIsLeft() {
        BpeVocabulary v = BpeTrainer.train("aaaa", 1000, List.of());
        // aaaa -> (aa)(aa) -> (aaaa): two merges, then every word is one token.
        assertThat(v.tokens().subList(256, v.size())).containsExactly("aa", "aaaa");
        assertThat(v.size()).isEqualTo(258);
    }

    @Test
    void isDeterministicAndFillsTheRequestedSize() {
        BpeVocabulary first = BpeTrainer.train(TEXT, 300, SpecialTokens.ALL);
        assertThat(first.size()).isEqualTo(300);
        assertThat(TokenizerJson.write(BpeTrainer.train(TEXT, 300, SpecialTokens.ALL))).isEqualTo(TokenizerJson.write(first));
        assertThat(first.tokens()).doesNotHaveDuplicates();
    }

    @Test
    void refusesASizeBelowTheFixedTokens() {
        assertThatThrownBy(() -> BpeTrainer.train(TEXT, 258, SpecialTokens.ALL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("below the 259 tokens");
    }

    @Test
    void theEncoderReproducesTheTrainingSegmentation() {
        BpeVocabulary v = BpeTrainer.train(TEXT, 400, SpecialTokens.ALL);
        BpeEncoder encoder = new BpeEncoder(v);
        int[] ids = encoder.encode(TEXT);
        assertThat(encoder.decode(ids)).isEqualTo(TEXT);
        assertThat(ids.length).isLessThan(TEXT.length() / 2);
        assertThat(encoder.encode("the<|endoftext|>")).endsWith(0);
    }

    @Test
    void tokenizerJsonReadsBackWhatItWrote() {
        BpeVocabulary v = BpeTrainer.train(TEXT, 320, SpecialTokens.ALL);
        assertThat(TokenizerJson.read(TokenizerJson.write(v))).isEqualTo(v);
        assertThatThrownBy(() -> TokenizerJson.read("{\"added_tokens\": []}"))
                .isInstanceOf(TokenizerFileException.class).hasMessageContaining("not a byte-level BPE tokenizer.json");
    }
}
