package dev.verity.compute.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verity.modelhub.lm.tokenizer.TokenizerFileException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled MiniLM tokenizer on the native Hugging Face library. The expected ids are those the project's former
 * hand-written WordPiece tokenizer produced, so the move to the library changed no encoding.
 */
class SentenceTokenizerTest {
    private static final long CLS = 101;
    private static final long SEP = 102;

    private static SentenceTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = load(256);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private static SentenceTokenizer load(int maxTokens) throws IOException {
        return SentenceTokenizer.load(new ByteArrayInputStream(OnnxTestModels.miniLmTokenizer()), maxTokens);
    }

    static Stream<Arguments> formerEncodings() {
        return Stream.of(
            Arguments.of("The cat sits on the mat", new long[] {101, 1996, 4937, 7719, 2006, 1996, 13523, 102}),
            Arguments.of("Verifiable inference needs reproducible outputs.",
                    new long[] {101, 2310, 3089, 22749, 3468, 28937, 3791, 16360, 14127, 21104, 27852, 1012, 102}),
            Arguments.of("Café NAÏVE déjà vu — Ångström",
                    new long[] {101, 7668, 15743, 2139, 3900, 24728, 1517, 17076, 15687, 102}),
            Arguments.of("日本語のテキスト and 한국어",
                    new long[] {101, 1864, 1876, 1950, 1671, 30239, 30227, 30233, 30240, 1998, 1469, 30006, 30021, 29991, 30014, 30020, 29999, 30008, 102}),
            Arguments.of("emoji 👋🏽 here", new long[] {101, 7861, 29147, 2072, 100, 2182, 102}),
            Arguments.of("[SEP] [CLS] [MASK] injection",
                    new long[] {101, 1031, 19802, 1033, 1031, 18856, 2015, 1033, 1031, 7308, 1033, 13341, 102}),
            Arguments.of("hel\u200Blo\u0000 wor\u0007ld\ttabs\r\nnewlines",
                    new long[] {101, 7592, 2088, 21628, 2015, 2047, 12735, 102}),
            Arguments.of("", new long[] {101, 102}),
            Arguments.of("tokenization of embeddings, unbelievably",
                    new long[] {101, 19204, 3989, 1997, 7861, 8270, 4667, 2015, 1010, 4895, 8671, 2666, 3567, 6321, 102}));
    }

    @ParameterizedTest
    @MethodSource("formerEncodings")
    void encodesAsTheFormerTokenizerDid(String text, long[] expected) {
        assertThat(tokenizer.encode(text).inputIds()).containsExactly(expected);
    }

    @Test
    void truncatesLongTextAsTheFormerTokenizerDid() {
        // "the quick brown fox jumps over the lazy dog ." is ten pieces; 254 of them fit between [CLS] and [SEP].
        long[] sentence = {1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012};
        long[] expected = new long[256];
        expected[0] = CLS;
        for (int i = 0; i < 254; i++) {
            expected[i + 1] = sentence[i % sentence.length];
        }
        expected[255] = SEP;
        String text = "The quick brown fox jumps over the lazy dog. ".repeat(60);
        assertThat(tokenizer.encode(text).inputIds()).containsExactly(expected);
    }

    @Test
    void encodesHelloWorld() {
        SentenceTokenizer.Encoding e = tokenizer.encode("hello world");
        assertThat(e.inputIds()).containsExactly(CLS, 7592, 2088, SEP);
        assertThat(e.attentionMask()).containsExactly(1, 1, 1, 1);
        assertThat(e.tokenTypeIds()).containsExactly(0, 0, 0, 0);
        assertThat(tokenizer.encode("  Hello \t\n WORLD  ")).isEqualTo(e);
    }

    @Test
    void splitsUnknownWordsIntoContinuationPieces() {
        assertThat(tokenizer.tokenize("tokenization")).containsExactly("token", "##ization");
        assertThat(tokenizer.tokenize("Embeddings")).containsExactly("em", "##bed", "##ding", "##s");
        assertThat(tokenizer.encode("tokenization").inputIds()).containsExactly(CLS, 19204, 3989, SEP);
    }

    @Test
    void splitsPunctuationAndTreatsSpecialTokenTextAsText() {
        assertThat(tokenizer.tokenize("Hello, world!")).containsExactly("hello", ",", "world", "!");
        assertThat(tokenizer.encode("Hello, world!").inputIds()).containsExactly(CLS, 7592, 1010, 2088, 999, SEP);
        assertThat(tokenizer.tokenize("a$b")).containsExactly("a", "$", "b"); // all ASCII symbols count
        // Text that looks like a special token is plain text: inputs cannot inject structure.
        assertThat(tokenizer.tokenize("[SEP]")).containsExactly("[", "sep", "]");
    }

    @Test
    void lowercasesAndStripsAccents() {
        assertThat(tokenizer.tokenize("Café NAÏVE")).containsExactly("cafe", "naive");
        assertThat(tokenizer.tokenize("Cafe\u0301")).containsExactly("cafe");
    }

    @Test
    void cjkIdeographsAreSeparateTokens() {
        assertThat(tokenizer.tokenize("日本")).containsExactly("日", "本");
        assertThat(tokenizer.encode("日本").inputIds()).containsExactly(CLS, 1864, 1876, SEP);
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
    void truncatesToMaxTokensKeepingClsAndSep() throws IOException {
        String longText = "hello world ".repeat(500);
        try (SentenceTokenizer eight = load(8); SentenceTokenizer four = load(4)) {
            SentenceTokenizer.Encoding e = eight.encode(longText);
            assertThat(e.inputIds()).containsExactly(CLS, 7592, 2088, 7592, 2088, 7592, 2088, SEP);
            assertThat(e.length()).isEqualTo(8);
            assertThat(eight.encode("").inputIds()).containsExactly(CLS, SEP);
            // A word cut by the limit keeps its first pieces.
            assertThat(four.encode("embeddings").inputIds()).containsExactly(CLS, 7861, 8270, SEP);
        }
        assertThat(tokenizer.encode(longText).length()).isEqualTo(256);
        assertThatThrownBy(() -> load(1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2");
    }

    @Test
    void rejectsFilesThatAreNotTokenizers() {
        assertThatThrownBy(() -> SentenceTokenizer.load(new ByteArrayInputStream(
                "{\"model\": ".getBytes(StandardCharsets.UTF_8)), 16))
                .isInstanceOf(TokenizerFileException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> SentenceTokenizer.load(new ByteArrayInputStream(
                "{\"model\": {\"type\": \"Nonsense\"}}".getBytes(StandardCharsets.UTF_8)), 16))
                .isInstanceOf(TokenizerFileException.class).hasMessageContaining("rejects the file");
    }
}
