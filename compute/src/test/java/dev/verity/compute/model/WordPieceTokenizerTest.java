package dev.verity.compute.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Expectations derived from the bundled MiniLM vocabulary (bert-base-uncased). */
class WordPieceTokenizerTest {
    private static final long CLS = 101;
    private static final long SEP = 102;

    private static WordPieceTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = WordPieceTokenizer.load(new ByteArrayInputStream(OnnxTestModels.miniLmTokenizer()));
    }

    @Test
    void readsVocabularyAndSpecialTokens() {
        assertThat(tokenizer.vocabularySize()).isEqualTo(30522);
        assertThat(tokenizer.tokenId("[CLS]")).isEqualTo(101);
        assertThat(tokenizer.tokenId("[SEP]")).isEqualTo(102);
        assertThat(tokenizer.tokenId("[UNK]")).isEqualTo(100);
        assertThat(tokenizer.padId()).isZero();
        assertThat(tokenizer.token(7592)).isEqualTo("hello");
    }

    @Test
    void encodesHelloWorld() {
        WordPieceTokenizer.Encoding e = tokenizer.encode("hello world", 256);
        assertThat(e.inputIds()).containsExactly(CLS, 7592, 2088, SEP);
        assertThat(e.attentionMask()).containsExactly(1, 1, 1, 1);
        assertThat(e.tokenTypeIds()).containsExactly(0, 0, 0, 0);
        assertThat(tokenizer.encode("  Hello \t\n WORLD  ", 256)).isEqualTo(e);
    }

    @Test
    void splitsUnknownWordsIntoContinuationPieces() {
        assertThat(tokenizer.tokenize("tokenization")).containsExactly("token", "##ization");
        assertThat(tokenizer.tokenize("Embeddings")).containsExactly("em", "##bed", "##ding", "##s");
        assertThat(tokenizer.encode("tokenization", 16).inputIds()).containsExactly(CLS, 19204, 3989, SEP);
    }

    @Test
    void splitsPunctuation() {
        assertThat(tokenizer.tokenize("Hello, world!")).containsExactly("hello", ",", "world", "!");
        assertThat(tokenizer.encode("Hello, world!", 16).inputIds()).containsExactly(CLS, 7592, 1010, 2088, 999, SEP);
        assertThat(tokenizer.tokenize("a$b")).containsExactly("a", "$", "b"); // all ASCII symbols count
        // Text that looks like a special token is plain text.
        assertThat(tokenizer.tokenize("[SEP]")).containsExactly("[", "sep", "]");
    }

    @Test
    void lowercasesAndStripsAccents() {
        assertThat(tokenizer.tokenize("Café NAÏVE")).containsExactly("cafe", "naive");
        // Decomposed input (e + combining acute) gives the same result.
        assertThat(tokenizer.tokenize("Cafe\u0301")).containsExactly("cafe");
    }

    @Test
    void cjkIdeographsAreSeparateTokens() {
        assertThat(tokenizer.tokenize("日本")).containsExactly("日", "本");
        assertThat(tokenizer.encode("日本", 16).inputIds()).containsExactly(CLS, 1864, 1876, SEP);
    }

    @Test
    void dropsControlAndFormatCharacters() {
        assertThat(tokenizer.tokenize("hel\u200Blo\u0000 wor\u0007ld")).containsExactly("hello", "world");
    }

    @Test
    void overlongOrUnsplittableWordsBecomeUnknown() {
        assertThat(tokenizer.tokenize("a".repeat(101))).containsExactly("[UNK]");
        assertThat(tokenizer.tokenize("a".repeat(100))).doesNotContain("[UNK]");
        assertThat(tokenizer.tokenize("hello \uD83D\uDE00")).containsExactly("hello", "[UNK]"); // emoji not in vocab
    }

    @Test
    void truncatesToMaxTokensKeepingClsAndSep() {
        String longText = "hello world ".repeat(500);
        WordPieceTokenizer.Encoding e = tokenizer.encode(longText, 8);
        assertThat(e.inputIds()).containsExactly(CLS, 7592, 2088, 7592, 2088, 7592, 2088, SEP);
        assertThat(e.length()).isEqualTo(8);
        assertThat(tokenizer.encode(longText, 256).length()).isEqualTo(256);
        // A word cut by the limit keeps its first pieces, as HuggingFace truncation does.
        assertThat(tokenizer.encode("embeddings", 4).inputIds()).containsExactly(CLS, 7861, 8270, SEP);
        assertThat(tokenizer.encode("", 8).inputIds()).containsExactly(CLS, SEP);
        assertThatThrownBy(() -> tokenizer.encode("x", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNonWordPieceTokenizers() {
        String bpe = "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0}}}";
        assertThatThrownBy(() -> WordPieceTokenizer.load(
                new ByteArrayInputStream(bpe.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only WordPiece");
        String noCls = "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[UNK]\": 0}}}";
        assertThatThrownBy(() -> WordPieceTokenizer.load(
                new ByteArrayInputStream(noCls.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[CLS]");
    }
}
